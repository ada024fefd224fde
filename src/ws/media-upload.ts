/**
 * Outbound media through the chunked upload (doc 101463): `aibot_upload_media_init` →
 * `aibot_upload_media_chunk` × n (≤ 512 KB raw each, ≤ 100 chunks, any order, idempotent) →
 * `aibot_upload_media_finish`, which answers the `media_id` (valid 3 days).
 *
 * Chunk indices start at 0, as the official SDK sends them (UNCONFIRMED: the doc's example
 * shows 1; the SDK's 0-based upload is the one known to work). Two chunks at a time: the SDK's
 * own comment reports "system error" under more concurrency.
 */
import { createHash } from 'node:crypto';
import type { WsFrame } from './frames.js';
import { WS_CMD } from './frames.js';
import { WsError } from './errors.js';
import type { MediaType } from './reply-bodies.js';

export const UPLOAD_CHUNK_BYTES = 512 * 1024;
export const UPLOAD_MAX_CHUNKS = 100;
const CONCURRENCY = 2;
const RETRIES = 2;

export interface UploadOptions {
  type: MediaType;
  filename: string;
}

export interface UploadedMedia {
  type: MediaType;
  mediaId: string;
  createdAt: number | undefined;
}

type Request = (cmd: string, body: unknown) => Promise<WsFrame>;

/** Uploads `data` and resolves with its media_id. */
export async function uploadMedia(request: Request, data: Uint8Array, options: UploadOptions): Promise<UploadedMedia> {
  if (!['image', 'file', 'voice', 'video'].includes(options.type))
    throw new WsError('ws_media', `upload type must be image, file, voice or video (got ${JSON.stringify(options.type)})`);
  if (typeof options.filename !== 'string' || options.filename.trim() === '') throw new WsError('ws_media', 'upload filename is empty');
  if (data.byteLength === 0) throw new WsError('ws_media', 'upload is empty');
  const totalChunks = Math.ceil(data.byteLength / UPLOAD_CHUNK_BYTES);
  if (totalChunks > UPLOAD_MAX_CHUNKS)
    throw new WsError(
      'ws_media',
      `upload is ${data.byteLength} bytes; the long connection takes at most ${UPLOAD_MAX_CHUNKS} chunks of 512 KB`,
    );
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const md5 = createHash('md5').update(buf).digest('hex');
  const init = await request(WS_CMD.uploadInit, {
    type: options.type,
    filename: options.filename,
    total_size: buf.length,
    total_chunks: totalChunks,
    md5,
  });
  const uploadId = (init.body as { upload_id?: unknown } | undefined)?.upload_id;
  if (typeof uploadId !== 'string' || uploadId === '')
    throw new WsError('ws_media', 'upload init answered without an upload_id', { cmd: WS_CMD.uploadInit });

  let next = 0;
  const worker = async () => {
    while (next < totalChunks) {
      const index = next++;
      const chunk = buf.subarray(index * UPLOAD_CHUNK_BYTES, (index + 1) * UPLOAD_CHUNK_BYTES);
      const body = { upload_id: uploadId, chunk_index: index, base64_data: chunk.toString('base64') };
      for (let attempt = 0; ; attempt++) {
        try {
          await request(WS_CMD.uploadChunk, body);
          break;
        } catch (err) {
          // Chunks are idempotent: a retry is safe.
          if (attempt >= RETRIES)
            throw new WsError('ws_media', `upload chunk ${index} of ${totalChunks} failed`, { cause: err, cmd: WS_CMD.uploadChunk });
          await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, totalChunks) }, worker));
  const finish = await request(WS_CMD.uploadFinish, { upload_id: uploadId });
  const b = (finish.body ?? {}) as { media_id?: unknown; created_at?: unknown; type?: unknown };
  if (typeof b.media_id !== 'string' || b.media_id === '')
    throw new WsError('ws_media', 'upload finish answered without a media_id', { cmd: WS_CMD.uploadFinish });
  return { type: options.type, mediaId: b.media_id, createdAt: typeof b.created_at === 'number' ? b.created_at : undefined };
}
