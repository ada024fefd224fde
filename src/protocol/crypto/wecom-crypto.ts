import { randomInt } from 'node:crypto';
import { parseEncodingAESKey, type AesKey } from './aes-key.js';
import { WecomCryptoError } from './crypto-error.js';
import { decrypt, decryptMedia, decryptMessageText, type Decrypted } from './decrypt.js';
import { encrypt } from './encrypt.js';
import { renderJsonEnvelope, renderXmlEnvelope, type EncryptedReply } from './envelope.js';
import { computeSignature } from './signature.js';
import { requireSignedValues, verifySignature, type SignedValues, type TimestampWindow } from './verify.js';

/** Configuration of {@link WecomCrypto}: the values of the robot's 接收消息配置. */
export interface WecomCryptoOptions extends TimestampWindow {
  /** The Token. */
  token: string;
  /** The 43-character EncodingAESKey. */
  encodingAESKey: string;
  /** `''` (default) for group robots and internal AI bots, the CorpID for app callbacks. */
  receiveId?: string;
}

/** Values of a callback, possibly missing (they come from an untrusted request). */
type Incoming<T> = { [K in keyof T]?: string | undefined };

/** Timestamp and nonce of a reply; defaults: the clock, and a random 10-digit nonce. */
export interface ReplyOptions {
  timestamp?: string | number;
  /** AI bots require the nonce of the callback URL being answered. */
  nonce?: string;
}

const TOKEN_UNSAFE = /[\s\u0000-\u001f\u007f]/;

/**
 * The callback crypto of one robot: verify, decrypt, encrypt and sign with its Token,
 * EncodingAESKey and receiveid, parsed once. Every incoming value is signature-checked before
 * it is decrypted.
 *
 * @example
 * const wc = new WecomCrypto({ token, encodingAESKey, maxSkewSeconds: 300 });
 * const echo = wc.verifyUrl({ msgSignature, timestamp, nonce, echostr });  // GET
 * const xml = wc.decryptMessage({ msgSignature, timestamp, nonce, encrypt }); // POST
 * const body = renderXmlEnvelope(wc.encryptReply(replyXml, { nonce }));
 */
export class WecomCrypto {
  readonly #token: string;
  readonly #key: AesKey;
  readonly #receiveId: string;
  readonly #window: TimestampWindow;
  readonly #now: () => number;

  constructor(options: WecomCryptoOptions) {
    if (typeof options.token !== 'string' || options.token === '' || TOKEN_UNSAFE.test(options.token)) {
      throw new WecomCryptoError('token_invalid', 'Token must be non-empty, without spaces or control characters');
    }
    this.#token = options.token;
    this.#key = parseEncodingAESKey(options.encodingAESKey);
    this.#receiveId = options.receiveId ?? '';
    this.#now = options.now ?? Date.now;
    this.#window = { maxSkewSeconds: options.maxSkewSeconds, now: this.#now };
  }

  /** The receiveid this instance expects and writes. */
  get receiveId(): string {
    return this.#receiveId;
  }

  /**
   * Answers the GET URL verification: checks the signature over `echostr` and returns its
   * plaintext, which must be the whole response body (no quotes, no newline).
   */
  verifyUrl(query: Incoming<Omit<SignedValues, 'encrypt'> & { echostr: string }>): string {
    const values = { msgSignature: query.msgSignature, timestamp: query.timestamp, nonce: query.nonce, encrypt: query.echostr };
    requireSignedValues(values, 'echostr');
    verifySignature(this.#token, values, this.#window);
    return decryptMessageText(this.#key, values.encrypt, this.#receiveId);
  }

  /** Verifies and decrypts a POST callback's `Encrypt`/`encrypt` value; returns the XML or JSON text. */
  decryptMessage(values: Incoming<SignedValues>): string {
    requireSignedValues(values, 'encrypt');
    verifySignature(this.#token, values, this.#window);
    return decryptMessageText(this.#key, values.encrypt, this.#receiveId);
  }

  /** Like {@link decryptMessage}, with the receiveid and random prefix. */
  open(values: Incoming<SignedValues>): Decrypted {
    requireSignedValues(values, 'encrypt');
    return this.#open(values);
  }

  #open(values: SignedValues): Decrypted {
    verifySignature(this.#token, values, this.#window);
    return decrypt(this.#key, values.encrypt, { receiveId: this.#receiveId });
  }

  /** Encrypts and signs a passive reply. Render it with `renderXmlEnvelope` or `renderJsonEnvelope`. */
  encryptReply(plaintext: string, options: ReplyOptions = {}): EncryptedReply {
    const timestamp = String(options.timestamp ?? Math.floor(this.#now() / 1000));
    const nonce = options.nonce ?? String(randomInt(1_000_000_000, 10_000_000_000));
    const ciphertext = encrypt(this.#key, plaintext, { receiveId: this.#receiveId });
    return { encrypt: ciphertext, signature: computeSignature(this.#token, timestamp, nonce, ciphertext), timestamp, nonce };
  }

  /** {@link encryptReply} rendered as the XML envelope. */
  encryptReplyXml(plaintext: string, options: ReplyOptions = {}): string {
    return renderXmlEnvelope(this.encryptReply(plaintext, options));
  }

  /** {@link encryptReply} rendered as the JSON envelope (AI bots, `robot_callback_format=json`). */
  encryptReplyJson(plaintext: string, options: ReplyOptions = {}): string {
    return renderJsonEnvelope(this.encryptReply(plaintext, options));
  }

  /** The signature WeCom would send for these values. */
  sign(timestamp: string | number, nonce: string | number, ciphertext: string): string {
    return computeSignature(this.#token, timestamp, nonce, ciphertext);
  }

  /** Encrypts without signing (see {@link encryptReply} for replies). */
  encrypt(plaintext: string | Uint8Array, random?: string | Uint8Array): string {
    return encrypt(this.#key, plaintext, { receiveId: this.#receiveId, random });
  }

  /** Decrypts without a signature check. Prefer {@link decryptMessage} for anything received. */
  decrypt(ciphertext: string): Decrypted {
    return decrypt(this.#key, ciphertext, { receiveId: this.#receiveId });
  }

  /** Decrypts a file downloaded from an AI bot image/file URL. */
  decryptMedia(data: Uint8Array): Buffer {
    return decryptMedia(this.#key, data);
  }

  /** Keeps the token and key out of logs. */
  toJSON(): string {
    return 'WecomCrypto(redacted)';
  }
}
