import { lookupErrcode } from '../protocol/errcode/table.js';

/** How the client retries transient failures. */
export interface RetryOptions {
  /** Retries after the first attempt for -1, 45033, network errors, timeouts, HTTP 5xx. Default 3. */
  retries?: number;
  /** First back-off delay, doubled each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Upper bound of one back-off delay. Default 10 000 ms. */
  maxDelayMs?: number;
  /** How many times a 45009 answer is waited out (one window each) before giving up. Default 3. */
  rateLimitRetries?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return {
    retries: o.retries ?? 3,
    baseDelayMs: o.baseDelayMs ?? 500,
    maxDelayMs: o.maxDelayMs ?? 10_000,
    rateLimitRetries: o.rateLimitRetries ?? 3,
  };
}

/** What to do about an errcode. */
export type ErrcodeAction = 'ok' | 'retry' | 'wait-window' | 'fail';

/** What the errcode table says about retrying (protocol §1.11); unknown codes are permanent. */
export function classifyErrcode(errcode: number): ErrcodeAction {
  if (errcode === 0) return 'ok';
  const r = lookupErrcode(errcode).retryable;
  return r === 'yes' ? 'retry' : r === 'after-window' ? 'wait-window' : 'fail';
}

/** Whether a failed delivery may succeed later (the outbox reschedules those; others fail for good). */
export function isTransient(error: { code: string; errcode?: unknown; status?: unknown }): boolean {
  if (error.code === 'webhook_network' || error.code === 'webhook_timeout') return true;
  if (error.code === 'webhook_http') return typeof error.status === 'number' && (error.status >= 500 || error.status === 429);
  if (typeof error.errcode === 'number') {
    const a = classifyErrcode(error.errcode);
    return a === 'retry' || a === 'wait-window';
  }
  return false;
}
