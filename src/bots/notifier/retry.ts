import { withRetry as retryWith } from '../../retry.js';

/** The notifier's retry settings, as its configuration spells them. */
export interface RetryPolicy {
  /** Total attempts, first included. */
  attempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  backoffMs: number;
}

/**
 * Runs `task` until it succeeds or the attempts run out, then rethrows the last error: the
 * shared retry loop with the notifier's policy. No jitter: one notifier run retries alone.
 * `sleep` is injectable so tests need not wait.
 */
export function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  sleep?: (ms: number) => Promise<void>,
): Promise<T> {
  return retryWith(task, { attempts: policy.attempts, baseMs: policy.backoffMs, jitter: 'none', ...(sleep && { sleep }) });
}
