import type { Dispatcher } from 'undici';
import { WecombotError } from '../errors.js';
import { WebhookHttpError, WebhookNetworkError } from './errors.js';
import { httpExchange } from './http.js';
import type { WebhookLogger } from './logger.js';
import { WebhookApiError } from './protocol-adapter.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, classifyErrcode, type ResolvedRetry } from './retry.js';
import type { ResolvedTarget } from './target.js';

/** The result of one logical call (with its retries). */
export type CallOutcome =
  | { ok: true; json: Record<string, unknown>; attempts: number }
  | { ok: false; error: WecombotError; errcode?: number; attempts: number };

export interface EngineOptions {
  dispatcher: Dispatcher;
  limiter: RateLimiter | undefined;
  retry: ResolvedRetry;
  timeoutMs: number;
  /** How long to wait after a 45009 answer: one full window. */
  windowWaitMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: WebhookLogger | undefined;
}

export interface CallRequest {
  url: string;
  body: string | Buffer;
  contentType: string;
  /** Takes a rate-limit slot before each attempt (sends do, uploads do not). */
  limited: boolean;
  /** Last-moment check before each attempt; false skips the attempt (e.g. an outbox lease was lost). */
  beforeAttempt?: () => Promise<boolean>;
}

/** The request was skipped by `beforeAttempt`. */
export class CallSkippedError extends WecombotError {
  constructor() {
    super('webhook_skipped', 'the send was skipped because its outbox lease was lost', { hint: 'another worker delivers it' });
  }
}

/**
 * The part of the client that talks HTTP: rate limit, one exchange, classification, retries.
 * Sends to one robot run one after another (a lane per robot), so parts of a long message and
 * consecutive messages arrive in order and the limiter grants slots first come, first served.
 */
export class DeliveryEngine {
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(private readonly o: EngineOptions) {}

  /** Runs `fn` after every earlier task of the same robot finished. */
  inLane<T>(robotId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.lanes.get(robotId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.lanes.set(robotId, tail);
    void tail.then(() => {
      if (this.lanes.get(robotId) === tail) this.lanes.delete(robotId);
    });
    return next;
  }

  /** One logical call with retries. Never throws for delivery failures: they are in the outcome. */
  async call(target: ResolvedTarget, req: CallRequest): Promise<CallOutcome> {
    const { retry, logger } = this.o;
    let transient = 0;
    let windows = 0;
    let attempts = 0;
    for (;;) {
      if (req.limited && this.o.limiter) await this.o.limiter.acquire(target.robotId);
      // After the (possibly long) wait for a slot, right before the request goes out.
      if (req.beforeAttempt && !(await req.beforeAttempt())) return { ok: false, error: new CallSkippedError(), attempts };
      attempts += 1;
      let error: WecombotError;
      let errcode: number | undefined;
      let action: 'retry' | 'wait-window' | 'fail';
      try {
        const answer = await httpExchange(this.o.dispatcher, req.url, {
          method: 'POST',
          body: req.body,
          headers: { 'content-type': req.contentType },
          timeoutMs: this.o.timeoutMs,
          label: target.label,
          secrets: [target.key],
        });
        if (answer.status >= 500 || answer.status === 429) {
          error = new WebhookHttpError(answer.status, `${target.label} answered HTTP ${answer.status}`, {
            hint: 'WeCom or a gateway in front of it failed; retried with back-off',
          });
          action = 'retry';
        } else {
          const json = parseWecomJson(answer.text);
          if (answer.status !== 200 || !json) {
            error = new WebhookHttpError(answer.status, `${target.label} answered HTTP ${answer.status} without WeCom JSON`, {
              hint: 'check WECOM_API_BASE / the webhook URL: this does not look like the WeCom API',
            });
            action = 'fail';
          } else {
            errcode = json.errcode as number;
            const kind = classifyErrcode(errcode);
            if (kind === 'ok') return { ok: true, json, attempts };
            error = new WebhookApiError(errcode, String(json.errmsg ?? ''));
            action = kind;
          }
        }
      } catch (err) {
        if (!(err instanceof WebhookNetworkError)) throw err;
        error = err;
        action = 'retry';
      } finally {
        if (req.limited) this.o.limiter?.complete(target.robotId);
      }
      const base = { target: target.label, robot: target.robotId, attempt: attempts, code: error.code, errcode };
      if (action === 'retry' && transient < retry.retries) {
        const delay = backoffDelay(transient, retry, this.o.random);
        transient += 1;
        logger?.warn?.({ ...base, delayMs: delay }, `webhook call failed, retrying: ${error.message}`);
        await this.o.sleep(delay);
        continue;
      }
      if (action === 'wait-window' && windows < retry.rateLimitRetries) {
        windows += 1;
        logger?.warn?.({ ...base, delayMs: this.o.windowWaitMs }, 'WeCom answered 45009 (rate limit); waiting one window');
        await this.o.sleep(this.o.windowWaitMs);
        continue;
      }
      logger?.error?.(base, `webhook call failed: ${error.message}`);
      return errcode === undefined ? { ok: false, error, attempts } : { ok: false, error, errcode, attempts };
    }
  }
}

function parseWecomJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as { errcode?: unknown }).errcode === 'number') return v as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return undefined;
}
