/**
 * One bot's long connection: dial, subscribe, heartbeat, reconnect, and the acknowledged send
 * of frames. A state machine with explicit end states, so nothing reconnects by accident:
 *
 *   connecting → authenticating → ready ──drop──→ backoff → connecting …
 *                     │                └─kicked─→ kicked   (another connection won: no reconnect)
 *                     └─refused──→ failed                  (wrong secret: no retry loop)
 *   close() from any state → closed
 *
 * Frames sharing a req_id are sent strictly one after another, each after the previous ack
 * (the platform's rule for a stream). Frames queued while the link is down wait for the next
 * subscription and go out then, with their original req_id: a reply outlives a reconnect.
 */
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { redactSecrets } from '../redact.js';
import type { Backoff } from './backoff.js';
import { WS_ERRCODE, WsError, replyFailed } from './errors.js';
import { decodeFrame, encodeFrame, isAck, WS_CMD, type WsFrame } from './frames.js';
import { newReqId } from './req-id.js';

/** Inbound frames handled per turn of the event loop (see #drain). */
const INBOX_SLICE = 16;
const EMPTY = Buffer.alloc(0);

export type ConnectionState = 'connecting' | 'authenticating' | 'ready' | 'backoff' | 'closed' | 'kicked' | 'failed';

/** Why a connection ended for good. */
export type EndReason = 'closed' | 'kicked' | 'auth_failed';

export interface ConnectionOptions {
  url: string;
  botId: string;
  secret: string;
  heartbeatMs: number;
  heartbeatTimeoutMs: number;
  ackTimeoutMs: number;
  maxFrameBytes: number;
  backoff: Backoff;
  log: Logger;
  /** Inbound commands (message and event callbacks, unknown commands). Not acks. */
  onFrame(frame: WsFrame): void;
  /** Extra options for the `ws` client (TLS, proxy agent). */
  wsOptions?: WebSocket.ClientOptions;
}

/** Counters, for logs, tests and the benchmark. */
export interface ConnectionStats {
  /** Sockets opened. */
  dials: number;
  /** Successful subscriptions. */
  subscriptions: number;
  /** Connections lost and retried. */
  drops: number;
  /** Inbound frames skipped as malformed or oversized. */
  skipped: number;
  /** Pings without an ack in time. */
  missedHeartbeats: number;
}

interface Outgoing {
  frame: WsFrame;
  resolve(ack: WsFrame): void;
  reject(err: unknown): void;
  /** When its ack is overdue (epoch ms); 0 while it is not on the wire. */
  ackBy: number;
  /** 846609 once already: the next one fails the frame. */
  resent: boolean;
}

export class LongConnection {
  #state: ConnectionState = 'connecting';
  #ws: WebSocket | undefined;
  #queues = new Map<string, Outgoing[]>();
  #subscribeReqId: string | undefined;
  #subscribeTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #pingReqId: string | undefined;
  #pingTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #readyAt = 0;
  #everReady = false;
  #first: { resolve(): void; reject(err: unknown): void };
  readonly firstReady: Promise<void>;
  #endResolve!: (r: EndReason) => void;
  /** Resolves once the connection ended for good. */
  readonly ended: Promise<EndReason>;
  readonly stats: ConnectionStats = { dials: 0, subscriptions: 0, drops: 0, skipped: 0, missedHeartbeats: 0 };
  /** Set by the first subscription that failed, for the caller's message. */
  authError: WsError | undefined;
  readonly #o: ConnectionOptions;
  #onReady: (() => void)[] = [];
  #corked = false;
  #inbox: Buffer[] = [];
  #inboxHead = 0;
  #drainScheduled = false;
  #ackSweep: NodeJS.Timeout | undefined;

