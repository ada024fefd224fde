import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import { WecomCryptoError } from './crypto-error.js';

const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

/**
 * The AES-256 key behind an EncodingAESKey, with IV = key[0..16). Parse it once and reuse it:
 * the instance keeps one cipher and one decipher alive, which saves the (large) per-call
 * OpenSSL context set-up.
 *
 * Holds the key in private fields, so it does not show up in `console.log` or JSON.
 */
export class AesKey {
  readonly #key: Buffer;
  readonly #iv: Buffer;
  #decipher: Decipher | undefined;
  #cipher: Cipher | undefined;
  /** Last ciphertext block the long-lived decipher/cipher saw: its CBC chaining value. */
  readonly #decChain: Buffer;
  readonly #encChain: Buffer;

  /** @internal use {@link parseEncodingAESKey}. */
  constructor(key: Buffer) {
    if (key.length !== 32) throw new WecomCryptoError('aes_key_invalid', `AES key must be 32 bytes (got ${key.length})`);
    this.#key = key;
    this.#iv = key.subarray(0, 16);
    this.#decChain = Buffer.from(this.#iv);
    this.#encChain = Buffer.from(this.#iv);
  }

  /**
   * AES-256-CBC decryption of whole blocks with IV = key[0..16), no padding removed.
   *
   * Why not a fresh decipher per call: creating one costs more than decrypting 1 KiB. A
   * long-lived CBC decipher simply continues the chain, so block 0 comes out XORed with the
   * previous call's last ciphertext block instead of the IV; XORing 16 bytes fixes that, and
   * every later block is already right.
   *
   * @internal `data.length` must be a positive multiple of 16 (the callers check).
   */
  decryptBlocks(data: Buffer): Buffer {
    const decipher = (this.#decipher ??= this.#make(createDecipheriv));
    let out: Buffer;
    try {
      out = decipher.update(data);
    } catch (cause) {
      this.#decipher = undefined;
      this.#iv.copy(this.#decChain);
      throw new WecomCryptoError('ciphertext_length_invalid', 'AES decryption failed', { cause });
    }
    if (out.length !== data.length) {
      // Never expected with padding off; a fresh decipher next time keeps the chain honest.
      this.#decipher = undefined;
      this.#iv.copy(this.#decChain);
      throw new WecomCryptoError('ciphertext_length_invalid', 'AES decryption returned a partial block');
    }
    const chain = this.#decChain;
    const iv = this.#iv;
    for (let i = 0; i < 16; i++) out[i] = out[i]! ^ chain[i]! ^ iv[i]!;
    data.copy(chain, 0, data.length - 16);
    return out;
  }

  /**
   * AES-256-CBC encryption of whole blocks with IV = key[0..16). Modifies the first block of
   * `data` in place (same chaining trick as {@link decryptBlocks}, applied to the input).
   *
   * @internal `data.length` must be a positive multiple of 16 (the callers pad).
   */
  encryptBlocks(data: Buffer): Buffer {
    const cipher = (this.#cipher ??= this.#make(createCipheriv));
    const chain = this.#encChain;
    const iv = this.#iv;
    for (let i = 0; i < 16; i++) data[i] = data[i]! ^ chain[i]! ^ iv[i]!;
    let out: Buffer;
    try {
      out = cipher.update(data);
    } catch (cause) {
      this.#cipher = undefined;
      iv.copy(chain);
      throw new WecomCryptoError('encrypt_failed', 'AES encryption failed', { cause });
    }
    if (out.length !== data.length) {
      this.#cipher = undefined;
      iv.copy(chain);
      throw new WecomCryptoError('encrypt_failed', 'AES encryption returned a partial block');
    }
    out.copy(chain, 0, out.length - 16);
    return out;
  }

  #make<T extends Cipher | Decipher>(factory: (algorithm: string, key: Buffer, iv: Buffer) => T): T {
    const c = factory('aes-256-cbc', this.#key, this.#iv);
    c.setAutoPadding(false);
    return c;
  }

  /** Keeps the key out of logs. */
  toJSON(): string {
    return 'AesKey(redacted)';
  }
}

/**
 * Parses an EncodingAESKey (43 characters `[A-Za-z0-9]`) into the 32-byte AES key.
 *
 * @example
 * const key = parseEncodingAESKey(process.env.WECOM_ENCODING_AES_KEY!);
 * @throws WecomCryptoError `aes_key_invalid` (-40004)
 */
export function parseEncodingAESKey(encodingAESKey: string): AesKey {
  if (typeof encodingAESKey !== 'string' || !ENCODING_AES_KEY.test(encodingAESKey)) {
    const length = typeof encodingAESKey === 'string' ? encodingAESKey.length : 0;
    throw new WecomCryptoError(
      'aes_key_invalid',
      `EncodingAESKey must be 43 letters and digits (got ${length} characters${length === 43 ? ' with other characters' : ''})`,
    );
  }
  // 43 base64 characters carry 258 bits: 32 bytes plus 2 bits WeCom ignores (they need not be 0).
  return new AesKey(Buffer.from(`${encodingAESKey}=`, 'base64'));
}

/** Accepts a parsed key or an EncodingAESKey string (parsed on every call: slower). */
export function toAesKey(key: AesKey | string): AesKey {
  return key instanceof AesKey ? key : parseEncodingAESKey(key);
}
