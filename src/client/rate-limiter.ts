import type { SlotOptions, SlotResult } from '../store/store.js';

/** What the limiter needs from a store: the sliding-window slot primitive. */
export interface SlotSource {
  acquireSlot(key: string, options: SlotOptions): Promise<SlotResult>;
}

/** An in-process sliding-window log with the same contract as `Store.acquireSlot`. */
export function memorySlotSource(now: () => number = Date.now): SlotSource {
  const logs = new Map<string, number[]>();
  return {
    async acquireSlot(key, { limit, windowMs, now: at }) {
      const t = at ?? now();
      const log = (logs.get(key) ?? []).filter((x) => x > t - windowMs);
      logs.set(key, log);
      if (log.length >= limit) return { ok: false, retryAfterMs: Math.max(1, (log[0] as number) + windowMs - t) };
      log.push(t);
      return { ok: true, remaining: limit - log.length };
    },
  };
}

export interface RateLimitOptions {
  /** Messages per window per robot. Default 20 (WeCom's documented limit). */
  limit?: number;
  /** Window length. Default 60 000 ms. */
  windowMs?: number;
  /**
   * Added to the window on our side so that network jitter between our clock and WeCom's
   * arrival times can never squeeze `limit + 1` messages into WeCom's window. Default 2% of
   * the window, at least 50 ms and at most 1 s (a cold process or a slow TLS handshake can
   * delay the first request of a window by tens of milliseconds).
   */
  marginMs?: number;
}

/**
 * Per-robot limiter over a SlotSource (a Store for a window shared by every process, memory
 * otherwise). `acquire` waits until a slot is granted; it never sends more than `limit`
 * messages per robot in any interval of `windowMs + marginMs`.
 */
export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly marginMs: number;

  /** Completion times of this process's last `limit` requests per robot. */
  private readonly completed = new Map<string, number[]>();

  constructor(
    private readonly source: SlotSource,
    options: RateLimitOptions,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    this.limit = options.limit ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.marginMs = options.marginMs ?? Math.min(1000, Math.max(50, Math.round(this.windowMs / 50)));
  }

  /**
   * Waits for a slot for `robotId`; resolves to the total time waited in ms.
   *
   * Two rules. Locally, a request may start only `windowMs` after the request `limit` places
   * before it *completed*: a request completes after WeCom received it, so WeCom can never see
   * `limit + 1` of this process's requests in one window, however much each one was delayed on
   * the way (a busy event loop, a cold connection). Across processes, the store's sliding
   * window (grant times, plus `marginMs` for the delays it cannot see) is shared.
   */
  async acquire(robotId: string): Promise<number> {
    let waited = 0;
    const log = this.completed.get(robotId);
    if (log && log.length >= this.limit) {
      const ms = (log[log.length - this.limit] as number) + this.windowMs - this.now();
      if (ms > 0) {
        waited += ms;
        await this.sleep(ms);
      }
    }
    for (;;) {
      const r = await this.source.acquireSlot(`webhook:rate:${robotId}`, { limit: this.limit, windowMs: this.windowMs + this.marginMs });
      if (r.ok) return waited;
      // Just past the reported time. A timer that fires early (the event loop's clock lags
      // Date.now under load) only costs one more refused try, never an extra send: the slot is
      // re-checked. 5 ms here cost 5 ms of every window of a long run.
      const ms = r.retryAfterMs + 1;
      waited += ms;
      await this.sleep(ms);
    }
  }

  /** Records that a request to `robotId` (granted by `acquire`) has completed, whatever its outcome. */
  complete(robotId: string): void {
    const log = this.completed.get(robotId) ?? [];
    log.push(this.now());
    if (log.length > this.limit) log.splice(0, log.length - this.limit);
    this.completed.set(robotId, log);
  }
}
