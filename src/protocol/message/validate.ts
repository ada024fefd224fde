/**
 * validateMessage: check an outgoing webhook message against every documented limit before it
 * costs one of the robot's 20 messages per minute.
 */
import { LIMITS } from '../limits.js';
import { Checker } from './checker.js';
import type { ValidationIssue } from './errors.js';
import type { WebhookMessage } from './types.js';
import { WEBHOOK_MESSAGE_TYPES } from './types.js';
import { checkNoticeCard } from './validate-template-card.js';

/**
 * Validate a webhook message; returns it typed when valid.
 *
 * @example validateMessage({ msgtype: 'text', text: { content: 'hi' } })
 * @throws MessageValidationError naming the field and the limit, e.g.
 *   `text.content is 2300 bytes; the limit is 2048 UTF-8 bytes`.
 */
export function validateMessage(message: unknown): WebhookMessage {
  const c = new Checker();
  checkMessage(c, message);
  c.done();
  return message as WebhookMessage;
}

/** Collect the issues of a message without throwing (for linters and dry runs). */
export function messageIssues(message: unknown): ValidationIssue[] {
  const c = new Checker();
  checkMessage(c, message);
  return c.issues;
}

function checkMessage(c: Checker, value: unknown): void {
  const m = c.obj(value, 'message');
  if (!m) return;
  const type = c.oneOf(m.msgtype, 'msgtype', WEBHOOK_MESSAGE_TYPES, true);
  if (!type) return;
  checkBeta(c, m);
  const body = c.obj(m[type], type);
  if (!body) return;
  switch (type) {
    case 'text':
      c.str(body.content, 'text.content', { maxBytes: LIMITS.textContentBytes });
      checkMentionList(c, body.mentioned_list, 'text.mentioned_list');
      checkMentionList(c, body.mentioned_mobile_list, 'text.mentioned_mobile_list');
      return;
    case 'markdown':
      c.str(body.content, 'markdown.content', { maxBytes: LIMITS.markdownContentBytes });
      c.bool(body.at_short_name, 'markdown.at_short_name');
      checkAttachments(c, body.attachments, 'markdown.attachments');
      return;
    case 'markdown_v2':
      c.str(body.content, 'markdown_v2.content', { maxBytes: LIMITS.markdownV2ContentBytes });
      return;
    case 'image':
      checkImage(c, body);
      return;
    case 'news':
      checkNews(c, body);
      return;
    case 'file':
    case 'voice':
      c.str(body.media_id, `${type}.media_id`);
      return;
    case 'template_card':
      checkNoticeCard(c, body, 'template_card', 'webhook');
  }
}

function checkMentionList(c: Checker, value: unknown, path: string): void {
  c.list(value, path)?.forEach((item, i) => c.str(item, `${path}[${i}]`));
}

function checkImage(c: Checker, image: Record<string, unknown>): void {
  const base64 = c.str(image.base64, 'image.base64', {
    pattern: { re: /^[A-Za-z0-9+/]*={0,2}$/, description: 'standard base64 (no line breaks, no data: prefix)' },
  });
  c.str(image.md5, 'image.md5', { pattern: { re: /^[0-9a-fA-F]{32}$/, description: '32 hex characters (MD5 of the raw image bytes)' } });
  if (base64 !== undefined) {
    const bytes = Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
    if (bytes > LIMITS.imageBytes) {
      c.add('image.base64', 'message_too_long', `image.base64 decodes to ${bytes} bytes; the limit is ${LIMITS.imageBytes} bytes (2 MB)`);
    }
  }
}

function checkNews(c: Checker, news: Record<string, unknown>): void {
  const articles = c.list(news.articles, 'news.articles', {
    required: true,
    min: LIMITS.newsArticlesMin,
    max: LIMITS.newsArticlesMax,
  });
  articles?.forEach((value, i) => {
    const p = `news.articles[${i}]`;
    const article = c.obj(value, p);
    if (!article) return;
    c.str(article.title, `${p}.title`, { maxBytes: LIMITS.newsTitleBytes });
    c.str(article.description, `${p}.description`, { required: false, maxBytes: LIMITS.newsDescriptionBytes });
    c.str(article.url, `${p}.url`);
    c.str(article.picurl, `${p}.picurl`, { required: false });
    if (article.pic_url !== undefined)
      c.add(`${p}.pic_url`, 'message_invalid_value', `${p}.pic_url is not a WeCom field; it is spelled picurl`);
  });
}

/** Button attachments of a markdown message or passive markdown reply. */
export function checkAttachments(c: Checker, value: unknown, path: string): void {
  c.list(value, path)?.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const attachment = c.obj(item, p);
    if (!attachment) return;
    c.str(attachment.callback_id, `${p}.callback_id`);
    const actions = c.list(attachment.actions, `${p}.actions`, { required: true, min: 1, max: LIMITS.attachmentActionsMax });
    actions?.forEach((a, j) => {
      const ap = `${p}.actions[${j}]`;
      const action = c.obj(a, ap);
      if (!action) return;
      c.str(action.name, `${ap}.name`, { maxBytes: LIMITS.actionNameBytes });
      c.str(action.value, `${ap}.value`, { maxBytes: LIMITS.actionValueBytes });
      c.str(action.text, `${ap}.text`, { maxBytes: LIMITS.actionTextBytes });
      c.oneOf(action.type, `${ap}.type`, ['button'] as const, true);
      const color = { re: /^#?[0-9A-Fa-f]{6}$/, description: 'a hex colour such as 2EAB49' };
      c.str(action.border_color, `${ap}.border_color`, { required: false, pattern: color });
      c.str(action.text_color, `${ap}.text_color`, { required: false, pattern: color });
      c.str(action.replace_text, `${ap}.replace_text`, { required: false, maxBytes: LIMITS.actionReplaceTextBytes });
    });
  });
}

function checkBeta(c: Checker, m: Record<string, unknown>): void {
  const chatid = c.str(m.chatid, 'chatid', { required: false });
  if (chatid !== undefined) {
    const ids = chatid.split('|');
    if (ids.length > LIMITS.chatIdMax)
      c.add('chatid', 'message_too_many', `chatid names ${ids.length} chats; the limit is ${LIMITS.chatIdMax}`);
    if (ids.some((id) => id === '')) c.add('chatid', 'message_invalid_value', 'chatid contains an empty id (check the | separators)');
  }
  const visible = c.str(m.visible_to_user, 'visible_to_user', { required: false });
  const postId = c.str(m.post_id, 'post_id', { required: false });
  const single = chatid !== undefined && !chatid.includes('|') && !chatid.startsWith('@all');
  if (visible !== undefined && !single) {
    c.add('visible_to_user', 'message_invalid_value', 'visible_to_user needs chatid naming exactly one group or blackboard');
  }
  if (postId !== undefined && !single) {
    c.add('post_id', 'message_invalid_value', 'post_id needs chatid naming exactly one blackboard');
  }
}
