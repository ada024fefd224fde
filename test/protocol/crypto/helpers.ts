import { createCipheriv, createDecipheriv } from 'node:crypto';

/** The raw AES key of an EncodingAESKey, computed independently of the code under test. */
export function rawKey(encodingAESKey: string): Buffer {
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/** Encrypts an arbitrary (already padded) block with a fresh node:crypto cipher: for crafting hostile inputs. */
export function sealRaw(encodingAESKey: string, block: Buffer): string {
  const key = rawKey(encodingAESKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64');
}

/** Decrypts without removing anything, with a fresh node:crypto decipher. */
export function openRaw(encodingAESKey: string, ciphertext: string): Buffer {
  const key = rawKey(encodingAESKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
}

/** Builds random16 ‖ len ‖ msg ‖ rid with an explicit length field, padded as told. */
export function frame(
  message: Buffer | string,
  options: { receiveId?: string; lengthField?: number; pad?: number | Buffer; random?: string } = {},
): Buffer {
  const msg = typeof message === 'string' ? Buffer.from(message) : message;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(options.lengthField ?? msg.length);
  const body = Buffer.concat([Buffer.from(options.random ?? 'RANDOMRANDOM1234'), len, msg, Buffer.from(options.receiveId ?? '')]);
  let pad: Buffer;
  if (Buffer.isBuffer(options.pad)) pad = options.pad;
  else {
    const k = options.pad ?? 32 - (body.length % 32);
    pad = Buffer.alloc(k, k);
  }
  return Buffer.concat([body, pad]);
}
