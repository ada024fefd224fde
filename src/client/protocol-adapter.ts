/**
 * The protocol helpers the client uses, behind one seam: the errcode table and its typed error,
 * message validation, and splitting of long content.
 */
import { LIMITS } from '../protocol/limits.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import { validateMessage } from '../protocol/message/validate.js';
import { splitMessage } from '../protocol/text/split.js';

export { WebhookApiError } from '../protocol/errcode/webhook-api-error.js';
export { lookupErrcode } from '../protocol/errcode/table.js';
export { MessageValidationError } from '../protocol/message/errors.js';

/** Throws MessageValidationError (naming the field and limit) when WeCom would reject the message. */
export function validateOutgoing(message: WebhookMessage): void {
  validateMessage(message);
}

/**
 * Splits text/markdown/markdown_v2 whose content is over the byte limit into parts sent in
 * order (markdown keeps code blocks and tables whole where possible). Text mentions go on the
 * last part, so people are notified once the whole message is there. Other types pass through.
 */
export function splitOutgoing(message: WebhookMessage): WebhookMessage[] {
  switch (message.msgtype) {
    case 'text': {
      const { content, ...mentions } = message.text;
      const parts = splitMessage(content, LIMITS.textContentBytes);
      return parts.map((c, i) => ({ ...message, text: i === parts.length - 1 ? { content: c, ...mentions } : { content: c } }));
    }
    case 'markdown':
      return splitMessage(message.markdown.content, LIMITS.markdownContentBytes, { kind: 'markdown' }).map((c) => ({
        ...message,
        markdown: { ...message.markdown, content: c },
      }));
    case 'markdown_v2':
      return splitMessage(message.markdown_v2.content, LIMITS.markdownV2ContentBytes, { kind: 'markdown' }).map((c) => ({
        ...message,
        markdown_v2: { content: c },
      }));
    default:
      return [message];
  }
}
