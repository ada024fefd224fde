/**
 * Smart robot (AI bot) replies: the passive replies (stream, template card, stream + card,
 * welcome text, card update) and the messages POSTed to `response_url` (markdown, card).
 * All are JSON; the encrypted envelope goes around the rendered string.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '../limits.js';
import { Checker } from '../message/checker.js';
import { checkFeedback } from '../message/validate-template-card.js';
import { checkAibotCard, type AibotTemplateCard } from './aibot-card.js';

/** An image of the final stream reply: base64 and md5 of the raw JPG/PNG (≤ 10 MB). */
export interface AibotStreamImage {
  msgtype: 'image';
  image: { base64: string; md5: string };
}

/** The `stream` object. `content` is the full text so far (not a delta), ≤ 20480 bytes. */
export interface AibotStream {
  id: string;
  finish?: boolean;
  content?: string;
  /** Only on the final reply (`finish: true`), ≤ 10 images. */
  msg_item?: AibotStreamImage[];
  /** On the first reply: a feedback id (≤ 256 bytes) turns on thumbs up/down. */
  feedback?: { id: string };
}

/** `{"msgtype":"stream","stream":{…}}`: answer a message or a stream refresh. */
export interface AibotStreamReply {
  msgtype: 'stream';
  stream: AibotStream;
}

/** A template card as the passive reply (enter_chat or a message). */
export interface AibotTemplateCardReply {
  msgtype: 'template_card';
  template_card: AibotTemplateCard;
}

/** A stream plus a card (the card only once per message). */
export interface AibotStreamWithCardReply {
  msgtype: 'stream_with_template_card';
  stream: AibotStream;
  template_card?: AibotTemplateCard;
}

/** The welcome text for an `enter_chat` event. */
export interface AibotWelcomeTextReply {
  msgtype: 'text';
  text: { content: string };
}

/** Answer to a template_card_event: replace the card (task_id must match the event's). */
export interface AibotUpdateCardReply {
  response_type: 'update_template_card';
  /** Only these users see the new card; absent = everyone involved. */
  userids?: string[];
  template_card: AibotTemplateCard;
}

/** Every passive AI bot reply. */
export type AibotReply =
  AibotStreamReply | AibotTemplateCardReply | AibotStreamWithCardReply | AibotWelcomeTextReply | AibotUpdateCardReply;

/** markdown for `response_url` (≤ 20480 bytes, markdown_v2-like syntax). */
export interface AibotMarkdownMessage {
  msgtype: 'markdown';
  markdown: { content: string; feedback?: { id: string } };
}

/** What `response_url` accepts: markdown, or a template card in single chats. */
export type AibotResponseMessage = AibotMarkdownMessage | AibotTemplateCardReply;

/** Input of {@link aibotStream}: images may be raw bytes (base64/md5 are computed). */
export interface AibotStreamInput {
  id: string;
  content: string;
  finish?: boolean;
  images?: readonly (Uint8Array | { base64: string; md5: string })[];
  feedbackId?: string;
}

function streamOf(input: AibotStreamInput): AibotStream {
  return {
    id: input.id,
    finish: input.finish ?? false,
    content: input.content,
    ...(input.images?.length && { msg_item: input.images.map(imageItem) }),
    ...(input.feedbackId !== undefined && { feedback: { id: input.feedbackId } }),
  };
}

function imageItem(image: Uint8Array | { base64: string; md5: string }): AibotStreamImage {
  if (!(image instanceof Uint8Array)) return { msgtype: 'image', image: { base64: image.base64, md5: image.md5 } };
  const buffer = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  return { msgtype: 'image', image: { base64: buffer.toString('base64'), md5: createHash('md5').update(buffer).digest('hex') } };
}

/**
 * A stream reply. Send the full content so far each time; `finish: true` ends the stream
 * (images only then).
 * @example aibotStreamReply({ id: 'ans-1', content: '正在查询…' })
 */
export function aibotStreamReply(input: AibotStreamInput): AibotStreamReply {
  return checked({ msgtype: 'stream', stream: streamOf(input) });
}

/** A stream reply with a template card. */
export function aibotStreamWithCardReply(input: AibotStreamInput, card?: AibotTemplateCard): AibotStreamWithCardReply {
  return checked({ msgtype: 'stream_with_template_card', stream: streamOf(input), ...(card && { template_card: card }) });
}

/** A template card reply; `feedbackId` turns on feedback for it. */
export function aibotTemplateCardReply(card: AibotTemplateCard, options: { feedbackId?: string } = {}): AibotTemplateCardReply {
  const template_card = options.feedbackId !== undefined ? { ...card, feedback: { id: options.feedbackId } } : card;
  return checked({ msgtype: 'template_card', template_card });
}

/** The welcome text answering an `enter_chat` event. */
export function aibotWelcomeText(content: string): AibotWelcomeTextReply {
  return checked({ msgtype: 'text', text: { content } });
}

