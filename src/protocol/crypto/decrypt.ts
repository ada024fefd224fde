import { isUtf8 } from 'node:buffer';
import { toAesKey, type AesKey } from './aes-key.js';
import { decodeBase64Strict } from './base64.js';
import { quote, WecomCryptoError } from './crypto-error.js';
import { decodeValidUtf8 } from './utf8.js';

/** Options of {@link decrypt}. */
export interface DecryptOptions {
  /** The receiveid the message must carry: `''` (default) for group robots and internal AI bots, the CorpID for apps. */
  receiveId?: string;
}

/** A decrypted callback payload. */
export interface Decrypted {
  /** The message, exactly as WeCom encrypted it (XML or JSON text). */
  message: string;
  /** The trailing receiveid; equal to the expected one, or decrypt would have thrown. */
  receiveId: string;
  /** The 16-byte random prefix (no meaning; kept for diagnostics). */
  random: Buffer;
}

const EMPTY = Buffer.alloc(0);
const ridCache = new Map<string, Buffer>();

function receiveIdBytes(receiveId: string): Buffer {
  if (receiveId === '') return EMPTY;
  let bytes = ridCache.get(receiveId);
  if (bytes === undefined) {
    bytes = Buffer.from(receiveId, 'utf8');
    if (ridCache.size < 64) ridCache.set(receiveId, bytes);
  }
  return bytes;
}

/**
 * Decrypts AES-256-CBC blocks and strips a 32-byte-block PKCS#7 pad, checking every pad byte.
 * Shared by callbacks and media files.
 */
function decryptAndUnpad(aes: AesKey, data: Buffer): { plain: Buffer; end: number } {
  if (data.length === 0 || data.length % 16 !== 0) {
    throw new WecomCryptoError('ciphertext_length_invalid', `ciphertext is ${data.length} bytes: AES output is a non-empty multiple of 16`);
  }
  const plain = aes.decryptBlocks(data);
  const n = plain.length;
  const pad = plain[n - 1]!;
  if (pad < 1 || pad > 32 || pad > n) {
    throw new WecomCryptoError('padding_invalid', `bad padding: pad byte ${pad} is outside 1..32`);
  }
  // Every pad byte must equal the pad length; a wrong key leaves random bytes here.
  let diff = 0;
  for (let i = n - pad; i < n - 1; i++) diff |= plain[i]! ^ pad;
  if (diff !== 0) throw new WecomCryptoError('padding_invalid', `bad padding: the ${pad} pad bytes are not all ${pad}`);
  return { plain, end: n - pad };
}

/**
 * Decrypts a WeCom ciphertext (`echostr`, `Encrypt`, `encrypt`) and checks everything the
 * official SDKs skip: strict base64, length, every pad byte, the length field, the receiveid
 * and that the message is UTF-8. Verify the signature first ({@link verifySignature}, or use
 * `WecomCrypto`), so forged ciphertexts never reach this function.
 *
 * @example
 * const { message } = decrypt(key, encrypt); // receiveId '' for group robots
 * @throws WecomCryptoError `base64_invalid`, `ciphertext_length_invalid`, `padding_invalid`,
 *   `length_field_invalid`, `receive_id_mismatch`, `message_not_utf8`, `aes_key_invalid` (string key)
 */
export function decrypt(key: AesKey | string, ciphertext: string, options: DecryptOptions = {}): Decrypted {
  const receiveId = options.receiveId ?? '';
  const { plain, message } = open(toAesKey(key), ciphertext, receiveId);
  return { message, receiveId, random: plain.subarray(0, 16) };
}

/** {@link decrypt} returning only the message: the hot path of `WecomCrypto`. @internal */
export function decryptMessageText(key: AesKey, ciphertext: string, receiveId: string): string {
  return open(key, ciphertext, receiveId).message;
}

function open(aes: AesKey, ciphertext: string, expected: string): { plain: Buffer; message: string } {
  const { plain, end } = decryptAndUnpad(aes, decodeBase64Strict(ciphertext));
  if (end < 20) {
    throw new WecomCryptoError('length_field_invalid', `decrypted block is ${end} bytes, shorter than the 20-byte header`);
  }
  const msgLength = plain.readUInt32BE(16);
  const msgEnd = 20 + msgLength;
  if (msgEnd > end) {
    throw new WecomCryptoError('length_field_invalid', `length field says ${msgLength} bytes but only ${end - 20} follow`);
  }
  // compare() with ranges avoids allocating a view of the receiveid.
  if (receiveIdBytes(expected).compare(plain, msgEnd, end) !== 0) {
    throw new WecomCryptoError(
      'receive_id_mismatch',
      `receiveid mismatch: the message carries ${quote(plain.toString('utf8', msgEnd, end))}, expected ${quote(expected)}`,
    );
  }
  const msg = plain.subarray(20, msgEnd);
  if (!isUtf8(msg)) throw new WecomCryptoError('message_not_utf8', `the ${msgLength}-byte message is not valid UTF-8`);
  return { plain, message: decodeValidUtf8(plain, 20, msgEnd) };
}

/**
 * Decrypts a file downloaded from an AI bot (智能机器人) image/file URL: AES-256-CBC with the
 * callback key, IV = key[0..16), 32-byte PKCS#7 pad, no random prefix or length framing.
 *
 * @example
 * const bytes = decryptMedia(key, Buffer.from(await res.arrayBuffer()));
 * @throws WecomCryptoError `ciphertext_length_invalid`, `padding_invalid`
 */
export function decryptMedia(key: AesKey | string, data: Uint8Array): Buffer {
  const aes = toAesKey(key);
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const { plain, end } = decryptAndUnpad(aes, buf);
  return plain.subarray(0, end);
}
