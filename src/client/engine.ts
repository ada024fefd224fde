import type { Dispatcher } from 'undici';
import { WecombotError } from '../errors.js';
import { WebhookHttpError, WebhookNetworkError } from './errors.js';
import { httpExchange } from './http.js';
import type { WebhookLogger } from './logger.js';
import { WebhookApiError } from './protocol-adapter.js';
import type { RateLimiter } from './rate-limiter.js';
import { withRetry } from '../retry.js';
import { classifyErrcode, type ResolvedRetry } from './retry.js';
import type { ResolvedTarget } from './target.js';
import { parseWecomJson } from '../protocol/errcode/answer.js';

/** The result of one logical call (with its retries). */
export type CallOutcome =
  { ok: true; json: Record<string, unknown>; attempts: number } | { ok: false; error: WecombotError; errcode?: number; attempts: number };

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

  /**
   * One logical call with retries. Never throws for delivery failures: they are in the outcome.
   * Two budgets: transient failures (-1, 45033, network, 5xx) back off up to `retries` times;
   * a 45009 answer waits one rate-limit window up to `rateLimitRetries` times.
   */
  async call(target: ResolvedTarget, req: CallRequest): Promise<CallOutcome> {
    const { retry, logger } = this.o;
    let attempts = 0;
    let transient = 0;
    let windows = 0;
    const fields = (f: AttemptFailure) => ({
      target: target.label,
      robot: target.robotId,
      attempt: attempts,
      code: f.error.code,
      errcode: f.errcode,
    });
    try {
      const json = await withRetry(
        async () => {
          if (req.limited && this.o.limiter) await this.o.limiter.acquire(target.robotId);
          // After the (possibly long) wait for a slot, right before the request goes out.
          if (req.beforeAttempt && !(await req.beforeAttempt())) throw new AttemptFailure(new CallSkippedError(), 'fail');
          attempts += 1;
          try {
            return await this.attempt(target, req);
          } finally {
            if (req.limited) this.o.limiter?.complete(target.robotId);
          }
        },
        {
          // Each budget is enforced by shouldRetry; this only bounds the sum.
          attempts: 1 + retry.retries + retry.rateLimitRetries,
          baseMs: retry.baseDelayMs,
          maxMs: retry.maxDelayMs,
          jitter: 'equal',
          random: this.o.random,
          sleep: this.o.sleep,
          shouldRetry: (err) => {
            if (!(err instanceof AttemptFailure)) return false;
            if (err.action === 'retry') return transient++ < retry.retries;
            return err.action === 'wait-window' && windows++ < retry.rateLimitRetries;
          },
          retryAfterMs: (err) => ((err as AttemptFailure).action === 'wait-window' ? this.o.windowWaitMs : undefined),
          onRetry: ({ err, delayMs }) => {
            const f = err as AttemptFailure;
            if (f.action === 'wait-window')
              logger?.warn?.({ ...fields(f), delayMs }, 'WeCom answered 45009 (rate limit); waiting one window');
            else logger?.warn?.({ ...fields(f), delayMs }, `webhook call failed, retrying: ${f.error.message}`);
          },
        },
      );
      return { ok: true, json, attempts };
    } catch (err) {
      if (!(err instanceof AttemptFailure)) throw err;
      if (!(err.error instanceof CallSkippedError)) logger?.error?.(fields(err), `webhook call failed: ${err.error.message}`);
      return err.errcode === undefined
        ? { ok: false, error: err.error, attempts }
        : { ok: false, error: err.error, errcode: err.errcode, attempts };
    }
  }

  /** One HTTP exchange, classified: resolves with WeCom's JSON on errcode 0, else throws an AttemptFailure. */
  private async attempt(target: ResolvedTarget, req: CallRequest): Promise<Record<string, unknown>> {
    let answer: Awaited<ReturnType<typeof httpExchange>>;
    try {
      answer = await httpExchange(this.o.dispatcher, req.url, {
        method: 'POST',
        body: req.body,
        headers: { 'content-type': req.contentType },
        timeoutMs: this.o.timeoutMs,
        label: target.label,
        secrets: [target.key],
      });
    } catch (err) {
      if (err instanceof WebhookNetworkError) throw new AttemptFailure(err, 'retry');
      throw err;
    }
    if (answer.status >= 500 || answer.status === 429) {
      const error = new WebhookHttpError(answer.status, `${target.label} answered HTTP ${answer.status}`, {
        hint: 'WeCom or a gateway in front of it failed; retried with back-off',
      });
      throw new AttemptFailure(error, 'retry');
    }
    const json = parseWecomJson(answer.text);
    if (answer.status !== 200 || !json) {
      const error = new WebhookHttpError(answer.status, `${target.label} answered HTTP ${answer.status} without WeCom JSON`, {
        hint: 'check WECOM_API_BASE / the webhook URL: this does not look like the WeCom API',
      });
      throw new AttemptFailure(error, 'fail');
    }
    const errcode = json.errcode as number;
    const kind = classifyErrcode(errcode);
    if (kind === 'ok') return json;
    throw new AttemptFailure(new WebhookApiError(errcode, String(json.errmsg ?? '')), kind, errcode);
  }
}

/** A failed attempt and what the retry policy makes of it (thrown inside the retry loop only). */
class AttemptFailure {
  constructor(
    readonly error: WecombotError,
    readonly action: 'retry' | 'wait-window' | 'fail',
    readonly errcode?: number,
  ) {}
}
