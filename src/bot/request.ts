/**
 * The runtime-neutral request and response every adapter translates to and from. The core
 * (`bot.handle`) never sees a platform object, so no adapter can skip a check.
 */

/** One HTTP request, as plain data. Header names are lower-case. */
export interface BotRequest {
  method: string;
  /** Path without the query string, e.g. `/wecom/callback`. */
  path: string;
  /** The raw query string without `?`, exactly as received (percent-encoded). */
  rawQuery: string;
  /** Parsed query values (first value per name, percent-decoded). */
  query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes (empty for GET). */
  body: Uint8Array;
  /** The caller's address as the runtime reports it (for IP allow-lists and rate limits). */
  remoteAddress?: string;
}

/** The answer for the platform. `body` is UTF-8 text (echo, encrypted XML/JSON, or empty). */
export interface BotResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * Work that continues after the response was decided (late replies, webhook sends). A server
   * ignores it (the process lives on); a FaaS adapter awaits it before returning, because the
   * platform freezes the instance once the handler returns. Never rejects.
   */
  pending: Promise<void>;
}

/** The `pending` of a response with no continuing work (compare by identity). */
export const NO_PENDING: Promise<void> = Promise.resolve();

/** Parses a raw query string into first-value-wins pairs. */
export function parseQuery(rawQuery: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!rawQuery) return out;
  for (const [k, v] of new URLSearchParams(rawQuery)) if (!(k in out)) out[k] = v;
  return out;
}

/** Encodes a parsed query back to a raw string (for platforms that only give parsed values). */
export function formatQuery(query: Readonly<Record<string, string | undefined>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  }
  return parts.join('&');
}

/** Lower-cases header names and joins repeated values with `, `. */
export function normalizeHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined | null>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.join(', ') : String(v);
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * Builds a BotRequest from a URL-ish target (`/path?query`), for tests and adapters.
 *
 * @example botRequest({ method: 'GET', url: '/wecom/callback?echostr=...' })
 */
export function botRequest(init: {
  method: string;
  url: string;
  headers?: Readonly<Record<string, string | string[] | undefined>>;
  body?: Uint8Array | string;
  remoteAddress?: string;
}): BotRequest {
  const q = init.url.indexOf('?');
  const path = q < 0 ? init.url : init.url.slice(0, q);
  const rawQuery = q < 0 ? '' : init.url.slice(q + 1);
  const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : (init.body ?? new Uint8Array());
  return {
    method: init.method.toUpperCase(),
    path: path || '/',
    rawQuery,
    query: parseQuery(rawQuery),
    headers: normalizeHeaders(init.headers),
    body,
    ...(init.remoteAddress ? { remoteAddress: init.remoteAddress } : {}),
  };
}

/** A response with no continuing work. */
export function respond(status: number, body = '', contentType = 'text/plain; charset=utf-8'): BotResponse {
  return { status, headers: { 'content-type': contentType }, body, pending: NO_PENDING };
}
