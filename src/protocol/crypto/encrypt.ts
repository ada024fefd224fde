import { randomFillSync } from 'node:crypto';
import { toAesKey, type AesKey } from './aes-key.js';
import { WecomCryptoError } from './crypto-error.js';

/** Options of {@link encrypt}. */
export interface EncryptOptions {
  /** Appended after the message: `''` for group robots and internal AI bots, the CorpID for apps. */
  receiveId?: string;
  /** The 16-byte random prefix. Only pass one for reproducible tests; default: fresh random bytes. */
  random?: string | Uint8Array;
}

// randomBytes(16) costs a few microseconds per call; one 4 KiB fill serves 256 messages.
// Every prefix is still fresh CSPRNG output and used once. Used prefixes are not wiped: each is
// independent of the ones to come, and whoever can read this process's memory reads the AES key
// too (the wipe, a native call per message, cost ~7 % of encrypt+sign in bench:crypto).
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let poolOffset = POOL_SIZE;

function writeRandom(target: Buffer, random: string | Uint8Array | undefined): void {
  if (random === undefined) {
    if (poolOffset === POOL_SIZE) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    pool.copy(target, 0, poolOffset, poolOffset + 16);
    poolOffset += 16;
    return;
  }
  const bytes = typeof random === 'string' ? Buffer.from(random, 'utf8') : random;
  if (bytes.length !== 16) {
    throw new WecomCryptoError('encrypt_failed', `random prefix must be 16 bytes (got ${bytes.length})`);
  }
  target.set(bytes, 0);
}

/**
 * Encrypts a message the WXBizMsgCrypt way:
 * base64(AES-256-CBC(random16 ‖ uint32be(len) ‖ msg ‖ receiveId ‖ PKCS#7 pad to 32)).
 *
 * @example
 * const encrypt = encrypt(key, '{"msgtype":"text","text":{"content":"hi"}}');
 * @throws WecomCryptoError `encrypt_failed`, `aes_key_invalid` (string key)
 */
export function encrypt(key: AesKey | string, plaintext: string | Uint8Array, options: EncryptOptions = {}): string {
  const aes = toAesKey(key);
  const receiveId = options.receiveId ?? '';
  const msgLength = typeof plaintext === 'string' ? Buffer.byteLength(plaintext, 'utf8') : plaintext.length;
  const ridLength = receiveId === '' ? 0 : Buffer.byteLength(receiveId, 'utf8');
  if (msgLength > 0xffffffff) throw new WecomCryptoError('encrypt_failed', 'message longer than 4 GiB');
  const body = 20 + msgLength + ridLength;
  const pad = 32 - (body % 32);
  // One buffer, written in place: no Buffer.concat, no intermediate copies.
  const block = Buffer.allocUnsafe(body + pad);
  writeRandom(block, options.random);
  block.writeUInt32BE(msgLength, 16);
  if (typeof plaintext === 'string') block.write(plaintext, 20, msgLength, 'utf8');
  else block.set(plaintext, 20);
  if (ridLength > 0) block.write(receiveId, 20 + msgLength, ridLength, 'utf8');
  block.fill(pad, body);
  return aes.encryptBlocks(block).toString('base64');
}

/**
 * Encrypts a file the way AI bot (智能机器人) download URLs serve it: AES-256-CBC, IV = key[0..16),
 * 32-byte PKCS#7 pad, no framing. The inverse of `decryptMedia`; useful for emulators and tests.
 */
export function encryptMedia(key: AesKey | string, data: Uint8Array): Buffer {
  const aes = toAesKey(key);
  const pad = 32 - (data.length % 32);
  const block = Buffer.allocUnsafe(data.length + pad);
  block.set(data, 0);
  block.fill(pad, data.length);
  return aes.encryptBlocks(block);
}
