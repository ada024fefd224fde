/**
 * Turning a request into a verified, decrypted, parsed callback, once, for every runtime.
 * Every failure becomes a BotRequestError with the HTTP status to answer and a log-safe message.
 */
import { detectCallbackFormat, parseEncryptedEnvelope } from '../protocol/callback/envelope.js';
import { CallbackParseError } from '../protocol/callback/errors.js';
import { parseCallback } from '../protocol/callback/parse.js';
import type { CallbackFormat, CallbackMessage } from '../protocol/callback/types.js';
import { WecomCryptoError } from '../protocol/crypto/crypto-error.js';
import { parseCallbackQuery, type CallbackQuery } from '../protocol/crypto/query.js';
import type { WecomCrypto } from '../protocol/crypto/wecom-crypto.js';
import { BotRequestError } from './errors.js';
import type { BotRequest } from './request.js';

/** The classic group robot, the smart robot, or a corp app (customer-contact callbacks, receiveid = corpid). */
export type RobotKind = 'group' | 'aibot' | 'corp';

/** A robot the bot answers for: its kind and its crypto. */
export interface Robot {
  kind: RobotKind;
  crypto: WecomCrypto;
}

/** A callback ready for dispatch. */
export interface OpenedCallback {
  robot: Robot;
  query: CallbackQuery;
  /** Format of the outer envelope (the reply uses the same). */
  format: CallbackFormat;
  message: CallbackMessage;
}

/** Maps protocol errors to request errors (status + code), keeping the cause. */
export function toRequestError(err: unknown): BotRequestError | undefined {
  if (err instanceof BotRequestError) return err;
  if (err instanceof WecomCryptoError) {
    const hint = err.hint;
    switch (err.code) {
      case 'signature_mismatch':
        return new BotRequestError('bot_signature_mismatch', 'signature mismatch', { hint, cause: err });
      case 'timestamp_stale':
        return new BotRequestError('bot_timestamp_stale', err.message, { hint, cause: err });
      case 'missing_field':
        return new BotRequestError('bot_missing_query', err.message, { hint, cause: err });
      default:
        return new BotRequestError('bot_undecryptable', `cannot decrypt: ${err.message}`, { hint, cause: err });
    }
  }
  if (err instanceof CallbackParseError) {
    if (err.code === 'callback_body_too_large')
      return new BotRequestError('bot_body_too_large', err.message, { hint: err.hint, cause: err });
    return new BotRequestError('bot_malformed', err.message, { hint: err.hint, cause: err });
  }
  return undefined;
}

/** The 404 for a path whose robots (or corp app) are not configured, naming the variables to set. */
export function robotNotConfigured(kinds: readonly RobotKind[]): BotRequestError {
  const only = kinds.length === 1 ? kinds[0] : undefined;
  return new BotRequestError('bot_robot_not_configured', `no ${kinds.join('/')} robot is configured`, {
    hint:
      only === 'aibot'
        ? 'set WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY'
        : only === 'corp'
          ? "set WECOM_CORP_ID, WECOM_CORP_TOKEN and WECOM_CORP_ENCODING_AES_KEY (the app's 接收消息 → 设置API接收)"
          : 'set WECOM_TOKEN and WECOM_ENCODING_AES_KEY (or the AIBOT variants)',
  });
}

/** GET/POST query values; spaces in base64 values are '+' a gateway form-decoded. */
export function readQuery(req: BotRequest): CallbackQuery {
  const query = parseCallbackQuery(req.rawQuery);
  if (query.echostr?.includes(' ')) query.echostr = query.echostr.replace(/ /g, '+');
  return query;
}

/**
 * Picks the robot for a request. A known path decides; on a neutral path (a FaaS URL) the
 * signature decides, because only the right Token produces it.
 */
export function pickRobot(candidates: readonly Robot[], query: CallbackQuery, encrypt: string | undefined): Robot {
  if (candidates.length === 1 || encrypt === undefined) return candidates[0] as Robot;
  const { timestamp, nonce, msgSignature } = query;
  if (timestamp && nonce && msgSignature) {
    for (const r of candidates) if (r.crypto.sign(timestamp, nonce, encrypt) === msgSignature) return r;
  }
  return candidates[0] as Robot;
}

/** GET URL verification: returns the echostr plaintext. */
export function verifyUrl(candidates: readonly Robot[], query: CallbackQuery): string {
  if (!query.echostr) {
    throw new BotRequestError('bot_missing_query', 'GET without echostr', {
      hint: 'WeCom verifies the URL with msg_signature, timestamp, nonce and echostr; other GETs are not callbacks',
    });
  }
  const robot = pickRobot(candidates, query, query.echostr);
  try {
    return robot.crypto.verifyUrl(query);
  } catch (err) {
    throw toRequestError(err) ?? err;
  }
}

/**
 * The outer envelope in the exact shapes WeCom sends (`<xml><Encrypt><![CDATA[b64]]></Encrypt></xml>`
 * and `{"encrypt":"b64"}`), read without a full XML/JSON parse. Safe because the value must
 * still pass the signature check; any other shape goes through the strict parser.
 */
const XML_ENVELOPE = /^\s*<xml>\s*<Encrypt>\s*<!\[CDATA\[([A-Za-z0-9+/=]+)\]\]>\s*<\/Encrypt>\s*<\/xml>\s*$/;
const JSON_ENVELOPE = /^\s*\{\s*"encrypt"\s*:\s*"([A-Za-z0-9+/=]+)"\s*\}\s*$/;

function fastEnvelope(body: Uint8Array, format: CallbackFormat): string | undefined {
  if (body.byteLength > 64 * 1024) return undefined;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  return (format === 'xml' ? XML_ENVELOPE : JSON_ENVELOPE).exec(text)?.[1];
}

function sniffFormat(body: Uint8Array): CallbackFormat | undefined {
  for (const b of body) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x3c ? 'xml' : b === 0x7b ? 'json' : undefined;
  }
  return undefined;
}

/** POST: envelope → signature → decrypt → parse. */
export function openCallback(candidates: readonly Robot[], query: CallbackQuery, body: Uint8Array, maxBytes: number): OpenedCallback {
  if (body.byteLength > maxBytes) {
    throw new BotRequestError('bot_body_too_large', `callback body is ${body.byteLength} bytes; the limit is ${maxBytes}`, {
      hint: 'WeCom callbacks are a few KiB; raise maxBodyBytes only if you are sure',
    });
  }
  try {
    const onlyAibot = candidates.every((r) => r.kind === 'aibot');
    const format: CallbackFormat = onlyAibot ? 'json' : (sniffFormat(body) ?? detectCallbackFormat(body, { maxBytes }));
    const encrypt = fastEnvelope(body, format) ?? parseEncryptedEnvelope(body, format, { maxBytes });
    const robot = pickRobot(candidates, query, encrypt);
    const plaintext = robot.crypto.decryptMessage({ ...query, encrypt });
    const plainFormat: CallbackFormat = robot.kind === 'aibot' ? 'json' : plaintext.trimStart().startsWith('<') ? 'xml' : 'json';
    const message = parseCallback(plaintext, { robot: robot.kind, format: plainFormat, maxBytes });
    return { robot, query, format, message };
  } catch (err) {
    throw toRequestError(err) ?? err;
  }
}
