/**
 * `connectLongConnection(bot, { botId, secret })`: a bot on the smart robot's WebSocket long
 * connection. A thin adapter: each message frame is parsed into the same typed message the
 * HTTP callback produces and goes through `bot.handleDirect` (de-duplication in the store, the
 * router, the context); replies become the documented outbound commands (replies.ts).
 */
import type { Logger } from 'pino';
import type { Bot } from '../bot/bot.js';
import type { Context } from '../bot/context.js';
import { toReplyMessage, type ReplyContent } from '../bot/reply-content.js';
import { readAibotCallback } from '../protocol/callback/aibot.js';
import type { DirectMessage } from '../bot/direct.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { LongConnection, type ConnectionState, type ConnectionStats, type EndReason } from './connection.js';
import { WsError } from './errors.js';
import { INBOUND_COMMANDS, WS_CMD, type WsFrame } from './frames.js';
import { rememberMediaKeys } from './media-download.js';
import { uploadMedia, type UploadOptions, type UploadedMedia } from './media-upload.js';
import { sendMsgBody } from './reply-bodies.js';
import { MessageReplies } from './replies.js';

export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

export interface LongConnectionOptions {
  /** The smart robot's BotID (WECOM_AIBOT_ID). */
  botId: string;
  /** Its long-connection Secret (WECOM_AIBOT_SECRET). Never logged. */
  secret: string;
  /** Default `wss://openws.work.weixin.qq.com` (private deployments: see the admin console). */
  url?: string;
  /** Default: the bot's logger. */
  logger?: Logger;
  /** Ping interval. Default 30000 ms (the documented recommendation). */
  heartbeatMs?: number;
  /** A ping unanswered this long drops the socket and reconnects. Default 10000 ms. */
  heartbeatTimeoutMs?: number;
  /** A frame unanswered this long fails with `ws_ack_timeout`. Default 5000 ms. */
  ackTimeoutMs?: number;
  /** Inbound frames larger than this are skipped (the connection stays up). Default 1 MiB. */
  maxFrameBytes?: number;
  /** Reconnect back-off: 0.5–1 s, doubling to a 30 s cap, jittered. */
  backoff?: BackoffOptions;
  /** Graceful shutdown waits this long for in-flight handlers. Default 30000 ms. */
  drainTimeoutMs?: number;
  /** Options for the `ws` client (TLS, proxy agent). */
  wsOptions?: import('ws').ClientOptions;
}

export interface LongConnectionHandle {
  /** `ready`, `backoff`, … and the end states `closed`, `kicked`, `failed`. */
  readonly state: ConnectionState;
  readonly stats: ConnectionStats & { handled: number; duplicates: number; inFlight: number };
  /** Resolves when the connection ended for good: `closed`, `kicked` (another connection won) or `auth_failed`. */
  readonly ended: Promise<EndReason>;
  /** A new message into a conversation (`aibot_send_msg`; the user must have written to the bot before). */
  sendMessage(chatId: string, content: ReplyContent): Promise<void>;
  /** Uploads a medium through the chunked upload; its media_id lives 3 days. */
  uploadMedia(data: Uint8Array, options: UploadOptions): Promise<UploadedMedia>;
  /** Stops taking frames, lets in-flight handlers finish their replies, then closes the socket. */
  close(): Promise<void>;
}

function required(name: string, value: unknown, envName: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new WsError('ws_config', `${name} is missing or empty`, { hint: `set ${envName} (the smart robot's API mode "长连接" page)` });
  return value.trim();
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new WsError('ws_config', `${name} must be a positive number of milliseconds (got ${value})`);
  return value;
}

/**
 * Connects `bot` to WeCom over the long connection; resolves once subscribed. A refused
 * subscription (wrong secret) rejects at once with `ws_auth_failed`, without a retry loop; an
 * unreachable server is retried with back-off.
 *
 * @example
 * const bot = createBot();
 * bot.on('message:text', (ctx) => ctx.reply(`你说：${ctx.text}`));
 * const conn = await connectLongConnection(bot, { botId: process.env.WECOM_AIBOT_ID!, secret: process.env.WECOM_AIBOT_SECRET! });
 * process.on('SIGTERM', () => void conn.close());
 */
