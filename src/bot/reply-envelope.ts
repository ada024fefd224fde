/**
 * The deadline-aware reply envelope. Exactly one HTTP response per callback, decided at the
 * earliest of: the first passive-capable reply, the end of the handler, or the ack budget.
 * Everything after that (late replies, further replies, replies that cannot be passive) goes
 * through `sendLate` (the webhook client, or the AI bot's response_url).
 *
 * Pure logic: the clock and the late sender are injected, so it is tested without a network.
 */
import type { Clock } from './clock.js';
import { makeDeadline, type Deadline } from './deadline.js';

/** Where a reply went. */
/** `connection`: a frame over the AI bot's long connection (wecombot/ws). */
export type ReplyChannel = 'passive' | 'webhook' | 'response_url' | 'stream' | 'connection';

export interface ReplyReceipt {
  via: ReplyChannel;
}

/** Why the response was decided. */
export type DecisionReason = 'reply' | 'done' | 'budget';

export interface Decision<P> {
  /** The passive reply, when one was produced in time. */
  passive: P | undefined;
  reason: DecisionReason;
}

export interface EnvelopeOptions<P> {
  clock: Clock;
  budgetMs: number;
  /**
   * False where nobody waits for an HTTP answer (the long connection): every reply goes through
   * `sendLate`, and no decision promise or budget timer is made per message. `decided` then
   * turns true at `close()` or once the budget has passed, as a timer would have made it.
   */
  decides?: boolean;
  /** True when this reply can travel in the HTTP response (classic robot: text or markdown). */
  canBePassive(reply: P): boolean;
  /** Delivers a reply that cannot be passive (late, further, or of a non-passive type). */
  sendLate(reply: P): Promise<ReplyReceipt>;
}

export class ReplyEnvelope<P> {
  readonly deadline: Deadline;
  readonly decision: Promise<Decision<P>>;
  #resolve: ((d: Decision<P>) => void) | undefined;
  #decided = false;
  #reason: DecisionReason | undefined;
  #cancelTimer: () => void;
  readonly #options: EnvelopeOptions<P>;

  constructor(options: EnvelopeOptions<P>) {
    this.#options = options;
    this.deadline = makeDeadline(options.clock, options.budgetMs, () => this.decided);
    if (options.decides === false) {
      this.decision = NEVER_DECIDED as Promise<Decision<P>>;
      this.#cancelTimer = noop;
      return;
    }
    this.decision = new Promise((resolve) => (this.#resolve = resolve));
    this.#cancelTimer = options.clock.setTimer(() => this.#decide(undefined, 'budget'), options.budgetMs);
  }

  /** True once the HTTP response is fixed. */
  get decided(): boolean {
    if (!this.#decided && this.#options.decides === false && this.deadline.remainingMs() === 0) this.#decide(undefined, 'budget');
    return this.#decided;
  }

  /** Why the response was fixed (undefined while open): tells "too late" from "already answered". */
  get reason(): DecisionReason | undefined {
    return this.#reason;
  }

  /**
   * Sends one reply: passively if the response is still open and the reply type allows it,
   * otherwise through the late sender (whose errors propagate to the caller).
   */
  async reply(reply: P): Promise<ReplyReceipt> {
    if (!this.decided && this.#options.canBePassive(reply)) {
      this.#decide(reply, 'reply');
      return { via: 'passive' };
    }
    return this.#options.sendLate(reply);
  }

  /**
   * Claims the passive slot for a reply without going through `reply` (the AI bot's first
   * stream chunk, a card update). False when the response was already decided.
   */
  claimPassive(reply: P): boolean {
    if (this.decided) return false;
    this.#decide(reply, 'reply');
    return true;
  }

  /** The handler finished: decide now (an empty 200 if nothing was replied). */
  close(): void {
    this.#decide(undefined, 'done');
  }

  #decide(passive: P | undefined, reason: DecisionReason): void {
    if (this.#decided) return;
    this.#decided = true;
    this.#reason = reason;
    this.#cancelTimer();
    this.#resolve?.({ passive, reason });
  }
}

const noop = () => {};
/** The decision of an envelope that decides nothing: never settles, and holds nothing. */
const NEVER_DECIDED: Promise<never> = new Promise<never>(noop);
