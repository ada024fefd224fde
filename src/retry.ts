/**
 * The one retry loop: exponential back-off with optional jitter, a cap, and hooks for the
 * caller's policy (which failures are worth another try, which ask for their own delay).
 * Used by the webhook client, the scheduler and the notifier. This file imports nothing.
 */

/** How long to wait between tries. */
export interface BackoffOptions {
  /** The pause after the first failure; it doubles after each further one. */
  baseMs: number;
  /** The longest single pause. Default: no cap. */
  maxMs?: number;
  /**
   * `equal` (default): half of the pause is fixed and half random, so many callers failing
   * together spread out and none retries at once. `none`: exact doubling (one caller alone,
   * or a pause a test or a log should predict).
   */
  jitter?: 'equal' | 'none';
}

/** The options of {@link withRetry}. */
export interface WithRetryOptions extends BackoffOptions {
  /** Tries in total, the first included. Values below 1 mean one try. */
  attempts: number;
  /**
   * Whether this failure may be tried again; called once per failure that has tries left.
   * False rethrows it at once. Default: every failure is retried.
   */
  shouldRetry?: (err: unknown, attempt: number) => boolean;
  /**
   * A pause the failure itself asks for (a rate-limit window, a Retry-After). It replaces the
   * back-off for this retry and does not make later back-offs longer. Undefined: back off.
   */
  retryAfterMs?: (err: unknown) => number | undefined;
  /** Called before each pause, for logs. */
  onRetry?: (info: { err: unknown; attempt: number; delayMs: number }) => void;
  /** Injectable for tests. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests. Default: Math.random. */
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pause before a retry, after `backoffs` earlier back-off pauses (0 for the first).
 *
 * @example backoffDelay(2, { baseMs: 100, maxMs: 1000, jitter: 'none' }) // 400
 */
export function backoffDelay(backoffs: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs ?? Infinity, options.baseMs * 2 ** backoffs);
  if (options.jitter === 'none') return exp;
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Runs `task` (with the 1-based attempt number) until it resolves, the tries run out or
 * `shouldRetry` says no; then rethrows the last error.
 *
 * @example
 * const body = await withRetry(() => fetchReport(), { attempts: 3, baseMs: 500, maxMs: 10_000, shouldRetry: isTransient });
 */
export async function withRetry<T>(task: (attempt: number) => Promise<T>, options: WithRetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  let backoffs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt >= options.attempts || !(options.shouldRetry?.(err, attempt) ?? true)) throw err;
      const asked = options.retryAfterMs?.(err);
      const delayMs = asked ?? backoffDelay(backoffs++, options, options.random);
      options.onRetry?.({ err, attempt, delayMs });
      await sleep(delayMs);
    }
  }
}
