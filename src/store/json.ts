import type { Store, TtlOptions } from './store.js';

/** Reads a JSON value written by `setJson`; undefined when absent or expired. */
export async function getJson<T>(store: Store, key: string): Promise<T | undefined> {
  const raw = await store.get(key);
  return raw === undefined ? undefined : (JSON.parse(raw) as T);
}

/** Writes any JSON-serialisable value. */
export function setJson(store: Store, key: string, value: unknown, options?: TtlOptions): Promise<void> {
  return store.set(key, JSON.stringify(value), options);
}
