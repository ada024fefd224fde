/**
 * The flat JSON inbound dialect: a gateway that forwards WeCom group messages as unencrypted
 * `{"msgType","msgContent","chatId","botKey","hookUrl","botName","userName","msgId","chatType","chatInfoUrl"}`
 * bodies (see `protocol/callback/flat-json.ts` for the fields). Off unless the bot is given
 * `flatJson: { sharedSecret }`; WeCom itself always encrypts, so an unexpected flat body is refused.
 *
 * Nothing in the flat body proves who sent it, so the gateway must authenticate every request,
 * in one of two modes (`auth`), and only that mode is accepted (no fallback from one to the other):
 *
 * - `hmac` (default). Header `x-wecombot-signature: sha256=<hex>` where `<hex>` is the lower- or
 *   upper-case hex HMAC-SHA256, keyed with the shared secret, of
 *   `<timestamp> + "." + <raw body bytes>` when header `x-wecombot-timestamp: <unix seconds>`
 *   is sent, or of `<raw body bytes>` alone when it is not (allowed only with
 *   `requireTimestamp: false`). A valid signature whose timestamp is more than `maxSkewSeconds`
 *   (default 300) from our clock is refused as stale; a replay inside the window carries the same
 *   msgId, which the core's de-duplication catches.
 * - `token`. Header `x-wecombot-token: <shared secret>`, or `?token=<shared secret>` when
 *   `queryToken: true` (for gateways that can only set a URL; URLs end up in access logs, so
 *   give this bot its own secret). No integrity and no replay protection: prefer `hmac`.
 *
 * Every comparison is constant-time (`timingSafeEqual` on equal-length digests). Errors say what
 * was wrong and how to fix it, never what was sent.
 *
 * The answer: the reply goes to `hookUrl` through the webhook (WeCom's documented push API,
 * targeted with `chatid`), and the HTTP answer is `200 {}` ({@link flatJsonAck}). Whether such
 * gateways post a reply found in the response body is UNCONFIRMED (a client of such a service,
 * tencentmusic/cube-studio `aihub/deep-learning/chatgpt/app.py`, reads `msgType`/`msgContent`
 * from the answer), so that path is opt-in: `reply: 'response'` puts one text or markdown reply
 * into the body as `{"msgType","msgContent"}` ({@link renderFlatJsonReply}).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CallbackParseError } from '../protocol/callback/errors.js';
import { parseFlatJsonCallback, WECOM_API_ORIGIN } from '../protocol/callback/flat-json.js';
import type { FlatJsonCallback } from '../protocol/callback/types.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import { BotConfigError, BotRequestError } from './errors.js';
import { isGroupPassive } from './passive.js';
import { respond, type BotRequest, type BotResponse } from './request.js';

/** The `flatJson` bot option, as written by the user. */
export interface FlatJsonOptions {
  /** At least 16 characters; shared with the gateway. */
  sharedSecret: string;
  /** How the gateway proves itself. Default `hmac`. */
  auth?: 'hmac' | 'token';
  /** The signature header (hmac) or token header (token). Default `x-wecombot-signature` / `x-wecombot-token`. */
  header?: string;
  /** The timestamp header bound into the HMAC. Default `x-wecombot-timestamp`. */
  timestampHeader?: string;
  /** Refuse HMAC requests without a timestamp (no replay window otherwise). Default true. */
  requireTimestamp?: boolean;
  /** Largest accepted distance between the timestamp and our clock. Default 300, at most 3600. */
  maxSkewSeconds?: number;
  /** Accept the token as `?token=` too (token mode only). Default false. */
  queryToken?: boolean;
  /** Largest accepted body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Origins `hookUrl` and `chatInfoUrl` may point to. Default `['https://qyapi.weixin.qq.com']`. */
  allowedOrigins?: readonly string[];
  /** Where the reply goes: the webhook (default) or, UNCONFIRMED, the HTTP answer. */
  reply?: 'webhook' | 'response';
}

/** {@link FlatJsonOptions} with defaults applied. `sharedSecret` is not enumerable (never logged). */
export interface ResolvedFlatJsonOptions {
  readonly sharedSecret: string;
  readonly auth: 'hmac' | 'token';
  readonly header: string;
  readonly timestampHeader: string;
  readonly requireTimestamp: boolean;
  readonly maxSkewSeconds: number;
  readonly queryToken: boolean;
  readonly maxBodyBytes: number;
  readonly allowedOrigins: readonly string[];
  readonly reply: 'webhook' | 'response';
}

