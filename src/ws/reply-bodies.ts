/**
 * What a reply becomes on the long connection (doc 101463): the body of `aibot_respond_msg`,
 * `aibot_respond_welcome_msg` or `aibot_send_msg`. Built with the protocol's AI bot builders, so
 * the limits (20480-byte stream content, card fields) are checked before anything is sent.
 */
import { randomBytes } from 'node:crypto';
import { LIMITS } from '../protocol/limits.js';
import { aibotMarkdownMessage, aibotStreamReply, aibotTemplateCardReply, aibotWelcomeText } from '../protocol/reply/aibot-reply.js';
import type { AibotTemplateCard } from '../protocol/reply/aibot-card.js';
import { truncateUtf8, utf8ByteLength } from '../protocol/text/utf8.js';
import { ReplyError } from '../bot/errors.js';
import { messageText, type OutgoingReply } from '../bot/reply-content.js';

// A random process prefix and a counter: unique like 12 random bytes per reply, without a
// synchronous randomBytes call per message (it showed in bench:ws profiles).
const STREAM_PREFIX = `stream_${Date.now().toString(36)}_${randomBytes(6).toString('hex')}_`;
let streamSeq = 0;

/** A stream id: unique per reply (the first frame with an id opens the bubble). */
export function newStreamId(): string {
  return STREAM_PREFIX + (++streamSeq).toString(36);
}

/** Stream content within the limit; `cut` says whether text was dropped. */
export function fitStreamContent(content: string): { content: string; cut: boolean } {
  if (utf8ByteLength(content) <= LIMITS.aibotStreamContentBytes) return { content, cut: false };
  return { content: truncateUtf8(content, LIMITS.aibotStreamContentBytes), cut: true };
}

export function streamBody(id: string, content: string, finish: boolean): Record<string, unknown> {
  return { ...aibotStreamReply({ id, content, finish }) };
}

/** The card of a reply, or undefined for text. */
export function cardOf(m: OutgoingReply): AibotTemplateCard | undefined {
  return m.msgtype === 'template_card' ? (m as { template_card: AibotTemplateCard }).template_card : undefined;
}

/**
 * The text of a reply, or a ReplyError for a type the long connection cannot show as text
 * (news, webhook files: those belong to the group robot's webhook).
 */
export function textOfReply(m: OutgoingReply): string {
  const text = messageText(m);
  if (text === undefined) {
    throw new ReplyError('reply_unsupported', `a smart robot cannot send ${m.msgtype} over the long connection`, {
      hint: 'reply with text, markdown or a card; images go through ctx.reply({ msgtype: "image", image: { base64, md5 } })',
    });
  }
  return text;
}

/** `aibot_respond_msg` for a message: text as a finished stream, cards as template_card. */
export function respondBody(m: OutgoingReply): Record<string, unknown> {
  const card = cardOf(m);
  if (card) return { ...aibotTemplateCardReply(card) };
  return streamBody(newStreamId(), fitStreamContent(textOfReply(m)).content, true);
}

/** `aibot_respond_welcome_msg` for enter_chat: a text or a card. */
export function welcomeBody(m: OutgoingReply): Record<string, unknown> {
  const card = cardOf(m);
  if (card) return { ...aibotTemplateCardReply(card) };
  return { ...aibotWelcomeText(fitStreamContent(textOfReply(m)).content) };
}

/** `aibot_send_msg`: a new message into a conversation (markdown or card). */
export function sendMsgBody(chatId: string, m: OutgoingReply): Record<string, unknown> {
  const card = cardOf(m);
  if (card) return { chatid: chatId, msgtype: 'template_card', template_card: card };
  const content = fitStreamContent(textOfReply(m)).content;
  return { chatid: chatId, ...aibotMarkdownMessage(content) };
}

/** `aibot_send_msg` / `aibot_respond_msg` body of an uploaded medium. */
export function mediaBody(type: MediaType, mediaId: string): Record<string, unknown> {
  return { msgtype: type, [type]: { media_id: mediaId } };
}

export type MediaType = 'image' | 'file' | 'voice' | 'video';
