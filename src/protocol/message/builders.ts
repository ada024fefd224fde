/**
 * Builders for webhook messages. Each returns the wire object and validates it, so a bad
 * message fails where it is built, with the field and the limit in the error.
 */
import { createHash } from 'node:crypto';
import type { TemplateCard } from './template-card-types.js';
import type {
  BetaTargeting,
  FileMessage,
  ImageMessage,
  MarkdownAction,
  MarkdownAttachment,
  MarkdownMessage,
  MarkdownV2Message,
  NewsArticle,
  NewsMessage,
  TemplateCardMessage,
  TextMessage,
  VoiceMessage,
} from './types.js';
import { validateMessage } from './validate.js';

/**
 * Beta targeting (internal robot interface; UNCONFIRMED on the public webhook). Arrays are
 * joined with `|`.
 */
export interface TargetingOptions {
  chatId?: string | readonly string[];
  visibleToUser?: string | readonly string[];
  postId?: string;
}

/** Turn camelCase targeting options into the wire fields. */
export function targeting(options: TargetingOptions = {}): BetaTargeting {
  const join = (v: string | readonly string[]): string => (typeof v === 'string' ? v : v.join('|'));
  return {
    ...(options.chatId !== undefined && { chatid: join(options.chatId) }),
    ...(options.visibleToUser !== undefined && { visible_to_user: join(options.visibleToUser) }),
    ...(options.postId !== undefined && { post_id: options.postId }),
  };
}

function checked<T>(message: T): T {
  validateMessage(message);
  return message;
}

/**
 * A text message (≤ 2048 bytes). Mention with userids or mobiles; `'@all'` mentions everyone.
 * @example textMessage('build #42 failed', { mentionedList: ['alice'] })
 */
export function textMessage(
  content: string,
  options: TargetingOptions & { mentionedList?: readonly string[]; mentionedMobileList?: readonly string[] } = {},
): TextMessage {
  return checked({
    msgtype: 'text',
    ...targeting(options),
    text: {
      content,
      ...(options.mentionedList?.length && { mentioned_list: [...options.mentionedList] }),
      ...(options.mentionedMobileList?.length && { mentioned_mobile_list: [...options.mentionedMobileList] }),
    },
  });
}

/** A markdown message (≤ 4096 bytes); mention with `<@userid>` in the content (see mentionTag). */
export function markdownMessage(
  content: string,
  options: TargetingOptions & { attachments?: MarkdownAttachment[]; atShortName?: boolean } = {},
): MarkdownMessage {
  return checked({
    msgtype: 'markdown',
    ...targeting(options),
    markdown: {
      content,
      ...(options.atShortName !== undefined && { at_short_name: options.atShortName }),
      ...(options.attachments?.length && { attachments: options.attachments }),
    },
  });
}

/** A markdown_v2 message (≤ 4096 bytes): tables, code blocks, images; no mentions, no colours. */
export function markdownV2Message(content: string, options: TargetingOptions = {}): MarkdownV2Message {
  return checked({ msgtype: 'markdown_v2', ...targeting(options), markdown_v2: { content } });
}

/** An image message from the raw JPG/PNG bytes (≤ 2 MB): computes base64 and md5. */
export function imageMessage(bytes: Uint8Array, options: TargetingOptions = {}): ImageMessage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return checked({
    msgtype: 'image',
    ...targeting(options),
    image: { base64: buffer.toString('base64'), md5: createHash('md5').update(buffer).digest('hex') },
  });
}

/** A news message with 1 to 8 articles. */
export function newsMessage(articles: readonly NewsArticle[], options: TargetingOptions = {}): NewsMessage {
  return checked({ msgtype: 'news', ...targeting(options), news: { articles: [...articles] } });
}

/** A file message (media_id from the upload API, valid 3 days, same robot only). */
export function fileMessage(mediaId: string, options: TargetingOptions = {}): FileMessage {
  return checked({ msgtype: 'file', ...targeting(options), file: { media_id: mediaId } });
}

/** A voice message (media_id of an uploaded AMR file). */
export function voiceMessage(mediaId: string, options: TargetingOptions = {}): VoiceMessage {
  return checked({ msgtype: 'voice', ...targeting(options), voice: { media_id: mediaId } });
}

/** A template card message (text_notice or news_notice). */
export function templateCardMessage(card: TemplateCard, options: TargetingOptions = {}): TemplateCardMessage {
  return checked({ msgtype: 'template_card', ...targeting(options), template_card: card });
}

/**
 * A button for markdown `attachments` (push beta and passive replies). The click callback
 * echoes `name` and `value`.
 * @example markdownButton('vote', 'yes', '赞成', { replaceText: '已投票' })
 */
export function markdownButton(
  name: string,
  value: string,
  text: string,
  options: { borderColor?: string; textColor?: string; replaceText?: string } = {},
): MarkdownAction {
  return {
    name,
    value,
    text,
    type: 'button',
    ...(options.borderColor !== undefined && { border_color: options.borderColor }),
    ...(options.textColor !== undefined && { text_color: options.textColor }),
    ...(options.replaceText !== undefined && { replace_text: options.replaceText }),
  };
}
