/**
 * Passive reply plaintexts (before encryption), built with the protocol's reply builders:
 * the classic robot's XML or JSON text/markdown reply (§2.6) and the AI bot's replies (§2.10),
 * plus which AI bot callback may be answered with what.
 */
import type { CallbackFormat } from '../protocol/callback/types.js';
import { LIMITS } from '../protocol/limits.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import { aibotStreamReply, aibotWelcomeText, renderAibotReply } from '../protocol/reply/aibot-reply.js';
import { renderGroupReply, type GroupReply } from '../protocol/reply/group-reply.js';
import { utf8ByteLength } from '../protocol/text/utf8.js';

/**
 * Passive replies of the classic robot: only text and markdown exist, within the webhook's
 * byte limits. Anything longer goes through the webhook client, which splits it into parts.
 */
export function isGroupPassive(message: WebhookMessage): boolean {
  if (message.msgtype === 'text') return utf8ByteLength(message.text.content) <= LIMITS.textContentBytes;
  if (message.msgtype === 'markdown') return utf8ByteLength(message.markdown.content) <= LIMITS.markdownContentBytes;
  return false;
}

/**
 * Renders a text or markdown message as the classic robot's passive reply plaintext.
 * @throws MessageValidationError when the reply is invalid (the caller then sends it late).
 */
export function renderGroupPassive(message: WebhookMessage, format: CallbackFormat): string {
  if (message.msgtype !== 'text' && message.msgtype !== 'markdown') {
    throw new TypeError(`a passive reply is text or markdown, not ${message.msgtype}`);
  }
  // The passive reply is the webhook wire message without chat targeting.
  const { chatid: _c, post_id: _p, ...reply } = message;
  return renderGroupReply(reply as GroupReply, format);
}

/** The AI bot's stream reply plaintext. `content` is the full text so far. */
export function renderStreamReply(id: string, content: string, finish: boolean): string {
  return renderAibotReply(aibotStreamReply({ id, content, finish }));
}

/** The kinds of passive answer an AI bot callback takes. */
export type AibotPassiveKind = 'stream' | 'card' | 'welcome' | 'update';

/**
 * What may answer an AI bot callback in its HTTP response (doc 101031): a message takes a
 * stream or a card; `enter_chat` a welcome text or a card; a card click only the card update;
 * `feedback_event` nothing. Other replies go through the response_url.
 */
export function aibotPassiveKinds(message: { type: string; eventType?: string }): readonly AibotPassiveKind[] {
  if (message.type !== 'event') return ['stream', 'card'];
  if (message.eventType === 'enter_chat') return ['welcome', 'card'];
  if (message.eventType === 'template_card_event') return ['update'];
  return [];
}

/** The welcome text answering an AI bot's `enter_chat` (the one callback a plain text may answer). */
export function renderWelcomeReply(content: string): string {
  return renderAibotReply(aibotWelcomeText(content));
}
