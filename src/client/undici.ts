/**
 * One HTTP request, over Node's global fetch for direct connections and over undici only when a
 * proxy or a caller's dispatcher needs it.
 *
 * Why: undici is ~530 KB of JavaScript. Loaded at require time it costs every FaaS cold start
 * tens of milliseconds, and undici 7 does not even load on Node 18 (it reads the global `File`
 * at load, which Node 18 keeps in node:buffer): SCF's and Lambda's Node 18 runtimes must still
 * answer. Global fetch is built into every runtime the bundles target (Node >= 18) and comes
 * from Node's own snapshot, so the direct path compiles nothing of ours.
 */
import type { Dispatcher } from 'undici';
import * as nodeBuffer from 'node:buffer';
import { createRequire } from 'node:module';

type Undici = typeof import('undici');

let undici: Undici | undefined;

/**
 * undici, loaded on first use. A direct `require` call lets `wecombot build` put it in
 * vendor/undici.js; plain ESM has no `require`, so it goes through createRequire.
 */
export function loadUndici(): Undici {
  if (undici) return undici;
  // undici 7 reads the global File while loading; Node 18 has the class only in node:buffer.
  const g = globalThis as { File?: unknown };
  g.File ??= (nodeBuffer as { File?: unknown }).File;
  if (typeof require === 'function') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: see above
      undici = require('undici') as Undici;
      return undici;
    } catch {
      // An ESM bundle's `require` shim that cannot load packages: resolve from this file instead.
    }
  }
  undici = createRequire(import.meta.url)('undici') as Undici;
  return undici;
}

const DIRECT = Symbol('wecombot.direct');

/**
 * The dispatcher of a client that connects directly: a marker for `sendHttp` to use global
 * fetch. `close` and `destroy` are no-ops (fetch's pool belongs to Node).
 */
export function directDispatcher(): Dispatcher {
  return { [DIRECT]: true, close: () => Promise.resolve(), destroy: () => Promise.resolve() } as unknown as Dispatcher;
}

/** True for the marker of `directDispatcher`. */
export function isDirect(dispatcher: Dispatcher): boolean {
  return (dispatcher as unknown as Record<symbol, unknown>)[DIRECT] === true;
}

/** A response, whichever engine made it. */
export interface HttpResponse {
  statusCode: number;
  text(): Promise<string>;
  /** The body in chunks (for size-capped downloads). */
  chunks(): AsyncIterable<Uint8Array>;
  /** Reads and drops the body, freeing the connection. */
  dump(): Promise<void>;
  /** Aborts the body. */
  destroy(): void;
}

export interface HttpInit {
  method: 'GET' | 'POST';
  body?: string | Buffer;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** undici only: headers and body timeouts (fetch has the signal). */
  timeoutMs?: number;
}

/** Sends one request; errors are the engine's, with `code` lifted from fetch's `cause`. */
export async function sendHttp(dispatcher: Dispatcher, url: string, init: HttpInit): Promise<HttpResponse> {
  if (isDirect(dispatcher)) {
    let res: Response;
    try {
      res = await fetch(url, { method: init.method, body: init.body, headers: init.headers, signal: init.signal });
    } catch (err) {
      throw liftFetchError(err);
    }
    const body = res.body;
    return {
      statusCode: res.status,
      text: () => res.text(),
      chunks: () => (body ?? emptyBody()) as unknown as AsyncIterable<Uint8Array>,
      dump: async () => {
        await body?.cancel().catch(() => undefined);
      },
      destroy: () => void body?.cancel().catch(() => undefined),
    };
  }
  const res = await loadUndici().request(url, {
    method: init.method,
    body: init.body,
    headers: init.headers,
    dispatcher,
    signal: init.signal,
    ...(init.timeoutMs !== undefined ? { headersTimeout: init.timeoutMs, bodyTimeout: init.timeoutMs } : {}),
  });
  return {
    statusCode: res.statusCode,
    text: () => res.body.text(),
    chunks: () => res.body,
    dump: () => res.body.dump(),
    destroy: () => void res.body.destroy(),
  };
}

async function* emptyBody(): AsyncIterable<Uint8Array> {
  // A response without a body (204, HEAD) yields nothing.
}

/**
 * fetch rejects with `TypeError: fetch failed` and the socket error as `cause`; undici's
 * `request` throws the socket error itself. Callers read `code` (ECONNREFUSED, …) to tell an
 * unsent request from one that may have arrived, so the cause's code and message come up.
 */
function liftFetchError(err: unknown): unknown {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name === 'TypeError' && e.cause && typeof e.cause === 'object') {
    // fetch refuses the spec's blocked ports (1, 6000, …) before connecting: never sent.
    const code = e.cause.code ?? (e.cause.message === 'bad port' ? 'ERR_BLOCKED_PORT' : undefined);
    return Object.assign(new Error(e.cause.message ?? e.message ?? 'fetch failed'), { code, cause: e.cause });
  }
  return err;
}
