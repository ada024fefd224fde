/**
 * AI bot stream replies. The first chunk travels in the HTTP response; WeCom then POSTs
 * refresh callbacks carrying the stream id, answered from the store until `finish`.
 * State lives in the store, so a refresh reaching another instance (FaaS) still finds it.
 */
import type { Store } from '../store/store.js';
import type { ReplyReceipt } from './reply-envelope.js';

/** A reply that grows. `content` is always the full text so far, never a delta. */
export interface ReplyStream {
  readonly id: string;
  /** Replaces the text shown so far. */
  update(content: string): Promise<void>;
  /** Sets the final text (default: the last update) and ends the stream. */
  finish(content?: string): Promise<ReplyReceipt>;
}

/** What the store keeps per stream id. */
export interface StreamState {
  content: string;
  finish: boolean;
}

/** WeCom refreshes for at most 6 minutes after the user's message; keep state a little longer. */
export const STREAM_TTL_MS = 7 * 60 * 1000;

export function streamKey(id: string): string {
  return `aibot:stream:${id}`;
}

export async function readStream(store: Store, id: string): Promise<StreamState | undefined> {
  const raw = await store.get(streamKey(id));
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<StreamState>;
    return { content: typeof v.content === 'string' ? v.content : '', finish: v.finish === true };
  } catch {
    return undefined;
  }
}

export function writeStream(store: Store, id: string, state: StreamState): Promise<void> {
  return store.set(streamKey(id), JSON.stringify(state), { ttlMs: STREAM_TTL_MS });
}
