/**
 * Inbound media: a long-connection image, file or video carries its own `aeskey` next to the
 * URL (per message; HTTP callbacks use the EncodingAESKey instead). The download is
 * AES-256-CBC with IV = key[0..16) and 32-byte PKCS#7 (protocol/crypto decryptMedia).
 *
 * The keys stay out of the typed message (it is the same type the HTTP callback produces):
 * they live in a WeakMap beside it, gone with the message, never logged.
 */
import { AesKey } from '../protocol/crypto/aes-key.js';
import { decryptMedia } from '../protocol/crypto/decrypt.js';
import { redactUrl } from '../redact.js';
import { WsError } from './errors.js';

/** Files are at most 100 MB (doc 100719). */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

const keys = new WeakMap<object, Map<string, string>>();

/** Remembers the per-URL keys of an inbound body for its parsed message. */
export function rememberMediaKeys(message: object, body: Record<string, unknown>): void {
  // Most frames are text: nothing to look at, nothing allocated (this runs for every frame).
  if (body.image === undefined && body.file === undefined && body.video === undefined && body.mixed === undefined) return;
  const found = new Map<string, string>();
  take(found, body.image);
  take(found, body.file);
  take(found, body.video);
  const items = (body.mixed as { msg_item?: unknown } | undefined)?.msg_item;
  if (Array.isArray(items)) for (const item of items) take(found, (item as { image?: unknown }).image);
  if (found.size > 0) keys.set(message, found);
}

function take(found: Map<string, string>, v: unknown): void {
  const o = v as { url?: unknown; aeskey?: unknown } | undefined;
  if (o && typeof o.url === 'string' && typeof o.aeskey === 'string') found.set(o.url.trim(), o.aeskey);
}

/** The key of `url` in `message`, if the frame carried one. */
export function mediaKeyOf(message: object, url: string): string | undefined {
  return keys.get(message)?.get(url);
}

export interface DownloadOptions {
  /** Default 100 MB. */
  maxBytes?: number;
  /** Default 10000 ms. */
  timeoutMs?: number;
}

/**
 * Downloads and decrypts the medium of a long-connection message: its image or file, or
 * `url` (an image of a mixed message).
 *
 * @example
 * bot.on('message:image', async (ctx) => { const bytes = await downloadMedia(ctx.message); ... });
 * @throws WsError `ws_media` when the message has no key (not from the long connection), the
 *   download fails or exceeds `maxBytes`, or the bytes do not decrypt.
 */
export async function downloadMedia(message: object, url?: string, options: DownloadOptions = {}): Promise<Buffer> {
  const m = message as { imageUrl?: string; fileUrl?: string };
  const target = url ?? m.imageUrl ?? m.fileUrl;
  if (!target) throw new WsError('ws_media', 'this message has no image or file', { hint: 'pass the url of a mixed message item' });
  const aesKey = mediaKeyOf(message, target);
  if (!aesKey)
    throw new WsError('ws_media', 'no per-message key for this medium', {
      hint: 'only long-connection messages carry one; HTTP callbacks decrypt with the EncodingAESKey (decryptMedia)',
    });
  const raw = Buffer.from(aesKey, 'base64');
  if (raw.length !== 32) throw new WsError('ws_media', `the message's aeskey decodes to ${raw.length} bytes, not 32`);
  const maxBytes = options.maxBytes ?? MAX_MEDIA_BYTES;
  let res: Response;
  try {
    res = await fetch(target, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
  } catch (cause) {
    throw new WsError('ws_media', `media download from ${redactUrl(target)} failed`, { cause });
  }
  if (!res.ok) throw new WsError('ws_media', `media download answered HTTP ${res.status} (the URL lives 5 minutes)`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw new WsError('ws_media', `medium is ${declared} bytes; the limit is ${maxBytes}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > maxBytes) throw new WsError('ws_media', `medium exceeds ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  try {
    return decryptMedia(new AesKey(raw), Buffer.concat(chunks));
  } catch (cause) {
    throw new WsError('ws_media', 'the medium does not decrypt with its aeskey', { cause });
  }
}
