import { parseMultipart } from '../fake-wecom/multipart.js';
import type { Handler } from './context.js';
import { refuse } from './fields.js';

const MAX_BYTES: Record<string, number> = {
  image: 10 * 1024 * 1024,
  voice: 2 * 1024 * 1024,
  video: 10 * 1024 * 1024,
  file: 20 * 1024 * 1024,
};
const AMR = Buffer.from('#!AMR\n', 'latin1');

function mediaPart(raw: Buffer, contentType: string) {
  const part = parseMultipart(raw, contentType)?.find((p) => p.name === 'media');
  if (!part || part.filename === undefined) refuse(44001, 'empty media data');
  return part;
}

/** media/upload (temporary, 3 days) and media/uploadimg (permanent image URL). */
export const mediaHandlers: Record<string, Handler> = {
  'media/upload': ({ query, raw, contentType, state, now }) => {
    const type = query.type ?? '';
    if (!(type in MAX_BYTES)) refuse(40004, 'invalid media type');
    const part = mediaPart(raw, contentType);
    if (part.data.length < 6) refuse(40006, 'invalid file size');
    if (part.data.length > (MAX_BYTES[type] as number)) refuse(40006, 'invalid file size: media size out of limit');
    if (type === 'voice' && !part.data.subarray(0, AMR.length).equals(AMR)) refuse(40004, 'invalid media type: voice must be amr');
    const media_id = `3${state.newId('')}`;
    const createdAt = now();
    state.media.set(media_id, { type, createdAt });
    return { type, media_id, created_at: String(Math.floor(createdAt / 1000)) };
  },

  'media/uploadimg': ({ raw, contentType, state }) => {
    const part = mediaPart(raw, contentType);
    if (part.data.length < 6 || part.data.length > 2 * 1024 * 1024) refuse(40006, 'invalid file size');
    return { url: `https://wework.qpic.cn/wwpic/fake/${state.newId('')}/0` };
  },
};
