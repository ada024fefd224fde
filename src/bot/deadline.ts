import type { Clock } from './clock.js';

/**
 * The ack budget of one callback: until `ackBy` a reply can still go back passively in the
 * HTTP response; afterwards it goes out through the webhook (or the AI bot's response_url).
 */
export interface Deadline {
  /** Epoch ms by which the HTTP response is sent. */
  readonly ackBy: number;
  /** Milliseconds left of the ack budget (0 once passed). */
  remainingMs(): number;
  /** True once the response has been decided (budget elapsed, first reply sent, or work done). */
  readonly responded: boolean;
}

/** WeCom drops the connection after 5 s; the budget must leave room for the network. */
export const DEFAULT_ACK_BUDGET_MS = 3000;
export const MAX_ACK_BUDGET_MS = 4999;

class CallbackDeadline implements Deadline {
  readonly ackBy: number;
  readonly #clock: Clock;
  readonly #responded: () => boolean;

  constructor(clock: Clock, budgetMs: number, responded: () => boolean) {
    this.#clock = clock;
    this.#responded = responded;
    this.ackBy = clock.now() + budgetMs;
  }

  remainingMs(): number {
    return Math.max(0, this.ackBy - this.#clock.now());
  }

  get responded(): boolean {
    return this.#responded();
  }
}

export function makeDeadline(clock: Clock, budgetMs: number, responded: () => boolean): Deadline {
  return new CallbackDeadline(clock, budgetMs, responded);
}
