/**
 * The replies to one inbound frame: ctx.reply / ctx.stream / ctx.updateCard / ctx.push become
 * the documented outbound commands, all with the inbound frame's req_id except new messages.
 *
 * | callback             | ctx.reply                          | ctx.stream          | ctx.updateCard            |
 * |----------------------|------------------------------------|---------------------|---------------------------|
 * | message              | aibot_respond_msg (stream or card) | aibot_respond_msg   | refused (not a click)     |
 * | enter_chat           | aibot_respond_welcome_msg (once)   | welcome on finish   | refused                   |
 * | template_card_event  | aibot_send_msg (new message)       | new message         | aibot_respond_update_msg  |
 * | feedback_event       | aibot_send_msg                     | new message         | refused                   |
 *
 * A reply refused with 846605 (invalid req_id: expired, or the wrong kind) is sent again as a
 * new message (`aibot_send_msg`), which the platform allows in any conversation the user opened.
 */
import type { Logger } from 'pino';
import type { DirectChannel, DirectMessage } from '../bot/direct.js';
import type { OutgoingReply } from '../bot/reply-content.js';
import type { ReplyReceipt } from '../bot/reply-envelope.js';
import type { ReplyStream } from '../bot/stream.js';
import { cardUpdateTooLate } from '../bot/update-card.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import type { AibotUpdateCardReply } from '../protocol/reply/aibot-reply.js';
import { hasErrcode, WS_ERRCODE } from './errors.js';
import { WS_CMD, type WsFrame } from './frames.js';
import { uploadMedia, type UploadOptions, type UploadedMedia } from './media-upload.js';
import { mediaBody, respondBody, sendMsgBody, welcomeBody } from './reply-bodies.js';
import { WsStream } from './stream.js';

/** WeCom answers a card click only within 5 s (doc 101027). */
export const CARD_UPDATE_WINDOW_MS = 5000;

/** What a channel needs from the connection. */
export interface FrameSender {
  send(frame: WsFrame): Promise<WsFrame>;
  request(cmd: string, body: unknown): Promise<WsFrame>;
}

/** Every reply over the connection has the same receipt: one frozen object, not one per reply. */
const VIA_CONNECTION: ReplyReceipt = Object.freeze({ via: 'connection' });

export class MessageReplies implements DirectChannel {
  readonly #c: FrameSender;
  readonly #reqId: string;
  readonly #m: DirectMessage;
  readonly #parentLog: Logger;
  #childLog: Logger | undefined;
  readonly #receivedAt = Date.now();
  #welcomed = false;
  #cardUpdated = false;
  // Made on first use: most messages get one reply and no stream (every message makes a channel).
  #work: Set<Promise<unknown>> | undefined;
  #streams: WsStream[] | undefined;

  /** `log`: the connection's logger; this message's child of it (req_id, msgid) is made on first use. */
  constructor(sender: FrameSender, reqId: string, message: DirectMessage, log: Logger) {
    this.#c = sender;
    this.#reqId = reqId;
    this.#m = message;
    this.#parentLog = log;
  }

  #log(): Logger {
    return (this.#childLog ??= this.#parentLog.child({ reqId: this.#reqId, msgId: this.#m.msgId }));
  }

  /** The conversation: the group's chatid, or the user's id in a single chat. */
  get chatId(): string {
    return this.#m.chatId ?? this.#m.from.userId;
  }

  reply(message: OutgoingReply): Promise<ReplyReceipt> {
    return this.#track(this.#reply(message));
  }

