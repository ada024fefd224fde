/**
 * Reconnect delays: exponential with "equal jitter" and a cap. Half of each delay is fixed, so
 * a reconnect never fires at once (no storm against a restarting server); the other half is
 * random, so many instances dropped together spread out. The attempt counter is reset only
 * after a connection stayed up `stableMs`, so a server that accepts and drops at once does not
 * see a reconnect every second (the SDK resets on every subscribe ack).
 */
export interface BackoffOptions {
  /** First delay before jitter. Default 1000 ms (so the first reconnect waits 0.5–1 s). */
  initialMs?: number;
  /** Cap of a delay. Default 30000 ms. */
  maxMs?: number;
  /** A connection up this long resets the attempts. Default 10000 ms. */
  stableMs?: number;
  /** Random source in [0, 1), for tests. */
  random?: () => number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly stableMs: number;
  #attempt = 0;
  readonly #random: () => number;

  constructor(o: BackoffOptions = {}) {
    this.initialMs = o.initialMs ?? 1000;
    this.maxMs = o.maxMs ?? 30_000;
    this.stableMs = o.stableMs ?? 10_000;
    this.#random = o.random ?? Math.random;
  }

  /** Attempts since the last stable connection. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt (and counts it). */
  next(): number {
    this.#attempt++;
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.#attempt - 1, 30));
    return Math.round(base / 2 + (base / 2) * this.#random());
  }

  /** A connection ended after being up `upMs`: resets when it was stable. */
  connectionEnded(upMs: number): void {
    if (upMs >= this.stableMs) this.#attempt = 0;
  }
}
