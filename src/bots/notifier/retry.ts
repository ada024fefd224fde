export interface RetryPolicy {
  /** Total attempts, first included. */
  attempts: number;
  /** Delay before the second attempt; doubles after each failure. */
  backoffMs: number;
}

/**
 * Runs `task` until it succeeds or the attempts run out, then rethrows the last error.
 * `sleep` is injectable so tests need not wait.
 */
export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= Math.max(1, policy.attempts); attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      lastError = err;
      if (attempt < policy.attempts) await sleep(policy.backoffMs * 2 ** (attempt - 1));
    }
  }
  throw lastError;
}
