import { WecombotError } from '../../../errors.js';

/** A weather or report source answered badly: network, HTTP status, or an unexpected body. */
export class SourceError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('source_failed', message, options);
  }
}

export interface FetchOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * GETs a URL and returns its body as text. `label` names the source in errors; the URL itself
 * is not echoed because providers put API keys in query strings.
 */
export async function fetchText(url: string, label: string, options: FetchOptions = {}): Promise<{ text: string; contentType: string }> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 8000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...options.headers }, signal });
  } catch (cause) {
    const reason = timeout.aborted ? 'timed out' : 'could not be reached';
    throw new SourceError(`${label} ${reason}`, { cause, hint: 'check the network, the proxy settings and the base URL' });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new SourceError(`${label} answered HTTP ${response.status}`, { hint: 'check the API key and the base URL' });
  }
  return { text, contentType: response.headers.get('content-type') ?? '' };
}

/** GETs a URL and parses its JSON body; a non-JSON body is a SourceError, never a crash. */
export async function fetchJson(url: string, label: string, options: FetchOptions = {}): Promise<unknown> {
  const { text } = await fetchText(url, label, options);
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new SourceError(`${label} answered with a body that is not JSON`, { cause });
  }
}

/** Reads a finite number out of a loosely typed JSON value (providers send numbers as strings). */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
