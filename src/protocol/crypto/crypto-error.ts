import { WecombotError } from '../../errors.js';

/**
 * Every way the callback crypto can fail, with the official WXBizMsgCrypt number (§3.3 of the
 * protocol reference) and a hint for the operator. Several codes share one official number
 * (e.g. the three "decrypted buffer malformed" causes) because the official table is coarser
 * than what an operator needs to know.
 */
export const CRYPTO_ERRORS = {
  signature_mismatch: {
    wecomCode: -40001,
    hint: "check WECOM_TOKEN against the Token in the robot's 接收消息配置, and that the query values were URL-decoded exactly once ('+' must stay '+')",
  },
  timestamp_stale: {
    wecomCode: -40001,
    hint: 'the timestamp is outside the allowed window: check the server clock (NTP), or the request is a replay',
  },
  timestamp_invalid: {
    wecomCode: -40001,
    hint: 'timestamp must be decimal seconds since the epoch, exactly as WeCom sent it',
  },
  token_invalid: {
    wecomCode: -40001,
    hint: "Token is the value chosen in the robot's 接收消息配置 (3-32 letters and digits): check WECOM_TOKEN for quotes, spaces or a newline",
  },
  missing_field: {
    wecomCode: -40002,
    hint: 'a callback carries msg_signature, timestamp and nonce in the URL, and echostr (GET) or Encrypt/encrypt (POST body)',
  },
  query_invalid: {
    wecomCode: -40002,
    hint: 'pass the callback URL or query string exactly as received; every % must start a valid escape like %2B',
  },
  aes_key_invalid: {
    wecomCode: -40004,
    hint: "EncodingAESKey is the 43 letters and digits shown in the robot's 接收消息配置: check WECOM_ENCODING_AES_KEY for quotes, spaces or a trailing '='",
  },
  receive_id_mismatch: {
    wecomCode: -40005,
    hint: 'group robots and internal AI bots use an empty receiveid; app callbacks use the CorpID: set receiveId to match',
  },
  encrypt_failed: {
    wecomCode: -40006,
    hint: 'the random prefix must be exactly 16 bytes and the message shorter than 4 GiB',
  },
  ciphertext_length_invalid: {
    wecomCode: -40007,
    hint: 'the ciphertext is empty or truncated (AES output is a multiple of 16 bytes): pass the echostr/Encrypt value whole',
  },
  padding_invalid: {
    wecomCode: -40008,
    hint: "decryption produced garbage: check WECOM_ENCODING_AES_KEY against the robot's 接收消息配置",
  },
  length_field_invalid: {
    wecomCode: -40008,
    hint: "decryption produced garbage: check WECOM_ENCODING_AES_KEY against the robot's 接收消息配置",
  },
  message_not_utf8: {
    wecomCode: -40008,
    hint: "the decrypted message is not UTF-8: check WECOM_ENCODING_AES_KEY against the robot's 接收消息配置",
  },
  base64_invalid: {
    wecomCode: -40010,
    hint: "the value must be standard base64 (A-Z a-z 0-9 + / and '=' padding) exactly as WeCom sent it; a space where '+' belongs means the query was form-decoded",
  },
  envelope_invalid: {
    wecomCode: -40011,
    hint: "the reply envelope needs a decimal timestamp, a nonce without ']]>' or control characters, and a base64 ciphertext",
  },
} as const satisfies Record<string, { wecomCode: number; hint: string }>;

/** The stable string codes of {@link WecomCryptoError}. */
export type WecomCryptoErrorCode = keyof typeof CRYPTO_ERRORS;

/**
 * A callback crypto failure. `code` is a stable string for programs, `wecomCode` the official
 * WXBizMsgCrypt number (-40001 … -40011). Messages never contain the token, the key or
 * plaintext: only public values such as lengths, signatures and receiveids.
 */
export class WecomCryptoError extends WecombotError {
  declare readonly code: WecomCryptoErrorCode;
  readonly wecomCode: number;

  constructor(code: WecomCryptoErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    const entry = CRYPTO_ERRORS[code];
    super(code, `${message} (WeCom ${entry.wecomCode})`, { hint: options.hint ?? entry.hint, cause: options.cause });
    this.wecomCode = entry.wecomCode;
  }
}

/** Quotes an untrusted public value for a message: escaped, and cut so a log line stays short. */
export function quote(value: string, max = 64): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}
