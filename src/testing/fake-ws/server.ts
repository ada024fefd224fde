/**
 * A fake of WeCom's smart-robot long connection (wss://openws.work.weixin.qq.com) on loopback,
 * with the same frames: subscribe with bot id and secret, ping, message and event callbacks,
 * the respond/send/update commands and the chunked media upload. Every outbound frame is
 * checked (fields, limits, req_id kind and windows); faults are injected on demand: drops,
 * kick-out, slow or missing heartbeats, auth failure, duplicate frames, 846605, 846608.
 * The same HTTP server serves encrypted media downloads.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

import { WebSocketServer, type WebSocket } from 'ws';
import { listenFake } from '../listen.js';
import { checkRespondBody, checkSendBody, checkUpdateBody, checkWelcomeBody } from './validate.js';
import type { Delivered, FakeLongConnectionOptions, HeartbeatMode, RecordedFrame, Violation } from './types.js';

interface Conn {
  id: number;
  ws: WebSocket;
  botId: string | undefined;
  lastSeen: number;
}

type ReqKind = 'message' | 'enter_chat' | 'card_event' | 'event';

interface Upload {
  type: string;
  filename: string;
  totalSize: number;
  totalChunks: number;
  md5: string | undefined;
  chunks: Map<number, Buffer>;
}

const INVALID = 40058;

export interface FakeLongConnection {
  /** `ws://127.0.0.1:port` */
  readonly url: string;
  /** `http://127.0.0.1:port` (media downloads). */
  readonly httpUrl: string;
  /** Every valid-or-not outbound command, in arrival order. */
  readonly frames: RecordedFrame[];
  readonly violations: Violation[];
  /** Subscribe frames received per bot (accepted or not). */
  readonly subscribes: Map<string, number>;
  /** Uploaded media by media_id. */
  readonly media: Map<string, { type: string; filename: string; data: Buffer }>;
  /** Live subscribed sockets of a bot. */
  connected(botId?: string): number;
  /** Pushes a callback body; waits for a subscribed connection if none. */
  deliver(body: Record<string, unknown>, options?: { botId?: string; cmd?: string; reqId?: string }): Delivered;
  text(userId: string, content: string, options?: { botId?: string; chatId?: string; msgId?: string }): Delivered;
  enterChat(userId: string, options?: { botId?: string }): Delivered;
  cardClick(
    userId: string,
    click: { taskId: string; eventKey: string; cardType?: string; chatId?: string },
    options?: { botId?: string },
  ): Delivered;
  /** An image message whose URL serves `data` encrypted with a fresh per-message key. */
  image(userId: string, data: Buffer, options?: { botId?: string }): Delivered & { url: string; aeskey: string };
  /** Sends raw text on the bot's sockets (malformed, oversized, unknown frames). */
  sendRaw(text: string, options?: { botId?: string }): void;
  /** Frames (valid or not) on a req_id. */
  repliesTo(reqId: string): RecordedFrame[];
  /** The content a user sees for a stream (the latest accepted frame). */
  streamText(streamId: string): { content: string; finish: boolean } | undefined;
  /** Resolves when `pred` holds (checked on every frame and every 20 ms). */
  waitFor(pred: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  // ── faults ──
  /** Terminates the bot's sockets (a network drop). */
  drop(botId?: string): void;
  /** Tells the bot's sockets that another connection took over, then closes them. */
  kickOut(botId?: string): void;
  heartbeat(mode: HeartbeatMode): void;
  /** Subscriptions fail with errcode 853000 while on. */
  rejectAuth(on: boolean): void;
  /** The next delivery goes out twice (same msgid, a new req_id each). */
  duplicateNext(): void;
  /** The next frame of `cmd` gets `errcode` (846605, 846608, 846609 …). */
  failNext(cmd: string, errcode: number, errmsg?: string): void;
  /** The next frame of `cmd` is recorded and never acknowledged (a lost ack: the client's timeout). */
  withholdAckNext(cmd: string): void;
  close(): Promise<void>;
}

