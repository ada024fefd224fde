import type { Dispatcher } from 'undici';
import { sendHttp } from '../client/undici.js';
import { redactSecrets } from '../redact.js';
import { CorpHttpError, CorpNetworkError } from './errors.js';
import { parseWecomJson } from '../protocol/errcode/answer.js';

/** One request to the corp API; `label` names it in messages (never the URL: it carries the token). */
export interface Exchange {
  method: 'GET' | 'POST';
  url: string;
  label: string;
  body?: string | Buffer;
  contentType?: string;
  timeoutMs: number;
  /** Values to hide from any error text (the secret, the token). */
  secrets: readonly string[];
}

/**
 * Errors that happen before a connection exists: the request surely never reached WeCom, so
 * even a call that must not run twice may be tried again. Anything else (a reset, a timeout)
 * may come after WeCom got the request.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  // fetch (client/undici.ts) refused a blocked port before connecting.
  'ERR_BLOCKED_PORT',
]);

function isTimeout(err: unknown, signal: AbortSignal): boolean {
  const e = err as { name?: string; code?: string } | undefined;
  return signal.aborted || e?.name === 'TimeoutError' || e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT';
}

/**
 * Sends one request and parses WeCom's JSON answer. The webhook client's `httpExchange` is not
 * reused because it folds the error code into text; here the code decides whether a request
 * that must not be repeated (send_welcome_msg) may be.
 *
 * @returns the parsed JSON object, which has a numeric `errcode`
 * @throws CorpNetworkError without an answer, CorpHttpError for a non-200 status or a body that is not WeCom JSON
 */
export async function exchangeJson(dispatcher: Dispatcher, x: Exchange): Promise<Record<string, unknown>> {
  const signal = AbortSignal.timeout(x.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await sendHttp(dispatcher, x.url, {
      method: x.method,
      body: x.body,
      headers: x.contentType ? { 'content-type': x.contentType } : undefined,
      signal,
      timeoutMs: x.timeoutMs,
    });
    status = res.statusCode;
    text = await res.text();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const what = redactSecrets(`${e?.code ?? 'error'}: ${e?.message ?? String(err)}`, x.secrets);
    if (isTimeout(err, signal)) {
      throw new CorpNetworkError('corp_timeout', `no answer from ${x.label} within ${x.timeoutMs} ms`, {
        maybeSent: true,
        hint: 'WeCom did not answer in time; a write may or may not have been applied. Check the network or proxy, or raise timeoutMs',
        cause: new Error(what),
      });
    }
    const maybeSent = !(e?.code && NOT_SENT_CODES.has(e.code));
    throw new CorpNetworkError('corp_network', `network error calling ${x.label}: ${what}`, {
      maybeSent,
      hint: 'check connectivity to qyapi.weixin.qq.com (or the configured baseUrl) and HTTPS_PROXY/NO_PROXY',
      cause: new Error(what),
    });
  }
  if (status !== 200) {
    throw new CorpHttpError(status, `${x.label} answered HTTP ${status}`, {
      hint: status >= 500 ? 'WeCom or a gateway in front of it failed' : 'check baseUrl: this does not look like the WeCom corp API',
    });
  }
  const json = parseWecomJson(text);
  if (!json) {
    throw new CorpHttpError(status, `${x.label} answered HTTP 200 without WeCom JSON`, {
      hint: 'check baseUrl: this does not look like the WeCom corp API',
    });
  }
  return json;
}