/** Replace a card after a template_card_event (within 5 s), for everyone or some users. */
export function aibotUpdateCardReply(card: AibotTemplateCard, options: { userIds?: readonly string[] } = {}): AibotUpdateCardReply {
  return checked({
    response_type: 'update_template_card',
    ...(options.userIds?.length && { userids: [...options.userIds] }),
    template_card: card,
  });
}

/** A markdown message for `response_url` (POST once, within 1 hour). */
export function aibotMarkdownMessage(content: string, options: { feedbackId?: string } = {}): AibotMarkdownMessage {
  const message: AibotMarkdownMessage = {
    msgtype: 'markdown',
    markdown: { content, ...(options.feedbackId !== undefined && { feedback: { id: options.feedbackId } }) },
  };
  validateAibotResponseMessage(message);
  return message;
}

function checked<T extends AibotReply>(reply: T): T {
  validateAibotReply(reply);
  return reply;
}

/**
 * Validate a passive AI bot reply.
 * @throws MessageValidationError, e.g. `stream.content is 20500 bytes; the limit is 20480 UTF-8 bytes`.
 */
export function validateAibotReply(reply: unknown): asserts reply is AibotReply {
  const c = new Checker();
  const r = c.obj(reply, 'reply');
  if (r && r.response_type !== undefined) {
    c.oneOf(r.response_type, 'response_type', ['update_template_card'] as const, true);
    c.list(r.userids, 'userids')?.forEach((id, i) => c.str(id, `userids[${i}]`));
    checkAibotCard(c, r.template_card, 'template_card');
  } else if (r) {
    const type = c.oneOf(r.msgtype, 'msgtype', ['stream', 'template_card', 'stream_with_template_card', 'text'] as const, true);
    if (type === 'stream' || type === 'stream_with_template_card') checkStream(c, r.stream);
    if (type === 'template_card') checkAibotCard(c, r.template_card, 'template_card');
    if (type === 'stream_with_template_card' && r.template_card !== undefined) checkAibotCard(c, r.template_card, 'template_card');
    if (type === 'text') c.str(c.obj(r.text, 'text')?.content, 'text.content');
  }
  c.done();
}

/**
 * Validate a message for `response_url`.
 * @throws MessageValidationError
 */
export function validateAibotResponseMessage(message: unknown): asserts message is AibotResponseMessage {
  const c = new Checker();
  const m = c.obj(message, 'message');
  if (m) {
    const type = c.oneOf(m.msgtype, 'msgtype', ['markdown', 'template_card'] as const, true);
    if (type === 'markdown') {
      const md = c.obj(m.markdown, 'markdown');
      if (md) {
        c.str(md.content, 'markdown.content', { maxBytes: LIMITS.aibotResponseUrlContentBytes });
        checkFeedback(c, md.feedback, 'markdown.feedback');
      }
    }
    if (type === 'template_card') checkAibotCard(c, m.template_card, 'template_card');
  }
  c.done();
}

function checkStream(c: Checker, value: unknown): void {
  const s = c.obj(value, 'stream');
  if (!s) return;
  c.str(s.id, 'stream.id');
  c.bool(s.finish, 'stream.finish');
  c.str(s.content, 'stream.content', { required: false, maxBytes: LIMITS.aibotStreamContentBytes });
  checkFeedback(c, s.feedback, 'stream.feedback');
  const items = c.list(s.msg_item, 'stream.msg_item', { max: LIMITS.aibotStreamImagesMax });
  if (items && items.length > 0 && s.finish !== true) {
    c.add('stream.msg_item', 'message_invalid_value', 'stream.msg_item (images) is only allowed on the final reply (finish: true)');
  }
  items?.forEach((item, i) => {
    const p = `stream.msg_item[${i}]`;
    const it = c.obj(item, p);
    if (!it) return;
    c.oneOf(it.msgtype, `${p}.msgtype`, ['image'] as const, true);
    const image = c.obj(it.image, `${p}.image`);
    if (!image) return;
    const b64 = c.str(image.base64, `${p}.image.base64`, { pattern: { re: /^[A-Za-z0-9+/]*={0,2}$/, description: 'standard base64' } });
    c.str(image.md5, `${p}.image.md5`, { pattern: { re: /^[0-9a-fA-F]{32}$/, description: '32 hex characters' } });
    if (b64 !== undefined && Math.floor((b64.length * 3) / 4) > LIMITS.aibotStreamImageBytes + 2) {
      c.add(
        `${p}.image.base64`,
        'message_too_long',
        `${p}.image.base64 decodes to more than ${LIMITS.aibotStreamImageBytes} bytes (10 MB)`,
      );
    }
  });
}

/** Render a passive AI bot reply or a response_url message as the JSON plaintext. */
export function renderAibotReply(reply: AibotReply | AibotResponseMessage): string {
  if ('msgtype' in reply && reply.msgtype === 'markdown') validateAibotResponseMessage(reply);
  else validateAibotReply(reply);
  return JSON.stringify(reply);
}