  stream(initial: string): ReplyStream {
    if (this.#m.type === 'event') return this.#bufferedStream(initial);
    const s = new WsStream(initial, {
      send: (body) => this.#track(this.#respond(WS_CMD.respondMsg, body)),
      fallback: (content) => this.#sendNew({ msgtype: 'markdown', markdown: { content } }),
      log: () => this.#log(),
    });
    (this.#streams ??= []).push(s);
    return s;
  }

  updateCard(update: AibotUpdateCardReply): Promise<ReplyReceipt> {
    if (this.#cardUpdated) return Promise.reject(cardUpdateTooLate('reply', CARD_UPDATE_WINDOW_MS));
    if (Date.now() - this.#receivedAt > CARD_UPDATE_WINDOW_MS) return Promise.reject(cardUpdateTooLate('budget', CARD_UPDATE_WINDOW_MS));
    this.#cardUpdated = true;
    return this.#track(this.#respond(WS_CMD.respondUpdate, { ...update }).then(() => VIA_CONNECTION));
  }

  push(message: WebhookMessage): Promise<ReplyReceipt> {
    return this.#track(this.#sendNew(message));
  }

  async settle(): Promise<void> {
    for (const s of this.#streams ?? []) {
      if (s.done) continue;
      // A handler that returned with its stream open would leave a spinner for 6 minutes.
      this.#log().warn({ streamId: s.id }, 'handler returned with its stream open: finishing it');
      void this.#track(s.finish());
    }
    const work = this.#work;
    while (work !== undefined && work.size > 0) await Promise.allSettled([...work]);
  }

  /** Uploads a medium (chunked) for a reply. */
  upload(data: Uint8Array, options: UploadOptions): Promise<UploadedMedia> {
    return uploadMedia((cmd, body) => this.#c.request(cmd, body), data, options);
  }

  async #reply(m: OutgoingReply): Promise<ReplyReceipt> {
    // Only an image waits for an upload; a text goes out in this turn.
    const media = m.msgtype === 'image' ? await this.#mediaOf(m) : undefined;
    if (this.#m.type !== 'event') {
      await this.#orNew(this.#respond(WS_CMD.respondMsg, media ?? respondBody(m)), m, media);
      return VIA_CONNECTION;
    }
    if (this.#m.eventType === 'enter_chat' && !this.#welcomed && !media) {
      this.#welcomed = true;
      await this.#orNew(this.#respond(WS_CMD.respondWelcome, welcomeBody(m)), m);
      return VIA_CONNECTION;
    }
    return this.#sendNew(m, media);
  }

  /** A reply refused for its req_id (846605) goes again as a new message. */
  async #orNew(p: Promise<WsFrame>, m: OutgoingReply, media?: Record<string, unknown>): Promise<void> {
    try {
      await p;
    } catch (err) {
      if (!hasErrcode(err, WS_ERRCODE.invalidReqId)) throw err;
      this.#log().warn({ reqId: this.#reqId }, 'reply refused for its req_id (846605): sending it as a new message');
      await this.#sendNew(m, media);
    }
  }

  async #sendNew(m: OutgoingReply, media?: Record<string, unknown>): Promise<ReplyReceipt> {
    const body = media ? { chatid: this.chatId, ...media } : sendMsgBody(this.chatId, m);
    await this.#c.request(WS_CMD.sendMsg, body);
    return VIA_CONNECTION;
  }

  #respond(cmd: string, body: Record<string, unknown>): Promise<WsFrame> {
    return this.#c.send({ cmd, headers: { req_id: this.#reqId }, body });
  }

  /** An image reply ({ base64, md5 }) is uploaded first and sent by media_id. */
  async #mediaOf(m: OutgoingReply): Promise<Record<string, unknown> | undefined> {
    if (m.msgtype !== 'image') return undefined;
    const data = Buffer.from((m as { image: { base64: string } }).image.base64, 'base64');
    const up = await this.upload(data, { type: 'image', filename: 'image.png' });
    return mediaBody('image', up.mediaId);
  }

  /** Events take no stream frames (846605): the text is buffered and sent as one reply. */
  #bufferedStream(initial: string): ReplyStream {
    let content = initial;
    let done = false;
    return {
      id: 'buffered',
      update: (c) => {
        content = c;
        return Promise.resolve();
      },
      finish: (c) => {
        if (done) return Promise.reject(new Error('the stream already finished'));
        done = true;
        return this.reply({ msgtype: 'markdown', markdown: { content: c ?? content } });
      },
    };
  }

  #track<T>(p: Promise<T>): Promise<T> {
    const work = (this.#work ??= new Set());
    work.add(p);
    const drop = () => work.delete(p);
    p.then(drop, drop);
    return p;
  }
}