/**
 * Starts the fake on loopback.
 *
 * @example
 * const fake = await startFakeLongConnection({ bots: { 'bot-1': 'sec' } });
 * const conn = await connectLongConnection(bot, { botId: 'bot-1', secret: 'sec', url: fake.url });
 * const { reqId } = fake.text('alice', 'ping');
 * await fake.waitFor(() => fake.repliesTo(reqId).length > 0);
 */
export async function startFakeLongConnection(options: FakeLongConnectionOptions = {}): Promise<FakeLongConnection> {
  const bots = new Map(Object.entries(options.bots ?? { 'bot-test': 'secret-test' }));
  const defaultBot = [...bots.keys()][0] ?? 'bot-test';
  const streamLifetimeMs = options.streamLifetimeMs ?? 6 * 60 * 1000;
  const cardWindowMs = options.cardWindowMs ?? 5000;
  const welcomeWindowMs = options.welcomeWindowMs ?? 5000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000;
  const slowMs = options.slowHeartbeatMs ?? 2000;

  const files = new Map<string, Buffer>();
  const { server, baseUrl } = await listenFake(async (req, res) => {
    const id = /^\/media\/([\w-]+)$/.exec(req.url ?? '')?.[1];
    const data = id ? files.get(id) : undefined;
    if (!data) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length }).end(data);
  }, {});
  const wss = new WebSocketServer({ server });
  const url = baseUrl.replace(/^http/, 'ws');

  const conns = new Set<Conn>();
  let connSeq = 0;
  let reqSeq = 0;
  const frames: RecordedFrame[] = [];
  const violations: Violation[] = [];
  const subscribes = new Map<string, number>();
  const media = new Map<string, { type: string; filename: string; data: Buffer }>();
  const reqIds = new Map<string, { kind: ReqKind; at: number; botId: string }>();
  const streams = new Map<string, { firstAt: number; content: string; finish: boolean }>();
  const uploads = new Map<string, Upload>();
  const pending: { botId: string; text: string }[] = [];
  const failures: { cmd: string; errcode: number; errmsg: string }[] = [];
  const withholdAcks: string[] = [];
  const waiters = new Set<() => void>();
  let hb: HeartbeatMode = 'normal';
  let refuse = false;
  let dupNext = false;

  const notify = () => {
    for (const w of waiters) w();
  };
  const live = (botId: string) => [...conns].filter((c) => c.botId === botId && c.ws.readyState === c.ws.OPEN);
  const ack = (c: Conn, reqId: string, errcode = 0, errmsg = 'ok', body?: unknown) => {
    if (c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg, ...(body !== undefined && { body }) }));
  };
  const flushPending = (botId: string) => {
    const target = live(botId)[0];
    if (!target) return;
    for (let i = 0; i < pending.length;) {
      const p = pending[i] as { botId: string; text: string };
      if (p.botId === botId) {
        target.ws.send(p.text);
        pending.splice(i, 1);
      } else i++;
    }
  };

  const idleTimer = setInterval(() => {
    const now = Date.now();
    for (const c of conns) if (now - c.lastSeen > idleTimeoutMs) c.ws.close(4000, 'idle');
  }, 1000);
  idleTimer.unref();

  wss.on('connection', (ws) => {
    const c: Conn = { id: ++connSeq, ws, botId: undefined, lastSeen: Date.now() };
    conns.add(c);
    ws.on('close', () => {
      conns.delete(c);
      notify();
    });
    ws.on('message', (data) => {
      c.lastSeen = Date.now();
      onFrame(c, data.toString());
      notify();
    });
  });

  function violation(c: Conn, cmd: string | undefined, reqId: string | undefined, problems: string[]): void {
    violations.push({ conn: c.id, cmd, reqId, problems });
  }

  function onFrame(c: Conn, text: string): void {
    let f: { cmd?: unknown; headers?: { req_id?: unknown }; body?: unknown };
    try {
      f = JSON.parse(text) as typeof f;
    } catch {
      return violation(c, undefined, undefined, ['the frame is not JSON']);
    }
    const reqId = typeof f.headers?.req_id === 'string' ? f.headers.req_id : undefined;
    const cmd = typeof f.cmd === 'string' ? f.cmd : undefined;
    if (!reqId || !cmd) return violation(c, cmd, reqId, ['a frame needs cmd and headers.req_id']);
    const body = (typeof f.body === 'object' && f.body !== null ? f.body : {}) as Record<string, unknown>;

    if (cmd === 'aibot_subscribe') {
      const botId = typeof body.bot_id === 'string' ? body.bot_id : '';
      subscribes.set(botId, (subscribes.get(botId) ?? 0) + 1);
      if (refuse || bots.get(botId) === undefined || bots.get(botId) !== body.secret)
        return ack(c, reqId, 853000, 'invalid bot_id or secret');
      // One live connection per bot: the newest wins (doc 101463).
      for (const old of live(botId)) if (old !== c) sendKick(old);
      c.botId = botId;
      ack(c, reqId);
      flushPending(botId);
      return;
    }
    if (cmd === 'ping') {
      if (hb === 'missing') return;
      if (hb === 'slow') return void setTimeout(() => ack(c, reqId), slowMs).unref();
      return ack(c, reqId);
    }
    const record = (errcode: number) => {
      const f = { conn: c.id, botId: c.botId, cmd, reqId, body, errcode, at: Date.now() };
      if (options.record !== false) frames.push(f);
      options.onFrame?.(f);
    };
    if (!c.botId) {
      record(846609);
      return ack(c, reqId, 846609, 'aibot websocket not subscribed');
    }
    const withheld = withholdAcks.indexOf(cmd);
    if (withheld >= 0) {
      withholdAcks.splice(withheld, 1);
      return record(0);
    }
    const forced = failures.findIndex((x) => x.cmd === cmd);
    if (forced >= 0) {
      const [x] = failures.splice(forced, 1);
      record(x!.errcode);
      return ack(c, reqId, x!.errcode, x!.errmsg);
    }
    const answer = handle(cmd, reqId, body);
    if (answer.problems.length > 0) {
      violation(c, cmd, reqId, answer.problems);
      record(answer.errcode ?? INVALID);
      return ack(c, reqId, answer.errcode ?? INVALID, answer.problems.join('; '));
    }
    record(0);
    ack(c, reqId, 0, 'ok', answer.body);
  }

  function handle(cmd: string, reqId: string, body: Record<string, unknown>): { problems: string[]; errcode?: number; body?: unknown } {
    const known = reqIds.get(reqId);
    const invalidReq = (why: string) => ({ problems: [`invalid req_id: ${why}`], errcode: 846605 });
    switch (cmd) {
      case 'aibot_respond_msg': {
        if (known?.kind !== 'message') return invalidReq(known ? `a ${known.kind} cannot take aibot_respond_msg` : 'unknown');
        const problems = checkRespondBody(body);
        if (problems.length) return { problems };
        const s = body.stream as { id: string; content?: string; finish: boolean } | undefined;
        if (s) {
          const st = streams.get(s.id);
          if (st?.finish) return { problems: [`stream ${s.id} already finished`] };
          if (st && Date.now() - st.firstAt > streamLifetimeMs)
            return { problems: ['stream message update expired (>6 minutes)'], errcode: 846608 };
          streams.set(s.id, { firstAt: st?.firstAt ?? Date.now(), content: s.content ?? '', finish: s.finish });
        }
        return { problems: [] };
      }
      case 'aibot_respond_welcome_msg':
        if (known?.kind !== 'enter_chat') return invalidReq('a welcome answers enter_chat only');
        if (Date.now() - known.at > welcomeWindowMs) return invalidReq('the welcome window has passed');
        return { problems: checkWelcomeBody(body) };
      case 'aibot_respond_update_msg':
        if (known?.kind !== 'card_event') return invalidReq('a card update answers template_card_event only');
        if (Date.now() - known.at > cardWindowMs) return invalidReq('the card update window has passed');
        return { problems: checkUpdateBody(body) };
      case 'aibot_send_msg':
        return { problems: checkSendBody(body) };
      case 'aibot_upload_media_init':
        return uploadInit(body);
      case 'aibot_upload_media_chunk':
        return uploadChunk(body);
      case 'aibot_upload_media_finish':
        return uploadFinish(body);
      default:
        return { problems: [`unknown command ${cmd}`] };
    }
  }

  function uploadInit(b: Record<string, unknown>) {
    const problems: string[] = [];
    if (!['image', 'file', 'voice', 'video'].includes(b.type as string)) problems.push('type must be image, file, voice or video');
    if (typeof b.filename !== 'string' || b.filename === '') problems.push('filename is missing');
    if (!Number.isInteger(b.total_size) || (b.total_size as number) <= 0) problems.push('total_size must be a positive integer');
    if (!Number.isInteger(b.total_chunks) || (b.total_chunks as number) < 1 || (b.total_chunks as number) > 100)
      problems.push('total_chunks must be 1..100');
    if (b.md5 !== undefined && !/^[0-9a-f]{32}$/i.test(String(b.md5))) problems.push('md5 must be 32 hex characters');
    if (problems.length) return { problems };
    const id = `upload_${randomBytes(6).toString('hex')}`;
    uploads.set(id, {
      type: b.type as string,
      filename: b.filename as string,
      totalSize: b.total_size as number,
      totalChunks: b.total_chunks as number,
      md5: b.md5 as string | undefined,
      chunks: new Map(),
    });
    return { problems: [], body: { upload_id: id } };
  }

  function uploadChunk(b: Record<string, unknown>) {
    const u = uploads.get(b.upload_id as string);
    if (!u) return { problems: ['unknown upload_id'] };
    const i = b.chunk_index;
    // Either base is accepted (the doc shows 1, the SDK sends 0): UNCONFIRMED which WeCom wants.
    if (!Number.isInteger(i) || (i as number) < 0 || (i as number) > u.totalChunks)
      return { problems: [`chunk_index must be 0..${u.totalChunks}`] };
    if (typeof b.base64_data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.base64_data))
      return { problems: ['base64_data must be base64'] };
    const data = Buffer.from(b.base64_data, 'base64');
    if (data.length > 512 * 1024) return { problems: [`chunk ${String(i)} is ${data.length} bytes; the limit is 512 KB`] };
    u.chunks.set(i as number, data);
    return { problems: [] };
  }

  function uploadFinish(b: Record<string, unknown>) {
    const u = uploads.get(b.upload_id as string);
    if (!u) return { problems: ['unknown upload_id'] };
    const base = u.chunks.has(0) ? 0 : 1;
    const parts: Buffer[] = [];
    for (let i = 0; i < u.totalChunks; i++) {
      const part = u.chunks.get(i + base);
      if (!part) return { problems: [`chunk ${i + base} is missing`] };
      parts.push(part);
    }
    const data = Buffer.concat(parts);
    if (data.length !== u.totalSize) return { problems: [`uploaded ${data.length} bytes; total_size said ${u.totalSize}`] };
    if (u.md5 && createHash('md5').update(data).digest('hex') !== u.md5.toLowerCase()) return { problems: ['md5 does not match'] };
    uploads.delete(b.upload_id as string);
    const mediaId = `media_${randomBytes(8).toString('hex')}`;
    media.set(mediaId, { type: u.type, filename: u.filename, data });
    return { problems: [], body: { type: u.type, media_id: mediaId, created_at: Math.floor(Date.now() / 1000) } };
  }

  function sendKick(c: Conn): void {
    const body = {
      msgid: `kick_${randomBytes(6).toString('hex')}`,
      create_time: Math.floor(Date.now() / 1000),
      aibotid: c.botId,
      msgtype: 'event',
      event: { eventtype: 'disconnected_event' },
    };
    c.ws.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: `kick_${++reqSeq}` }, body }));
    c.botId = undefined;
    setTimeout(() => c.ws.close(1000, 'replaced'), 20).unref();
  }

  function deliver(body: Record<string, unknown>, o: { botId?: string; cmd?: string; reqId?: string } = {}): Delivered {
    const botId = o.botId ?? defaultBot;
    const copies = dupNext ? 2 : 1;
    dupNext = false;
    let first = '';
    for (let i = 0; i < copies; i++) {
      const reqId = i === 0 && o.reqId ? o.reqId : `req_${++reqSeq}_${randomBytes(3).toString('hex')}`;
      first ||= reqId;
      const ev = (body.event as { eventtype?: string } | undefined)?.eventtype;
      const kind: ReqKind =
        body.msgtype !== 'event' ? 'message' : ev === 'enter_chat' ? 'enter_chat' : ev === 'template_card_event' ? 'card_event' : 'event';
      reqIds.set(reqId, { kind, at: Date.now(), botId });
      const cmd = o.cmd ?? (body.msgtype === 'event' ? 'aibot_event_callback' : 'aibot_msg_callback');
      pending.push({ botId, text: JSON.stringify({ cmd, headers: { req_id: reqId }, body }) });
    }
    flushPending(botId);
    return { reqId: first, msgId: String(body.msgid) };
  }

  const base = (userId: string, botId: string, chatId?: string) => ({
    msgid: `msg_${randomBytes(8).toString('hex')}`,
    aibotid: botId,
    ...(chatId && { chatid: chatId }),
    chattype: chatId ? 'group' : 'single',
    from: { userid: userId },
    response_url: `${baseUrl}/cgi-bin/aibot/response?response_code=${randomBytes(6).toString('hex')}`,
  });

  return {
    url,
    httpUrl: baseUrl,
    frames,
    violations,
    subscribes,
    media,
    connected: (botId = defaultBot) => live(botId).length,
    deliver,
    text(userId, content, o = {}) {
      const botId = o.botId ?? defaultBot;
      const b = { ...base(userId, botId, o.chatId), msgtype: 'text', text: { content } };
      if (o.msgId) b.msgid = o.msgId;
      return deliver(b, { botId });
    },
    enterChat(userId, o = {}) {
      const botId = o.botId ?? defaultBot;
      return deliver(
        { ...base(userId, botId), create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event: { eventtype: 'enter_chat' } },
        { botId },
      );
    },
    cardClick(userId, click, o = {}) {
      const botId = o.botId ?? defaultBot;
      const event = {
        eventtype: 'template_card_event',
        template_card_event: { card_type: click.cardType ?? 'button_interaction', event_key: click.eventKey, task_id: click.taskId },
      };
      return deliver(
        { ...base(userId, botId, click.chatId), create_time: Math.floor(Date.now() / 1000), msgtype: 'event', event },
        { botId },
      );
    },
    image(userId, data, o = {}) {
      const botId = o.botId ?? defaultBot;
      const key = randomBytes(32);
      const pad = 32 - (data.length % 32);
      const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
      const enc = Buffer.concat([cipher.update(Buffer.concat([data, Buffer.alloc(pad, pad)])), cipher.final()]);
      const id = randomBytes(8).toString('hex');
      files.set(id, enc);
      const url = `${baseUrl}/media/${id}`;
      const aeskey = key.toString('base64');
      const d = deliver({ ...base(userId, botId), msgtype: 'image', image: { url, aeskey } }, { botId });
      return { ...d, url, aeskey };
    },
    sendRaw(text, o = {}) {
      for (const c of live(o.botId ?? defaultBot)) c.ws.send(text);
    },
    repliesTo: (reqId) => frames.filter((f) => f.reqId === reqId),
    streamText(id) {
      const s = streams.get(id);
      return s && { content: s.content, finish: s.finish };
    },
    waitFor(pred, timeoutMs = 5000, what = 'condition') {
      if (pred()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          done();
          resolve();
        };
        const iv = setInterval(check, 20);
        const to = setTimeout(() => {
          done();
          reject(new Error(`fake long connection: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        const done = () => {
          clearInterval(iv);
          clearTimeout(to);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    drop(botId = defaultBot) {
      for (const c of live(botId)) c.ws.terminate();
    },
    kickOut(botId = defaultBot) {
      for (const c of live(botId)) sendKick(c);
    },
    heartbeat(mode) {
      hb = mode;
    },
    rejectAuth(on) {
      refuse = on;
    },
    duplicateNext() {
      dupNext = true;
    },
    failNext(cmd, errcode, errmsg = `injected errcode ${errcode}`) {
      failures.push({ cmd, errcode, errmsg });
    },
    withholdAckNext(cmd) {
      withholdAcks.push(cmd);
    },
    async close() {
      clearInterval(idleTimer);
      for (const c of conns) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