const MIN_SECRET_LENGTH = 16;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const MAX_SKEW_SECONDS = 3600;
const KNOWN_KEYS = new Set([
  'sharedSecret',
  'auth',
  'header',
  'timestampHeader',
  'requireTimestamp',
  'maxSkewSeconds',
  'queryToken',
  'maxBodyBytes',
  'allowedOrigins',
  'reply',
]);
const DOCS = "docs/en/callbacks.md, 'Flat JSON from a gateway'";

/**
 * Validates the `flatJson` option once, at start-up. Errors are {@link BotConfigError}s naming
 * the field (`flatJson.sharedSecret`, ...) and never quote the secret.
 *
 * @example
 * const flat = resolveFlatJsonOptions({ sharedSecret: process.env.FLAT_JSON_SECRET ?? '' });
 */
export function resolveFlatJsonOptions(input: FlatJsonOptions): ResolvedFlatJsonOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BotConfigError('flatJson must be an object such as { sharedSecret }');
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.has(key))
      throw new BotConfigError(`flatJson.${key} is not an option`, { hint: `the options are ${[...KNOWN_KEYS].join(', ')}` });
  }
  const auth = oneOf('auth', input.auth, ['hmac', 'token'] as const, 'hmac');
  const queryToken = bool('queryToken', input.queryToken, false);
  if (queryToken && auth !== 'token') throw new BotConfigError("flatJson.queryToken applies only to auth: 'token'");
  const resolved = {
    auth,
    header: headerName('header', input.header, auth === 'hmac' ? 'x-wecombot-signature' : 'x-wecombot-token'),
    timestampHeader: headerName('timestampHeader', input.timestampHeader, 'x-wecombot-timestamp'),
    requireTimestamp: bool('requireTimestamp', input.requireTimestamp, true),
    maxSkewSeconds: integer('maxSkewSeconds', input.maxSkewSeconds, 300, 1, MAX_SKEW_SECONDS),
    queryToken,
    maxBodyBytes: integer('maxBodyBytes', input.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 1, 16 * 1024 * 1024),
    allowedOrigins: origins(input.allowedOrigins),
    reply: oneOf('reply', input.reply, ['webhook', 'response'] as const, 'webhook'),
  };
  // Not enumerable: spreading, JSON.stringify and util.inspect of the options leave it out.
  Object.defineProperty(resolved, 'sharedSecret', { value: secret(input.sharedSecret), enumerable: false });
  return resolved as ResolvedFlatJsonOptions;
}

function secret(value: unknown): string {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) {
    throw new BotConfigError(`flatJson.sharedSecret must be a string of at least ${MIN_SECRET_LENGTH} characters`, {
      hint: 'generate one with `openssl rand -hex 32` and give the same value to the gateway',
    });
  }
  if (value.trim() !== value) {
    throw new BotConfigError('flatJson.sharedSecret has leading or trailing whitespace', {
      hint: 'a newline copied from a file or an environment variable is the usual cause',
    });
  }
  return value;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly unknown[]).includes(value)) throw new BotConfigError(`flatJson.${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function bool(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new BotConfigError(`flatJson.${field} must be true or false`);
  return value;
}

function integer(field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BotConfigError(`flatJson.${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function headerName(field: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  // RFC 9110 token characters; stored lower-case because BotRequest headers are.
  if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)) {
    throw new BotConfigError(`flatJson.${field} must be an HTTP header name`);
  }
  return value.toLowerCase();
}

function origins(value: unknown): readonly string[] {
  if (value === undefined) return [WECOM_API_ORIGIN];
  if (!Array.isArray(value) || value.length === 0) throw new BotConfigError('flatJson.allowedOrigins must be a non-empty list of origins');
  return value.map((entry: unknown, index) => {
    let origin: string | undefined;
    try {
      origin = typeof entry === 'string' ? new URL(entry).origin : undefined;
    } catch {
      origin = undefined;
    }
    // An origin is exactly scheme://host[:port]: a path or query would never match a URL's origin.
    if (origin === undefined || origin === 'null' || origin !== entry) {
      throw new BotConfigError(`flatJson.allowedOrigins[${index}] must be an origin such as ${WECOM_API_ORIGIN}`);
    }
    return origin;
  });
}

/**
 * True when `body` looks like a flat JSON callback: a JSON object with a `"msgType"` key and no
 * `"encrypt"` key (WeCom's own JSON envelope). A cheap sniff to pick the path before any check;
 * the strict parse happens after authentication.
 *
 * @example isFlatJsonBody(Buffer.from('{"msgType":"text"}')) // true
 */
