/**
 * One HTTP request: for direct connections, POSTs over node:http(s) (see `sendNodeHttp`) and
 * GETs over Node's global fetch (it follows redirects, which image downloads need); over undici
 * only when a proxy or a caller's dispatcher needs it.
 *
 * Why: undici is ~530 KB of JavaScript. Loaded at require time it costs every FaaS cold start
 * tens of milliseconds, and undici 7 does not even load on Node 18 (it reads the global `File`
 * at load, which Node 18 keeps in node:buffer): SCF's and Lambda's Node 18 runtimes must still
 * answer. Global fetch is built into every runtime the bundles target (Node >= 18) and comes
 * from Node's own snapshot, and node:http(s) are built in, so the direct path compiles nothing of ours.
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
 * The dispatcher of a client that connects directly: a marker for `sendHttp`, which sends POSTs
 * over node:http(s) with this dispatcher's keep-alive agents (made on first use) and GETs over
 * global fetch. `close` and `destroy` end the agents' sockets.
 */
export function directDispatcher(): Dispatcher {
  const agents: DirectAgents = {};
  const end = () => {
    agents.http?.destroy();
    agents.https?.destroy();
    return Promise.resolve();
  };
  return { [DIRECT]: agents, close: end, destroy: end } as unknown as Dispatcher;
}

/** True for the marker of `directDispatcher`. */
export function isDirect(dispatcher: Dispatcher): boolean {
  return directAgents(dispatcher) !== undefined;
}

interface DirectAgents {
  http?: import('node:http').Agent;
  https?: import('node:https').Agent;
}

function directAgents(dispatcher: Dispatcher): DirectAgents | undefined {
  const a = (dispatcher as unknown as Record<symbol, unknown>)[DIRECT];
  return typeof a === 'object' && a !== null ? (a as DirectAgents) : undefined;
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
  const agents = directAgents(dispatcher);
  if (agents && init.method === 'POST') return sendNodeHttp(agents, url, init);
  if (agents) {
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

/** An idle kept-alive socket is closed after this (undici's default keep-alive timeout), before a server drops it under us. */
const IDLE_MS = 4000;

let nodeHttp: { http: typeof import('node:http'); https: typeof import('node:https') } | undefined;

/**
 * A POST over node:http(s) with keep-alive agents. Why not fetch: a webhook send is a small POST
 * and fetch's WHATWG streams and per-request objects cost about 0.7 ms more CPU per request
 * than node:http (measured on loopback, client and server in one process); a campaign of
 * thousands of sends spends seconds of CPU on it. Loaded on first use: a FaaS cold start that
 * never posts does not pay for them. Errors keep their socket `code` (ECONNREFUSED, …), as undici's do.
 */
async function sendNodeHttp(agents: DirectAgents, url: string, init: HttpInit): Promise<HttpResponse> {
  nodeHttp ??= { http: await import('node:http'), https: await import('node:https') };
  const { http, https } = nodeHttp;
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') throw new TypeError(`unsupported protocol ${target.protocol}`);
  const agent = secure
    ? (agents.https ??= new https.Agent({ keepAlive: true, timeout: IDLE_MS }))
    : (agents.http ??= new http.Agent({ keepAlive: true, timeout: IDLE_MS }));
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    const req = (secure ? https : http).request(
      target,
      {
        method: init.method,
        agent,
        signal: init.signal,
        headers: { ...init.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
  return {
    statusCode: res.statusCode ?? 0,
    text: async () => {
      const parts: Buffer[] = [];
      for await (const chunk of res) parts.push(chunk as Buffer);
      return Buffer.concat(parts).toString('utf8');
    },
    chunks: () => res,
    dump: async () => {
      res.resume();
      await new Promise<void>((resolve) => {
        if (res.complete) resolve();
        res.once('end', resolve).once('close', resolve);
      });
    },
    destroy: () => void res.destroy(),
  };
}
