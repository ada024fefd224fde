/**
 * What `ctx.reply` and `ctx.push` accept, and its translation to the webhook wire message.
 * Plain strings are text; `{ markdown }`, `{ markdownV2 }` and `{ card }` pick the type; any
 * ready-made `WebhookMessage` passes through.
 */
import type { MarkdownAttachment, WebhookMessage } from '../protocol/message/types.js';
import type { TemplateCard } from '../protocol/message/template-card-types.js';
import { mentionTag } from '../protocol/text/mentions.js';

/** The short forms `ctx.reply` accepts, besides a full `WebhookMessage`. */
export type ReplyContent =
  | string
  | { text: string }
  | { markdown: string; attachments?: MarkdownAttachment[] }
  | { markdownV2: string }
  | { card: TemplateCard }
  | WebhookMessage;

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

/** Normalizes reply content plus options to one webhook wire message (without `chatid`). */
export function toWebhookMessage(content: ReplyContent, options: ReplyOptions = {}): WebhookMessage {
  let message: WebhookMessage;
  if (typeof content === 'string') message = { msgtype: 'text', text: { content } };
  else if ('msgtype' in content) message = structuredClone(content);
  else if ('text' in content) message = { msgtype: 'text', text: { content: content.text } };
  else if ('markdown' in content) {
    message = { msgtype: 'markdown', markdown: { content: content.markdown } };
    if (content.attachments?.length) message.markdown.attachments = content.attachments;
  } else if ('markdownV2' in content) message = { msgtype: 'markdown_v2', markdown_v2: { content: content.markdownV2 } };
  else message = { msgtype: 'template_card', template_card: content.card };

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
  if (visible.length > 0) message.visible_to_user = visible.join('|');
  return message;
}

/** The text of a text or markdown message (for AI bot stream replies and response_url). */
export function messageText(message: WebhookMessage): string | undefined {
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
