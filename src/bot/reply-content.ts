/**
 * What `ctx.reply` and `ctx.push` accept, and its translation to the wire message. Plain
 * strings are text; `{ markdown }` (optionally with `buttons`), `{ markdownV2 }` and `{ card }`
 * pick the type; any ready-made `WebhookMessage` passes through. Cards and buttons are checked
 * for the robot kind here, so a bad one fails at `ctx.reply`, not later in a log line.
 */
import type { MarkdownAttachment, WebhookMessage } from '../protocol/message/types.js';
import type { AibotTemplateCardReply } from '../protocol/reply/aibot-reply.js';
import { mentionTag } from '../protocol/text/mentions.js';
import { buttonsAttachment, type ReplyButton } from './buttons.js';
import { ReplyError } from './errors.js';
import { checkReplyCard, type ReplyCard } from './reply-card.js';

/** The short forms `ctx.reply` accepts, besides a full `WebhookMessage`. */
export type ReplyContent =
  | string
  | { text: string }
  /** `buttons` (classic robot): markdown buttons whose ids `bot.action` routes. */
  | { markdown: string; attachments?: MarkdownAttachment[]; buttons?: readonly ReplyButton[] }
  | { markdownV2: string }
  /** Classic robot: text_notice, news_notice. AI bot: also the interactive cards. */
  | { card: ReplyCard }
  | WebhookMessage;

/** What a reply becomes: a webhook message, or an AI bot card (interactive cards exist only there). */
export type OutgoingReply = WebhookMessage | AibotTemplateCardReply;

export interface ReplyOptions {
  /** Only these members see the reply (`visible_to_user`). */
  visibleTo?: string | readonly string[];
  /** Mention these userids (`@all` for everyone): `mentioned_list` for text, `<@id>` for markdown. */
  mention?: string | readonly string[];
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === 'string' ? [value] : [...value]).filter((v) => v !== '');
}

/**
 * Normalizes reply content plus options to one webhook wire message (without `chatid`), for the
 * classic robot's replies, pushes and jobs.
 * @throws ReplyError for an interactive card; MessageValidationError for a card or buttons over a limit.
 */
export function toWebhookMessage(content: ReplyContent, options: ReplyOptions = {}): WebhookMessage {
  return toReplyMessage(content, options, 'group') as WebhookMessage;
}

/**
 * Normalizes reply content for the robot that answers: cards are checked against what that
 * robot can send, markdown buttons exist on the classic robot only.
 * @throws ReplyError for content the robot cannot show; MessageValidationError for one over a limit.
 */
export function toReplyMessage(content: ReplyContent, options: ReplyOptions, robot: 'group' | 'aibot'): OutgoingReply {
  let message: OutgoingReply;
  if (typeof content === 'string') message = { msgtype: 'text', text: { content } };
  else if ('msgtype' in content) message = structuredClone(content);
  else if ('text' in content) message = { msgtype: 'text', text: { content: content.text } };
  else if ('markdown' in content) {
    const attachments = [...(content.attachments ?? []), ...(content.buttons?.length ? [buttonsAttachment(content.buttons)] : [])];
    message = { msgtype: 'markdown', markdown: { content: content.markdown } };
    if (attachments.length) message.markdown.attachments = attachments;
  } else if ('markdownV2' in content) message = { msgtype: 'markdown_v2', markdown_v2: { content: content.markdownV2 } };
  else message = { msgtype: 'template_card', template_card: content.card } as OutgoingReply;

  if (message.msgtype === 'template_card') checkReplyCard(message.template_card, robot);
  if (robot === 'aibot' && message.msgtype === 'markdown' && message.markdown.attachments?.length) {
    throw new ReplyError('reply_unsupported', 'an AI bot cannot show markdown buttons (attachments belong to the classic group robot)', {
      hint: "send a button_interaction card: ctx.reply({ card: { card_type: 'button_interaction', main_title: { title }, button_list: [{ text, key: id }], task_id } })",
    });
  }

  const mention = list(options.mention);
  if (mention.length > 0) {
    if (message.msgtype === 'text') {
      message.text.mentioned_list = [...new Set([...(message.text.mentioned_list ?? []), ...mention])];
    } else if (message.msgtype === 'markdown') {
      // Markdown has no mentioned_list: mentions are `<@userid>` inside the content.
      // mentionTag refuses '@all', which markdown cannot express.
      const tags = mention.map((id) => mentionTag(id)).join(' ');
      message.markdown.content = `${tags} ${message.markdown.content}`;
    }
  }
  const visible = list(options.visibleTo);
  if (visible.length > 0) (message as { visible_to_user?: string }).visible_to_user = visible.join('|');
  return message;
}

/** The text of a text or markdown message (for AI bot stream replies and response_url). */
export function messageText(message: OutgoingReply): string | undefined {
  switch (message.msgtype) {
    case 'text':
      return message.text.content;
    case 'markdown':
      return message.markdown.content;
    case 'markdown_v2':
      return message.markdown_v2.content;
    default:
      return undefined;
  }
}