export async function connectLongConnection<C extends Context>(bot: Bot<C>, options: LongConnectionOptions): Promise<LongConnectionHandle> {
  const botId = required('botId', options.botId, 'WECOM_AIBOT_ID');
  const secret = required('secret', options.secret, 'WECOM_AIBOT_SECRET');
  const url = options.url ?? DEFAULT_WS_URL;
  if (!/^wss?:\/\/[^\s]+$/.test(url)) throw new WsError('ws_config', `url must start with ws:// or wss:// (got ${JSON.stringify(url)})`);
  const log = (options.logger ?? bot.log).child({ transport: 'ws' });
  const inFlight = new Set<Promise<void>>();
  const counts = { handled: 0, duplicates: 0 };
  let closing = false;

  const onFrame = (frame: WsFrame) => {
    const reqId = frame.headers.req_id;
    if (!frame.cmd || !INBOUND_COMMANDS.includes(frame.cmd)) {
      log.warn({ cmd: frame.cmd, reqId }, 'long connection: unknown command skipped');
      return;
    }
    if (closing) {
      log.warn({ reqId }, 'long connection: frame arrived during shutdown, not handled');
      return;
    }
    const body = frame.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      log.warn({ cmd: frame.cmd, reqId }, 'long connection: callback without a body object skipped');
      return;
    }
    let message;
    try {
      // decodeFrame parsed the frame with its long ids quoted: the body is read as it is.
      message = readAibotCallback(body as Record<string, unknown>);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      log.warn({ cmd: frame.cmd, reqId, code: e.code, why: e.message }, 'long connection: callback skipped (does not parse)');
      return;
    }
    if (message.type === 'unknown') {
      log.warn(
        { reqId, rawType: message.rawType, rawEventType: message.rawEventType, msgId: message.msgId },
        'long connection: unknown callback type skipped',
      );
      return;
    }
    rememberMediaKeys(message, body as Record<string, unknown>);
    const replies = new MessageReplies(conn, reqId, message as DirectMessage, log);
    const p = bot.handleDirect(message, replies).then((outcome) => {
      if (outcome === 'duplicate') {
        counts.duplicates++;
        log.info({ msgId: message.msgId, reqId }, 'duplicate frame (msgid already handled)');
      } else if (outcome === 'handled') counts.handled++;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  const conn = new LongConnection({
    url,
    botId,
    secret,
    heartbeatMs: positive('heartbeatMs', options.heartbeatMs, 30_000),
    heartbeatTimeoutMs: positive('heartbeatTimeoutMs', options.heartbeatTimeoutMs, 10_000),
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs, 5_000),
    maxFrameBytes: positive('maxFrameBytes', options.maxFrameBytes, 1024 * 1024),
    backoff: new Backoff(options.backoff),
    log,
    onFrame,
    wsOptions: options.wsOptions,
  });
  await conn.firstReady;
  const drainTimeoutMs = positive('drainTimeoutMs', options.drainTimeoutMs, 30_000);
  let closed: Promise<void> | undefined;

  return {
    get state() {
      return conn.state;
    },
    get stats() {
      return { ...conn.stats, ...counts, inFlight: inFlight.size };
    },
    ended: conn.ended,
    async sendMessage(chatId, content) {
      await conn.request(WS_CMD.sendMsg, sendMsgBody(chatId, toReplyMessage(content, {}, 'aibot')));
    },
    uploadMedia: (data, o) => uploadMedia((cmd, body) => conn.request(cmd, body), data, o),
    close() {
      closed ??= (async () => {
        closing = true;
        if (inFlight.size > 0) log.info({ inFlight: inFlight.size }, 'long connection: finishing in-flight replies before closing');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, drainTimeoutMs)));
        const drain = (async () => {
          while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        })();
        await Promise.race([drain, timeout]);
        clearTimeout(timer);
        conn.close();
      })();
      return closed;
    },
  };
}
