/**
 * `ctx.stream()` over the long connection. There are no refresh callbacks on a socket: the bot
 * pushes every snapshot itself, as `aibot_respond_msg` frames with the message's req_id and one
 * stream id (doc 101463). Updates are coalesced, latest wins: while a frame waits for its ack,
 * newer snapshots replace each other and only the newest goes next (the SDK either queues every
 * snapshot, up to 500, or skips them and forgets the latest).
 *
 * A stream past its lifetime (846608, 6 minutes from the first frame) stops updating, and its
 * final text goes out as a new message instead: the user still gets the answer.
 */
import type { Logger } from 'pino';
import { ReplyError } from '../bot/errors.js';
import type { ReplyReceipt } from '../bot/reply-envelope.js';
import type { ReplyStream } from '../bot/stream.js';
import { hasErrcode, WS_ERRCODE } from './errors.js';
import type { WsFrame } from './frames.js';
import { fitStreamContent, newStreamId, streamBody } from './reply-bodies.js';

export interface StreamDeps {
  /** Sends one `aibot_respond_msg` body with the message's req_id. */
  send(body: Record<string, unknown>): Promise<WsFrame>;
  /** Delivers the final text another way once the stream expired. */
  fallback(content: string): Promise<ReplyReceipt>;
  log: () => Logger;
}

export class WsStream implements ReplyStream {
  readonly id = newStreamId();
  #latest: string;
  #sent: string | undefined;
  #inflight: Promise<void> | undefined;
  #expired = false;
  #done = false;
  #warnedCut = false;
  readonly #d: StreamDeps;

  constructor(initial: string, deps: StreamDeps) {
    this.#d = deps;
    this.#latest = initial;
    // The first frame goes at once: it opens the bubble and keeps the req_id alive (a long
    // silence on a req_id has produced 846605 in the field).
    this.#pump();
  }

  /** True once the handler finished it (or `settle` did). */
  get done(): boolean {
    return this.#done;
  }

  update(content: string): Promise<void> {
    if (this.#done) return Promise.reject(new ReplyError('reply_unsupported', 'the stream already finished'));
    this.#latest = content;
    this.#pump();
    return Promise.resolve();
  }

  async finish(content?: string): Promise<ReplyReceipt> {
    if (this.#done) throw new ReplyError('reply_unsupported', 'the stream already finished');
    this.#done = true;
    if (content !== undefined) this.#latest = content;
    while (this.#inflight) await this.#inflight;
    if (!this.#expired) {
      try {
        await this.#d.send(streamBody(this.id, this.#fit(this.#latest), true));
        return { via: 'connection' };
      } catch (err) {
        if (!hasErrcode(err, WS_ERRCODE.streamExpired)) throw err;
        this.#expired = true;
      }
    }
    this.#d.log().warn({ streamId: this.id }, 'stream expired (846608): sending the final text as a new message');
    return this.#d.fallback(this.#latest);
  }

  #fit(content: string): string {
    const fit = fitStreamContent(content);
    if (fit.cut && !this.#warnedCut) {
      this.#warnedCut = true;
      this.#d.log().warn({ streamId: this.id }, 'stream content over 20480 bytes: cut to the limit');
    }
    return fit.content;
  }

  #pump(): void {
    if (this.#inflight || this.#expired || this.#done || this.#latest === this.#sent) return;
    const content = this.#latest;
    this.#inflight = this.#d
      .send(streamBody(this.id, this.#fit(content), false))
      .then(
        () => {
          this.#sent = content;
        },
        (err: unknown) => {
          if (hasErrcode(err, WS_ERRCODE.streamExpired)) this.#expired = true;
          else this.#d.log().warn({ err, streamId: this.id }, 'stream update not delivered');
          this.#sent = content;
        },
      )
      .finally(() => {
        this.#inflight = undefined;
        this.#pump();
      });
  }
}
