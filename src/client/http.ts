import type { Dispatcher } from 'undici';
import { WebhookNetworkError } from './errors.js';
import { directDispatcher, loadUndici, sendHttp, type HttpResponse } from './undici.js';
import { redactSecrets } from '../redact.js';

/** How the client reaches WeCom. */
export interface NetworkOptions {
  /**
   * `env` (default): honour HTTPS_PROXY / HTTP_PROXY / NO_PROXY (undici's EnvHttpProxyAgent);
   * a URL: always use that proxy; `false`: connect directly.
   */
  proxy?: 'env' | string | false;
  /** A ready undici dispatcher; overrides `proxy`. */
  dispatcher?: Dispatcher;
}

export interface HttpAnswer {
  status: number;
  text: string;
}

const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/**
 * Builds the dispatcher for `options`; `owned` tells whether the client must close it. A direct
 * connection goes through node:http(s) and Node's global fetch (see undici.ts); undici loads only for a proxy.
 */
export function createDispatcher(options: NetworkOptions = {}): { dispatcher: Dispatcher; owned: boolean } {
  if (options.dispatcher) return { dispatcher: options.dispatcher, owned: false };
  const proxy = options.proxy ?? 'env';
  if (typeof proxy === 'string' && proxy !== 'env') return { dispatcher: new (loadUndici().ProxyAgent)(proxy), owned: true };
  if (proxy === 'env' && PROXY_VARS.some((v) => process.env[v])) return { dispatcher: new (loadUndici().EnvHttpProxyAgent)(), owned: true };
  return { dispatcher: directDispatcher(), owned: true };
}

function isTimeout(err: unknown): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return (
    e?.name === 'TimeoutError' ||
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT' ||
    e?.code === 'UND_ERR_CONNECT_TIMEOUT'
  );
}

/**
 * One HTTP exchange with a total deadline. Network failures become WebhookNetworkError with
 * every secret scrubbed from the message (undici errors may quote the URL).
 */
export async function httpExchange(
  dispatcher: Dispatcher,
  url: string,
  init: {
    method: 'GET' | 'POST';
    body?: string | Buffer;
    headers?: Record<string, string>;
    timeoutMs: number;
    label: string;
    secrets: string[];
  },
): Promise<HttpAnswer> {
  const signal = AbortSignal.timeout(init.timeoutMs);
  try {
    const res = await sendHttp(dispatcher, url, {
      method: init.method,
      body: init.body,
      headers: init.headers,
      signal,
      timeoutMs: init.timeoutMs,
    });
    const text = await res.text();
    return { status: res.statusCode, text };
  } catch (err) {
    if (isTimeout(err) || signal.aborted) {
      throw new WebhookNetworkError('webhook_timeout', `no answer from ${init.label} within ${init.timeoutMs} ms`, {
        hint: 'WeCom did not answer in time; the message may or may not have been delivered. Raise `timeoutMs` or check the network/proxy',
        cause: new Error(redactSecrets(String((err as Error)?.message ?? err), init.secrets)),
      });
    }
    const e = err as { code?: string; message?: string };
    const what = redactSecrets(`${e?.code ?? 'error'}: ${e?.message ?? String(err)}`, init.secrets);
    throw new WebhookNetworkError('webhook_network', `network error calling ${init.label}: ${what}`, {
      hint: 'check connectivity to the WeCom API, WECOM_API_BASE and HTTPS_PROXY/NO_PROXY',
      cause: new Error(what),
    });
  }
}

/** Downloads `url` (an image to send) with a size cap; bytes or a WebhookNetworkError. */
export async function httpGetBytes(dispatcher: Dispatcher, url: string, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const where = redactSecrets(url);
  let res: HttpResponse;
  try {
    res = await sendHttp(dispatcher, url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new WebhookNetworkError(
      'webhook_network',
      `could not download ${where}: ${redactSecrets(String((err as Error)?.message ?? err))}`,
      {
        hint: 'check the image URL and the network/proxy',
        cause: err,
      },
    );
  }
  if (res.statusCode !== 200) {
    await res.dump();
    throw new WebhookNetworkError('webhook_network', `downloading ${where} answered HTTP ${res.statusCode}`, {
      hint: 'check the image URL',
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.chunks()) {
    size += chunk.length;
    if (size > maxBytes) {
      res.destroy();
      throw new WebhookNetworkError('webhook_network', `${where} is larger than ${maxBytes} bytes`, {
        hint: 'download and shrink the image first',
      });
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks);
}
