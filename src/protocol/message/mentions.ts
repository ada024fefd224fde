import { mentionTag } from '../text/mentions.js';
import { MessageValidationError } from './errors.js';
import type { WebhookMessage } from './types.js';
import { validateMessage } from './validate.js';

/** Who to mention. `'@all'` is allowed in text messages only. */
export interface Mentions {
  userIds?: readonly string[];
  mobiles?: readonly string[];
}

/** What to do with mentions on a markdown_v2 message, which cannot mention. */
export type MarkdownV2MentionFallback = 'error' | 'plain';

/**
 * Add mentions the way each message type supports them:
 * - `text`: merged into `mentioned_list` / `mentioned_mobile_list` (de-duplicated);
 * - `markdown`: `<@userid>` tags appended on a new line (mobiles and `@all` are not possible);
 * - `markdown_v2`: no mention support; by default an error, with `markdownV2: 'plain'` the
 *   names are appended as plain `@userid` text (visible, but nobody is notified).
 * Other types throw. The result is validated (the tags count against the byte limit).
 *
 * @example withMentions(markdownMessage('deploy done'), { userIds: ['alice'] })
 * @throws MessageValidationError with code `message_mention_unsupported`.
 */
export function withMentions(
  message: WebhookMessage,
  mentions: Mentions,
  options: { markdownV2?: MarkdownV2MentionFallback } = {},
): WebhookMessage {
  const userIds = [...new Set(mentions.userIds ?? [])];
  const mobiles = [...new Set(mentions.mobiles ?? [])];
  if (userIds.length === 0 && mobiles.length === 0) return message;
  switch (message.msgtype) {
    case 'text': {
      const text = { ...message.text };
      if (userIds.length) text.mentioned_list = [...new Set([...(text.mentioned_list ?? []), ...userIds])];
      if (mobiles.length) text.mentioned_mobile_list = [...new Set([...(text.mentioned_mobile_list ?? []), ...mobiles])];
      return validateMessage({ ...message, text });
    }
    case 'markdown': {
      if (mobiles.length)
        unsupported(
          'markdown.content',
          'markdown cannot mention by mobile number; use userids, or a text message with mentioned_mobile_list',
        );
      const tags = userIds.map(mentionTag).join(' ');
      const content = message.markdown.content.endsWith('\n') ? message.markdown.content + tags : `${message.markdown.content}\n${tags}`;
      return validateMessage({ ...message, markdown: { ...message.markdown, content } });
    }
    case 'markdown_v2': {
      if ((options.markdownV2 ?? 'error') === 'error' || mobiles.length) {
        unsupported(
          'markdown_v2.content',
          'markdown_v2 does not support mentions; use markdown with <@userid>, or send a separate text message with mentioned_list',
        );
      }
      const names = userIds.map((id) => `@${id}`).join(' ');
      return validateMessage({ ...message, markdown_v2: { content: `${message.markdown_v2.content}\n\n${names}` } });
    }
    default:
      return unsupported('msgtype', `${message.msgtype} messages cannot mention anyone; only text and markdown can`);
  }
}

function unsupported(path: string, message: string): never {
  throw new MessageValidationError([{ path, code: 'message_mention_unsupported', message }]);
}