  constructor(options: ConnectionOptions) {
    this.#o = options;
    let first!: { resolve(): void; reject(err: unknown): void };
    this.firstReady = new Promise<void>((resolve, reject) => (first = { resolve, reject }));
    this.firstReady.catch(() => undefined);
    this.#first = first;
    this.ended = new Promise((resolve) => (this.#endResolve = resolve));
    this.#dial();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Frames waiting (queued or un-acked), over every req_id. */
  get queued(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.length;
    return n;
  }

  /** Calls `fn` at every (re)subscription. */
  onReady(fn: () => void): void {
    this.#onReady.push(fn);
  }

  /**
   * Sends a frame and resolves with its ack (errcode 0); rejects with a WsError for a non-zero
   * errcode, an ack timeout, or a connection that ended. While the link is down the frame waits.
   */
  send(frame: WsFrame): Promise<WsFrame> {
    if (this.#state === 'closed' || this.#state === 'kicked' || this.#state === 'failed') return Promise.reject(this.#endedError(frame));
    return new Promise((resolve, reject) => {
      const reqId = frame.headers.req_id;
      let q = this.#queues.get(reqId);
      if (!q) this.#queues.set(reqId, (q = []));
      q.push({ frame, resolve, reject, ackBy: 0, resent: false });
      if (q.length === 1 && this.#state === 'ready') this.#write(reqId);
    });
  }

  /** Sends a self-initiated command with a fresh req_id. */
  request(cmd: string, body: unknown): Promise<WsFrame> {
    return this.send({ cmd, headers: { req_id: newReqId(cmd) }, body });
  }

  /** Ends the connection for good; queued frames are rejected (the adapter drains them first). */
  close(): void {
    if (this.#state === 'closed' || this.#state === 'kicked' || this.#state === 'failed') return;
    this.#end('closed', 'closed');
  }

  /** Drops the socket to force a reconnect (an unusable link). */
  recycle(why: string): void {
    if (this.#state !== 'ready' && this.#state !== 'authenticating') return;
    this.#o.log.warn({ why }, 'long connection: dropping the socket to reconnect');
    this.#ws?.terminate();
  }

  // ── socket lifecycle ──────────────────────────────────────────────────────────────────

  #dial(): void {
    this.#state = 'connecting';
    this.stats.dials++;
    // maxPayload well above our own limit: an oversized frame is skipped by us, not a socket
    // close by the library (the connection stays up).
    const ws = new WebSocket(this.#o.url, { maxPayload: 64 * 1024 * 1024, handshakeTimeout: 10_000, ...this.#o.wsOptions });
    this.#ws = ws;
    ws.on('open', () => this.#subscribe(ws));
    ws.on('message', (data) => {
      if (ws !== this.#ws) return;
      // A Buffer either way (text or binary): decodeFrame takes its size from it and decodes once.
      this.#inbox.push(data as Buffer);
      if (!this.#drainScheduled) {
        this.#drainScheduled = true;
        setImmediate(this.#drain);
      }
    });
    ws.on('error', (err) => {
      if (ws !== this.#ws) return;
      this.#o.log.warn({ err: { message: redactSecrets(err.message, [this.#o.secret]) } }, 'long connection: socket error');
    });
    ws.on('close', (code) => {
      if (ws !== this.#ws) return;
      // What the socket delivered is handled before its close, in order, as if read inline:
      // a subscription ack or a message left in the inbox must not meet the next socket.
      this.#drainAll();
      this.#socketClosed(code);
    });
  }

  #subscribe(ws: WebSocket): void {
    if (ws !== this.#ws) return;
    this.#state = 'authenticating';
    const reqId = newReqId(WS_CMD.subscribe);
    this.#subscribeReqId = reqId;
    // The secret goes on the wire here only; it is never logged.
    ws.send(encodeFrame({ cmd: WS_CMD.subscribe, headers: { req_id: reqId }, body: { bot_id: this.#o.botId, secret: this.#o.secret } }));
    this.#subscribeTimer = setTimeout(() => {
      this.#o.log.warn({ timeoutMs: this.#o.ackTimeoutMs }, 'long connection: no answer to the subscription; reconnecting');
      ws.terminate();
    }, this.#o.ackTimeoutMs);
  }

  #subscribed(ack: WsFrame): void {
    clearTimeout(this.#subscribeTimer);
    this.#subscribeReqId = undefined;
    const errcode = ack.errcode ?? 0;
    if (errcode !== 0) {
      const err = new WsError(
        'ws_auth_failed',
        `WeCom refused the subscription of bot ${this.#o.botId} (errcode ${errcode} ${ack.errmsg ?? ''}): check WECOM_AIBOT_SECRET and WECOM_AIBOT_ID`,
        {
          errcode,
          cmd: WS_CMD.subscribe,
          hint: 'check WECOM_AIBOT_ID and WECOM_AIBOT_SECRET (the long-connection secret of the smart robot, API mode "长连接"); not retrying, subscriptions are rate-protected',
        },
      );
      this.authError = err;
      this.#o.log.error({ code: err.code, errcode, botId: this.#o.botId }, `long connection: ${err.message}; ${err.hint}`);
      this.#end('failed', 'auth_failed', err);
      return;
    }
    this.#state = 'ready';
    this.#readyAt = Date.now();
    this.stats.subscriptions++;
    this.#o.log.info({ botId: this.#o.botId, reconnect: this.#everReady }, 'long connection ready');
    this.#everReady = true;
    this.#first.resolve();
    this.#startHeartbeat();
    for (const fn of this.#onReady) fn();
    for (const reqId of this.#queues.keys()) this.#write(reqId);
  }

  #socketClosed(code: number): void {
    this.#stopTimers();
    // What was on the wire goes again on the next socket, with a fresh ack deadline.
    for (const q of this.#queues.values()) if (q[0]) q[0].ackBy = 0;
    if (this.#state === 'closed' || this.#state === 'kicked' || this.#state === 'failed') return;
    const upMs = this.#state === 'ready' ? Date.now() - this.#readyAt : 0;
    this.#o.backoff.connectionEnded(upMs);
    const delayMs = this.#o.backoff.next();
    this.stats.drops++;
    this.#state = 'backoff';
    this.#o.log.warn({ code, upMs, attempt: this.#o.backoff.attempt, delayMs, waiting: this.queued }, 'long connection lost; reconnecting');
    // Not unref'd: during back-off nothing else keeps a `serve --ws` process alive.
    this.#reconnectTimer = setTimeout(() => this.#dial(), delayMs);
  }

  #end(state: 'closed' | 'kicked' | 'failed', reason: EndReason, err?: WsError): void {
    this.#state = state;
    this.#stopTimers();
    clearTimeout(this.#reconnectTimer);
    const failure = err ?? this.#endedError();
    for (const q of this.#queues.values()) for (const o of q) o.reject(failure);
    this.#queues.clear();
    this.#stopAckSweep();
    const ws = this.#ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000);
    else ws?.terminate();
    this.#first.reject(failure);
    this.#endResolve(reason);
  }

  #endedError(frame?: WsFrame): WsError {
    const kicked = this.#state === 'kicked';
    return new WsError(
      kicked ? 'ws_kicked_out' : 'ws_closed',
      kicked ? 'the connection was taken over by another connection of this bot' : 'the long connection is closed',
      {
        reqId: frame?.headers.req_id,
        cmd: frame?.cmd,
      },
    );
  }

  #stopTimers(): void {
    clearTimeout(this.#subscribeTimer);
    clearInterval(this.#heartbeat);
    clearTimeout(this.#pingTimer);
    this.#pingReqId = undefined;
  }

  // ── heartbeat ─────────────────────────────────────────────────────────────────────────

  #startHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => this.#ping(), this.#o.heartbeatMs);
    this.#heartbeat.unref();
  }

  #ping(): void {
    const ws = this.#ws;
    if (!ws || this.#state !== 'ready') return;
    if (this.#pingReqId) return; // the previous one is still within its timeout
    const reqId = newReqId(WS_CMD.ping);
    this.#pingReqId = reqId;
    ws.send(encodeFrame({ cmd: WS_CMD.ping, headers: { req_id: reqId } }));
    this.#pingTimer = setTimeout(() => {
      // A missing pong means a half-open link: waiting 3 intervals (the SDK) loses minutes of messages.
      this.stats.missedHeartbeats++;
      this.#o.log.warn({ timeoutMs: this.#o.heartbeatTimeoutMs }, 'long connection: heartbeat not acknowledged; reconnecting');
      ws.terminate();
    }, this.#o.heartbeatTimeoutMs);
    this.#pingTimer.unref();
  }

  // ── frames ────────────────────────────────────────────────────────────────────────────

  /**
   * Inbound frames are handled INBOX_SLICE at a time, one slice per turn of the event loop (the
   * check phase of the turn that read them, so a lone frame waits for nothing). Under load one TCP
   * read carries a hundred frames or more, and `ws` emits them all synchronously: handled there,
   * no reply could leave before the last frame of the read was parsed and the sender sat idle
   * for the whole burst, then the bot for the next (in→out p50 14 ms at 200 in flight, against
   * 0.02 ms for the official SDK, whose handler replies inline). A slice's replies leave at the
   * end of its turn (#coalesce) while the next slice is read.
   */
  readonly #drain = (): void => this.#drainUpTo(INBOX_SLICE);

  #drainAll(): void {
    this.#drainUpTo(Infinity);
  }

  #drainUpTo(slice: number): void {
    this.#drainScheduled = false;
    const inbox = this.#inbox;
    const end = Math.min(inbox.length, this.#inboxHead + slice);
    for (; this.#inboxHead < end; this.#inboxHead++) {
      const data = inbox[this.#inboxHead] as Buffer;
      inbox[this.#inboxHead] = EMPTY;
      if (this.#state === 'closed' || this.#state === 'kicked' || this.#state === 'failed') continue;
      this.#receive(data);
    }
    if (this.#inboxHead < inbox.length) {
      this.#drainScheduled = true;
      setImmediate(this.#drain);
    } else {
      inbox.length = 0;
      this.#inboxHead = 0;
    }
  }

  #receive(data: string | Buffer): void {
    const decoded = decodeFrame(data, this.#o.maxFrameBytes);
    if (!decoded.ok) {
      this.stats.skipped++;
      this.#o.log.warn(
        { reason: decoded.rejection.reason, detail: decoded.rejection.detail, bytes: decoded.rejection.bytes },
        'long connection: frame skipped',
      );
      return;
    }
    const frame = decoded.frame;
    if (!isAck(frame)) {
      if (isKickOut(frame)) return this.#kicked();
      this.#o.onFrame(frame);
      return;
    }
    const reqId = frame.headers.req_id;
    if (reqId === this.#subscribeReqId) return this.#subscribed(frame);
    if (reqId === this.#pingReqId) {
      clearTimeout(this.#pingTimer);
      this.#pingReqId = undefined;
      if ((frame.errcode ?? 0) !== 0) this.#o.log.warn({ errcode: frame.errcode }, 'long connection: heartbeat answered with an error');
      return;
    }
    const q = this.#queues.get(reqId);
    const head = q?.[0];
    if (!q || !head) {
      this.#o.log.debug({ reqId }, 'long connection: ack for no pending frame (late or duplicate)');
      return;
    }
    head.ackBy = 0;
    const errcode = frame.errcode ?? 0;
    if (errcode === WS_ERRCODE.notSubscribed && !head.resent) {
      // The socket is dead for WeCom: resend on a fresh subscription.
      head.resent = true;
      this.recycle('errcode 846609 (not subscribed)');
      return;
    }
    this.#advance(reqId);
    if (errcode === 0) head.resolve(frame);
    else head.reject(replyFailed(errcode, frame.errmsg ?? '', head.frame.cmd, reqId));
  }

  #kicked(): void {
    this.#o.log.error(
      { botId: this.#o.botId, code: 'ws_kicked_out', waiting: this.queued },
      'long connection taken over: another connection of this bot subscribed, and WeCom keeps only the newest one. ' +
        'The other side won because it connected last; this side yields and does not reconnect (reconnecting would kick the other in turn, forever). ' +
        'Stop one of the two processes, or restart this one to take the bot back.',
    );
    this.#end('kicked', 'kicked');
  }

  /** Writes the head frame of a req_id queue and starts its ack deadline. */
  #write(reqId: string): void {
    const head = this.#queues.get(reqId)?.[0];
    const ws = this.#ws;
    if (!head || !ws || this.#state !== 'ready') return;
    this.#coalesce(ws);
    ws.send(encodeFrame(head.frame));
    head.ackBy = Date.now() + this.#o.ackTimeoutMs;
    if (this.#ackSweep !== undefined) return;
    // One sweep for every frame in flight instead of a setTimeout and a clearTimeout per frame:
    // a missing ack is noticed between ackTimeoutMs and 1.25 × ackTimeoutMs after the write.
    this.#ackSweep = setInterval(() => this.#sweepAcks(), Math.max(10, Math.min(1000, this.#o.ackTimeoutMs / 4)));
    this.#ackSweep.unref();
  }

  /** Fails each head frame whose ack is overdue (the next frame of its req_id then goes out). */
  #sweepAcks(): void {
    if (this.#queues.size === 0) return this.#stopAckSweep();
    const now = Date.now();
    for (const [reqId, q] of this.#queues) {
      const head = q[0];
      if (!head || head.ackBy === 0 || head.ackBy > now) continue;
      head.ackBy = 0;
      this.#advance(reqId);
      head.reject(
        new WsError(
          'ws_ack_timeout',
          `no acknowledgement of ${head.frame.cmd ?? 'a frame'} within ${this.#o.ackTimeoutMs} ms; delivery unknown`,
          {
            reqId,
            cmd: head.frame.cmd,
          },
        ),
      );
    }
  }

  #stopAckSweep(): void {
    clearInterval(this.#ackSweep);
    this.#ackSweep = undefined;
  }

  /**
   * Replies written in one turn of the event loop leave in one socket write. `ws` writes every
   * frame with its own writev; a batch of inbound frames (they arrive many to a TCP read under
   * load) is answered by a burst of replies in the same turn, and one syscall per reply was a
   * share of the client's CPU per message in bench:ws. The socket is corked at the first reply
   * and uncorked when the microtasks of the current slice have run (process.nextTick): no timer,
   * no delay beyond the slice.
   */
  #coalesce(ws: WebSocket): void {
    if (this.#corked) return;
    // `_socket` is the net.Socket under the WebSocket (not in @types/ws, stable across ws 8).
    const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void; destroyed?: boolean } })._socket;
    if (!socket || socket.destroyed) return;
    socket.cork();
    this.#corked = true;
    // A tick queued from a promise job runs once the whole microtask queue is empty: after the
    // replies of every handler of this slice, before the next slice.
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }

  #advance(reqId: string): void {
    const q = this.#queues.get(reqId);
    if (!q) return;
    q.shift();
    if (q.length === 0) this.#queues.delete(reqId);
    else this.#write(reqId);
  }
}

/** `disconnected_event`: WeCom tells the old connection that a newer one took over (doc 101463). */
export function isKickOut(frame: WsFrame): boolean {
  if (frame.cmd !== WS_CMD.eventCallback) return false;
  const body = frame.body as { event?: { eventtype?: unknown }; msgtype?: unknown } | undefined;
  return body?.event?.eventtype === 'disconnected_event';
}
