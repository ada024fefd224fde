import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIMITS } from '../protocol/limits.js';
import type { Store } from '../store/store.js';
import { WebhookMediaError } from './errors.js';

export type MediaType = 'file' | 'voice';

/** A file or voice to upload: a path, a file: URL, or bytes (then give `filename`). */
export type MediaSource = string | URL | Buffer | Uint8Array;

/** An uploaded media, usable by the same robot until `expiresAt`. */
export interface UploadedMedia {
  mediaId: string;
  type: MediaType;
  /** Epoch ms WeCom reported (`created_at`, seconds, as a string). */
  createdAt: number;
  /** createdAt + 3 days. */
  expiresAt: number;
  /** True when the media_id came from the cache and nothing was uploaded. */
  cached: boolean;
}

/** Bytes plus the displayed file name. */
export interface MediaInput {
  data: Buffer;
  filename: string;
}

const AMR_MAGIC = Buffer.from('#!AMR\n', 'latin1');

/** Reads a media source into bytes and a file name. */
export async function readMediaSource(source: MediaSource, filename?: string): Promise<MediaInput> {
  if (Buffer.isBuffer(source) || source instanceof Uint8Array) {
    return { data: Buffer.from(source), filename: filename ?? 'file.bin' };
  }
  const path = source instanceof URL ? fileURLToPath(source) : source.startsWith('file:') ? fileURLToPath(source) : source;
  try {
    return { data: await readFile(path), filename: filename ?? basename(path) };
  } catch (err) {
    throw new WebhookMediaError('media_read', `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, {
      hint: 'check the path',
      cause: err,
    });
  }
}

/** Refuses what WeCom would refuse (protocol §1.7), before spending a request on it. */
export function checkMedia(type: MediaType, input: MediaInput): void {
  const size = input.data.length;
  if (size < LIMITS.uploadMinBytes) {
    throw new WebhookMediaError('media_too_small', `${input.filename} is ${size} bytes; WeCom needs more than 5 bytes`, {
      hint: 'check the file',
    });
  }
  const max = type === 'voice' ? LIMITS.voiceBytes : LIMITS.fileBytes;
  if (size > max) {
    throw new WebhookMediaError('media_too_large', `${input.filename} is ${size} bytes; a ${type} may be at most ${max} bytes`, {
      hint: type === 'voice' ? 'shorten the recording (≤ 60 s, ≤ 2 MB)' : 'share a link instead of the file',
    });
  }
  if (type === 'voice' && !input.data.subarray(0, AMR_MAGIC.length).equals(AMR_MAGIC)) {
    throw new WebhookMediaError('media_not_amr', `${input.filename} is not an AMR recording; WeCom plays only AMR voice`, {
      hint: 'convert it, e.g. `ffmpeg -i in.mp3 -ar 8000 -ac 1 out.amr`, or send it as a file',
    });
  }
}

/** The multipart/form-data body WeCom expects: one part named `media` with filename and filelength. */
export function multipartBody(input: MediaInput): { body: Buffer; contentType: string } {
  const boundary = `----wecombot${randomBytes(12).toString('hex')}`;
  const name = input.filename.replace(/["\r\n]/g, '_');
  const head =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="media"; filename="${name}"; filelength=${input.data.length}\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, 'utf8'), input.data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * media_id cache per robot (a media_id works only for the robot that uploaded it), keyed by
 * content hash, type and file name. Entries expire an hour before WeCom's 3 days, so a cached
 * id is never used at the edge of its life. In the store when given, else in memory.
 */
export class MediaCache {
  private readonly memory = new Map<string, { media: Omit<UploadedMedia, 'cached'> }>();
  static readonly safetyMs = 60 * 60 * 1000;

  constructor(
    private readonly store: Store | undefined,
    private readonly now: () => number,
  ) {}

  static keyOf(robotId: string, type: MediaType, input: MediaInput): string {
    const digest = createHash('sha256').update(input.data).update('\0').update(input.filename).digest('hex').slice(0, 32);
    return `webhook:media:${robotId}:${type}:${digest}`;
  }

  async get(key: string): Promise<UploadedMedia | undefined> {
    let media: Omit<UploadedMedia, 'cached'> | undefined;
    if (this.store) {
      const raw = await this.store.get(key);
      media = raw ? (JSON.parse(raw) as Omit<UploadedMedia, 'cached'>) : undefined;
    } else {
      media = this.memory.get(key)?.media;
    }
    if (!media || media.expiresAt - MediaCache.safetyMs <= this.now()) return undefined;
    return { ...media, cached: true };
  }

  async set(key: string, media: UploadedMedia): Promise<void> {
    const { cached: _cached, ...rest } = media;
    const ttlMs = rest.expiresAt - MediaCache.safetyMs - this.now();
    if (ttlMs <= 0) return;
    if (this.store) await this.store.set(key, JSON.stringify(rest), { ttlMs });
    else this.memory.set(key, { media: rest });
  }
}
