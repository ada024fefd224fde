import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { LIMITS } from '../protocol/limits.js';
import { WebhookMediaError } from './errors.js';

/** An image to send: a file path, an http(s) URL (string or URL), a file: URL, or the bytes. */
export type ImageSource = string | URL | Buffer | Uint8Array;

/** The subset of sharp the client uses (sharp is an optional dependency, loaded lazily). */
export interface SharpLike {
  (input: Buffer): SharpPipeline;
}
interface SharpPipeline {
  rotate(): SharpPipeline;
  flatten(options: { background: string }): SharpPipeline;
  resize(options: { width: number; withoutEnlargement: boolean }): SharpPipeline;
  jpeg(options: { quality: number; mozjpeg?: boolean }): SharpPipeline;
  metadata(): Promise<{ width?: number; height?: number; format?: string }>;
  toBuffer(): Promise<Buffer>;
}

/** Loads sharp when installed; undefined otherwise. */
export async function loadSharp(): Promise<SharpLike | undefined> {
  const name = 'sharp';
  try {
    const mod = (await import(name)) as { default?: SharpLike };
    return mod.default ?? (mod as unknown as SharpLike);
  } catch {
    return undefined;
  }
}

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp' | 'other';

/** Recognises the format from the first bytes (WeCom accepts only JPG and PNG). */
export function detectImageFormat(b: Buffer): ImageFormat {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (b.subarray(0, 4).toString('latin1') === 'GIF8') return 'gif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (b.subarray(0, 2).toString('latin1') === 'BM') return 'bmp';
  return 'other';
}

/** Reads the bytes of a local source; URLs are fetched by the caller (`download`). */
export async function readImageSource(source: ImageSource, download: (url: string) => Promise<Buffer>): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  if (source instanceof Uint8Array) return Buffer.from(source);
  const text = source instanceof URL ? source.href : source;
  if (/^https?:\/\//i.test(text)) return download(text);
  const path = text.startsWith('file:') ? fileURLToPath(text) : text;
  try {
    return await readFile(path);
  } catch (err) {
    throw new WebhookMediaError('image_read', `cannot read image ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
      hint: 'check the path',
      cause: err,
    });
  }
}

/**
 * Makes `input` acceptable to WeCom: JPG or PNG and at most `maxBytes`. A fitting JPG/PNG is
 * returned unchanged; anything else is re-encoded as JPEG and scaled down step by step with
 * sharp. Without sharp, a clear WebhookMediaError says what to do.
 */
export async function fitImage(
  input: Buffer,
  options: { maxBytes?: number; sharp?: () => Promise<SharpLike | undefined> } = {},
): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? LIMITS.imageBytes;
  const format = detectImageFormat(input);
  if ((format === 'jpeg' || format === 'png') && input.length <= maxBytes) return input;
  const why =
    format === 'jpeg' || format === 'png'
      ? `is ${input.length} bytes (over ${maxBytes})`
      : `is ${format === 'other' ? 'not an image WeCom accepts' : format.toUpperCase()}`;
  const sharp = await (options.sharp ?? loadSharp)();
  if (!sharp) {
    throw new WebhookMediaError('image_needs_sharp', `the image ${why}; WeCom takes JPG or PNG of at most 2 MB`, {
      hint: 'install the optional image library (`npm install sharp`) to re-encode automatically, or convert the image yourself',
    });
  }
  let width: number;
  try {
    width = (await sharp(input).metadata()).width ?? 4096;
  } catch (err) {
    throw new WebhookMediaError('image_decode', 'the image could not be decoded', { hint: 'check that the file is an image', cause: err });
  }
  // Re-encode: first at full size with falling quality, then shrink by 20% per step.
  for (let step = 0; step < 12; step++) {
    const quality = step < 3 ? 90 - step * 10 : 70;
    const w = step < 3 ? width : Math.max(16, Math.round(width * 0.8 ** (step - 2)));
    const out = await sharp(input)
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({ width: w, withoutEnlargement: true })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer();
    if (out.length <= maxBytes) return out;
  }
  throw new WebhookMediaError('image_too_large', `the image ${why} and could not be shrunk under ${maxBytes} bytes`, {
    hint: 'send a smaller image',
  });
}

/** The `image` payload: base64 and md5 (hex, lowercase) of the raw bytes. */
export function imagePayload(bytes: Buffer): { base64: string; md5: string } {
  return { base64: bytes.toString('base64'), md5: createHash('md5').update(bytes).digest('hex') };
}