export function isFlatJsonBody(body: Uint8Array): boolean {
  let i = 0;
  while (i < body.length && (body[i] === 0x20 || body[i] === 0x09 || body[i] === 0x0a || body[i] === 0x0d)) i++;
  if (body[i] !== 0x7b) return false;
  // Keys are ASCII, so latin1 finds them without a UTF-8 decode; an escaped quote inside a
  // string value ("\"encrypt\":") does not match.
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  // Encrypted envelopes (every WeCom JSON callback) leave after the first test.
  return !/"encrypt"\s*:/.test(text) && /"msgType"\s*:/.test(text);
}

/**
 * The refusal for a flat JSON body when the dialect is off: 415 `bot_flat_json_disabled`, with a
 * hint that says how to turn it on.
 */
export function flatJsonDisabledError(): BotRequestError {
  return new BotRequestError('bot_flat_json_disabled', 'a flat JSON callback arrived, but the flat JSON dialect is off', {
    hint: `WeCom itself always encrypts; if a gateway forwards flat JSON on purpose, enable it with createBot({ flatJson: { sharedSecret } }) and have the gateway sign each body (${DOCS})`,
  });
}

/**
 * Authenticates and parses a flat JSON callback. Call it for a POST whose body passed
 * {@link isFlatJsonBody}, with the resolved option and the current time.
 *
 * Throws {@link BotRequestError}: 413 `bot_body_too_large`; 401 `bot_auth_missing`,
 * `bot_signature_mismatch`, `bot_timestamp_stale` or `bot_token_mismatch`; 400 `bot_malformed`
 * (the parse error is the `cause`). The body is parsed only after it was authenticated.
 *
 * @example
 * const message = openFlatJson(req, flat, clock.now());
 * if (message.type === 'unknown') return flatJsonAck(); // log it, as for encrypted callbacks
 */
export function openFlatJson(req: BotRequest, options: ResolvedFlatJsonOptions, nowMs: number): FlatJsonCallback {
  if (req.body.byteLength > options.maxBodyBytes) {
    throw new BotRequestError(
      'bot_body_too_large',
      `flat JSON body is ${req.body.byteLength} bytes; the limit is ${options.maxBodyBytes}`,
      {
        hint: 'a flat callback is a few hundred bytes; raise flatJson.maxBodyBytes only if the gateway really sends more',
      },
    );
  }
  if (options.auth === 'hmac') verifySignature(req, options, nowMs);
  else verifyToken(req, options);
  try {
    return parseFlatJsonCallback(req.body, { maxBytes: options.maxBodyBytes, allowedOrigins: options.allowedOrigins });
  } catch (err) {
    if (!(err instanceof CallbackParseError)) throw err;
    const code = err.code === 'callback_body_too_large' ? 'bot_body_too_large' : 'bot_malformed';
    throw new BotRequestError(code, err.message, {
      hint: `the gateway must send a JSON object with msgType, msgId, chatId, chatType, hookUrl (and userName, msgContent for text) in UTF-8 (${DOCS})`,
      cause: err,
    });
  }
}

/**
 * The `x-wecombot-signature` value for a body: `sha256=` and the hex HMAC-SHA256 of
 * `<timestamp>.<body>` (or of the body alone without a timestamp). For gateways written in
 * Node and for tests.
 *
 * @example
 * const ts = Math.floor(Date.now() / 1000);
 * headers['x-wecombot-timestamp'] = String(ts);
 * headers['x-wecombot-signature'] = signFlatJsonBody(body, secret, ts);
 */
export function signFlatJsonBody(body: Uint8Array | string, sharedSecret: string, timestampSeconds?: number): string {
  return `sha256=${mac(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, sharedSecret, timestampSeconds === undefined ? undefined : String(timestampSeconds)).toString('hex')}`;
}

function mac(body: Uint8Array, sharedSecret: string, timestamp: string | undefined): Buffer {
  const hmac = createHmac('sha256', sharedSecret);
  if (timestamp !== undefined) hmac.update(`${timestamp}.`, 'latin1');
  return hmac.update(body).digest();
}

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

