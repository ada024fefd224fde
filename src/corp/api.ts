import type { Dispatcher } from 'undici';
import type { WebhookLogger } from '../client/logger.js';
import { withRetry } from '../retry.js';
import { CorpApiError } from './errors.js';
import { mayRetry, TOKEN_REJECTED_ERRCODES, type Delivery } from './retry-policy.js';
import type { AccessTokenCache, FetchedToken } from './token-cache.js';
import { exchangeJson } from './transport.js';

/** One corp API call: the path under /cgi-bin/ and what to send. */
export interface CorpCall {
  /** e.g. `externalcontact/get_corp_tag_list`; named in errors and logs. */
  api: string;
  method: 'GET' | 'POST';
  /** Query parameters besides access_token. */
  query?: Record<string, string | undefined>;
  /** A JSON body (POST). */
  json?: unknown;
  /** A multipart body (uploads). */
  multipart?: { body: Buffer; contentType: string };
  /** Default `repeatable`; see {@link Delivery}. */
  delivery?: Delivery;
  /** Errcodes that mean "not carried out" for this call, so an at-most-once call may retry them. */
  notDone?: ReadonlySet<number>;
  /** No retry starts after this epoch ms (a WelcomeCode's 20 seconds). */
  retryUntil?: number;
}

export interface CorpApiOptions {
  baseUrl: string;
  corpId: string;
  secret: string;
  dispatcher: Dispatcher;
  tokens: AccessTokenCache;
  timeoutMs: number;
  retry: { retries: number; baseDelayMs: number; maxDelayMs: number };
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: WebhookLogger | undefined;
}

/**
 * The part of the corp client that talks HTTP: puts the token in the URL, maps errcodes to
 * errors, refreshes a refused token once, and retries what the call's delivery allows (the
 * one retry loop, src/retry.ts). The secret and the token are hidden from every message.
 */
export class CorpApi {
  constructor(private readonly o: CorpApiOptions) {}

  /** Resolves with WeCom's JSON on errcode 0; throws a typed error otherwise. */
  async call(c: CorpCall): Promise<Record<string, unknown>> {
    const { retry, logger } = this.o;
    const delivery = c.delivery ?? 'repeatable';
    const fromTokenStep = new WeakSet<object>();
    let refreshed = false;
    let lastError: unknown;
    let windowClosed = false;
    return withRetry(
      async (attempt) => {
        if (attempt > 1 && c.retryUntil !== undefined && this.o.now() >= c.retryUntil) {
          windowClosed = true;
          throw lastError;
        }
        const token = await this.tokenStep(() => this.o.tokens.get(), fromTokenStep);
        try {
          return await this.send(c, token);
        } catch (err) {
          if (refreshed || !(err instanceof CorpApiError) || !TOKEN_REJECTED_ERRCODES.has(err.errcode)) throw err;
          // The token was refused, so nothing was done: refresh once (shared with every
          // instance that saw the same refusal) and repeat, whatever the delivery.
          refreshed = true;
          logger?.info?.(
            { corpId: this.o.corpId, api: c.api, errcode: err.errcode },
            'access token refused; fetching a new one and retrying once',
          );
          const fresh = await this.tokenStep(() => this.o.tokens.replace(token), fromTokenStep);
          return await this.send(c, fresh);
        }
      },
      {
        attempts: 1 + retry.retries,
        baseMs: retry.baseDelayMs,
        maxMs: retry.maxDelayMs,
        jitter: 'equal',
        sleep: this.o.sleep,
        random: this.o.random,
        shouldRetry: (err) => {
          lastError = err;
          if (windowClosed) return false;
          const step = typeof err === 'object' && err !== null && fromTokenStep.has(err);
          return mayRetry(err, step ? 'repeatable' : delivery, c.notDone);
        },
        onRetry: ({ err, attempt, delayMs }) => {
          const e = err as { code?: string; errcode?: number; message?: string };
          logger?.warn?.(
            { corpId: this.o.corpId, api: c.api, attempt, delayMs, code: e.code, errcode: e.errcode },
            `corp API call failed, retrying: ${e.message}`,
          );
        },
      },
    );
  }

  /** One gettoken call (no retry here: the caller's loop retries). */
  async fetchToken(): Promise<FetchedToken> {
    const url = `${this.o.baseUrl}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.o.corpId)}&corpsecret=${encodeURIComponent(this.o.secret)}`;
    const secrets = [this.o.secret, encodeURIComponent(this.o.secret)];
    const json = await exchangeJson(this.o.dispatcher, { method: 'GET', url, label: 'gettoken', timeoutMs: this.o.timeoutMs, secrets });
    if (json.errcode !== 0) throw new CorpApiError('gettoken', json.errcode as number, String(json.errmsg ?? ''), { secrets });
    return { accessToken: String(json.access_token ?? ''), expiresIn: Number(json.expires_in) };
  }

  private async tokenStep(get: () => Promise<string>, marks: WeakSet<object>): Promise<string> {
    try {
      return await get();
    } catch (err) {
      if (typeof err === 'object' && err !== null) marks.add(err);
      throw err;
    }
  }

  private async send(c: CorpCall, token: string): Promise<Record<string, unknown>> {
    const params = new URLSearchParams({ access_token: token });
    for (const [k, v] of Object.entries(c.query ?? {})) if (v !== undefined) params.set(k, v);
    const url = `${this.o.baseUrl}/cgi-bin/${c.api}?${params}`;
    const secrets = [this.o.secret, token, encodeURIComponent(token)];
    const body = c.multipart?.body ?? (c.json === undefined ? undefined : JSON.stringify(c.json));
    const contentType = c.multipart?.contentType ?? (c.json === undefined ? undefined : 'application/json');
    const json = await exchangeJson(this.o.dispatcher, {
      method: c.method,
      url,
      label: `corp API ${c.api}`,
      body,
      contentType,
      timeoutMs: this.o.timeoutMs,
      secrets,
    });
    if (json.errcode !== 0) throw new CorpApiError(c.api, json.errcode as number, String(json.errmsg ?? ''), { secrets });
    return json;
  }
}
