import { multipartBody, readMediaSource, type MediaInput, type MediaSource } from '../client/media.js';
import { WecombotError } from '../errors.js';
import type { CorpApi } from './api.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/** Temporary media types of media/upload. */
export type CorpMediaType = keyof typeof CORP_LIMITS.mediaBytes;

export interface CorpUploadedMedia {
  media_id: string;
  type: CorpMediaType;
  /** Epoch ms (WeCom reports seconds, as a string). */
  createdAt: number;
  /** createdAt + 3 days: the media_id fails with 40007 afterwards. */
  expiresAt: number;
}

export interface CorpMediaApi {
  /**
   * Uploads temporary media (3 days) for attachments: images (JPG/PNG ≤ 10 MB), voice (AMR ≤ 2 MB),
   * video (MP4 ≤ 10 MB), files (≤ 20 MB). A media_id is shared by all apps of the corp.
   *
   * @example const { media_id } = await corp.media.upload('image', './poster.png');
   */
  upload(type: CorpMediaType, source: MediaSource, options?: { filename?: string }): Promise<CorpUploadedMedia>;
  /**
   * Uploads an image for good (media/uploadimg, JPG/PNG ≤ 2 MB) and returns its URL, the only
   * kind `image.pic_url` accepts. WeCom allows 3000 a month, 1000 a day per corp.
   */
  uploadImage(source: MediaSource, options?: { filename?: string }): Promise<{ url: string }>;
}

const MEDIA_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;
const AMR = Buffer.from('#!AMR\n', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

function checkSize(input: MediaInput, max: number): void {
  const size = input.data.length;
  if (size < CORP_LIMITS.mediaMinBytes)
    throw new WecombotError('media_too_small', `${input.filename} is ${size} bytes; WeCom needs more than 5 bytes`, {
      hint: 'check the file',
    });
  if (size > max)
    throw new WecombotError('media_too_large', `${input.filename} is ${size} bytes; WeCom allows at most ${max} here`, {
      hint: 'shrink the file, or send a link instead',
    });
}

function checkImage(input: MediaInput): void {
  const head = input.data.subarray(0, 4);
  if (!head.subarray(0, 3).equals(JPEG) && !head.equals(PNG))
    throw new CorpRequestError('media', `${input.filename} is not a JPG or PNG image`, { hint: 'convert it to JPG or PNG first' });
}

export function checkCorpMedia(type: CorpMediaType, input: MediaInput): void {
  if (!Object.prototype.hasOwnProperty.call(CORP_LIMITS.mediaBytes, type))
    throw new CorpRequestError('type', 'must be image, voice, video or file');
  checkSize(input, CORP_LIMITS.mediaBytes[type]);
  if (type === 'image') checkImage(input);
  if (type === 'voice' && !input.data.subarray(0, AMR.length).equals(AMR)) {
    throw new WecombotError('media_not_amr', `${input.filename} is not an AMR recording`, {
      hint: 'convert it, e.g. `ffmpeg -i in.mp3 -ar 8000 -ac 1 out.amr`',
    });
  }
}

export function corpMediaApi(api: CorpApi, now: () => number): CorpMediaApi {
  return {
    async upload(type, source, options = {}) {
      const input = await readMediaSource(source, options.filename);
      checkCorpMedia(type, input);
      const json = await api.call({ api: 'media/upload', method: 'POST', query: { type }, multipart: multipartBody(input) });
      const createdAt = Number(json.created_at) * 1000 || now();
      return { media_id: String(json.media_id ?? ''), type, createdAt, expiresAt: createdAt + MEDIA_LIFETIME_MS };
    },
    async uploadImage(source, options = {}) {
      const input = await readMediaSource(source, options.filename);
      checkSize(input, CORP_LIMITS.uploadImageBytes);
      checkImage(input);
      const json = await api.call({ api: 'media/uploadimg', method: 'POST', multipart: multipartBody(input) });
      return { url: String(json.url ?? '') };
    },
  };
}