function verifySignature(req: BotRequest, options: ResolvedFlatJsonOptions, nowMs: number): void {
  const header = req.headers[options.header]?.trim();
  if (!header) {
    throw new BotRequestError('bot_auth_missing', `flat JSON request without the ${options.header} header`, {
      hint: `the gateway must sign each body: ${options.header}: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>"> (${DOCS})`,
    });
  }
  const timestamp = req.headers[options.timestampHeader]?.trim() || undefined;
  if (timestamp === undefined && options.requireTimestamp) {
    throw new BotRequestError('bot_auth_missing', `flat JSON request without the ${options.timestampHeader} header`, {
      hint: `send ${options.timestampHeader}: <unix seconds> and sign "<timestamp>.<body>"; or set flatJson.requireTimestamp: false (no replay window)`,
    });
  }
  if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) {
    throw new BotRequestError('bot_timestamp_stale', `the ${options.timestampHeader} header is not unix seconds`, {
      hint: 'send whole seconds since 1970 (not milliseconds, not a date string)',
    });
  }
  const given = SIGNATURE.exec(header)?.[1];
  // The expected MAC is computed even for a malformed header, so both refusals cost the same.
  const expected = mac(req.body, options.sharedSecret, timestamp);
  const givenBytes = given === undefined ? Buffer.alloc(expected.length) : Buffer.from(given, 'hex');
  if (!timingSafeEqual(expected, givenBytes) || given === undefined) {
    throw new BotRequestError('bot_signature_mismatch', 'flat JSON signature mismatch', {
      hint: `check that the gateway uses the same flatJson.sharedSecret, signs the raw body bytes it sends, and writes ${options.header}: sha256=<64 hex digits>`,
    });
  }
  // Checked after the MAC: a signed request with a skewed clock says so, instead of "mismatch".
  if (timestamp !== undefined && Math.abs(nowMs - Number(timestamp) * 1000) > options.maxSkewSeconds * 1000) {
    throw new BotRequestError('bot_timestamp_stale', `flat JSON timestamp is more than ${options.maxSkewSeconds} s from our clock`, {
      hint: 'sync the clocks (NTP) of the gateway and this host, or raise flatJson.maxSkewSeconds',
    });
  }
}

function verifyToken(req: BotRequest, options: ResolvedFlatJsonOptions): void {
  const token = req.headers[options.header] ?? (options.queryToken ? req.query.token : undefined);
  if (!token) {
    const queryOnly = !options.queryToken && req.query.token !== undefined;
    throw new BotRequestError('bot_auth_missing', `flat JSON request without the ${options.header} header`, {
      hint: queryOnly
        ? 'the token came in the query, which is off: send it as a header, or set flatJson.queryToken: true'
        : `the gateway must send ${options.header}: <flatJson.sharedSecret> (${DOCS})`,
    });
  }
  // Digests first: timingSafeEqual needs equal lengths, and the length must not leak either.
  if (!timingSafeEqual(sha256(token), sha256(options.sharedSecret))) {
    throw new BotRequestError('bot_token_mismatch', 'flat JSON token mismatch', {
      hint: 'check that the gateway sends the same value as flatJson.sharedSecret (no quotes, no trailing newline)',
    });
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The HTTP answer when the reply goes (or went) through the webhook: `200 {}`. */
export function flatJsonAck(): BotResponse {
  // JSON rather than an empty body: a gateway that parses the answer finds nothing to post.
  return respond(200, '{}', 'application/json; charset=utf-8');
}

/**
 * True when `message` may be the HTTP answer: only with `reply: 'response'`, and only a text or
 * markdown reply the flat shape can carry whole (no mentions, no visible_to_user).
 */
export function isFlatJsonPassive(options: ResolvedFlatJsonOptions, message: WebhookMessage): boolean {
  if (options.reply !== 'response' || !isGroupPassive(message) || message.visible_to_user !== undefined) return false;
  if (message.msgtype !== 'text') return true;
  return !message.text.mentioned_list?.length && !message.text.mentioned_mobile_list?.length;
}

/**
 * Renders a text or markdown reply as the flat answer `{"msgType","msgContent"}` (UNCONFIRMED
 * shape, see the file comment).
 *
 * @throws TypeError for any other message type (the caller then sends it through the webhook).
 */
export function renderFlatJsonReply(message: WebhookMessage): BotResponse {
  if (message.msgtype === 'text') return flatAnswer('text', message.text.content);
  if (message.msgtype === 'markdown') return flatAnswer('markdown', message.markdown.content);
  throw new TypeError(`a flat JSON answer is text or markdown, not ${message.msgtype}`);
}

function flatAnswer(msgType: 'text' | 'markdown', msgContent: string): BotResponse {
  return respond(200, JSON.stringify({ msgType, msgContent }), 'application/json; charset=utf-8');
}
