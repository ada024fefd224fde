/**
 * De-duplication of WeCom callbacks that survives a crash.
 *
 * WeCom re-sends a callback it got no 200 for within 5 s (three retries in total), to any
 * instance. Marking a MsgId "seen" before handling it loses the message when the instance dies
 * mid-handler (SCF recycling it, a timeout, SIGKILL): every retry is then dropped as a
 * duplicate. So a callback is *claimed* under a short lease while it is handled, and marked
 * *done* when its work (late replies included) has finished:
 *
 * - a retry while the first delivery runs (its lease is live) is acknowledged and dropped;
 * - a retry after a dead instance's lease expired is handled;
 * - a retry after completion is acknowledged and dropped for `dedupeTtlMs`.
 *
 * The lease policy (docs/en/storage.md): `dedupeLeaseMs` (default 5 s) is renewed every third
 * of itself while the handler and its late work run, so a long handler (an 8 s LLM call
 * answered late) keeps it however long it takes, and a crashed one loses it within one lease.
 * The default matches WeCom's 5 s retry cadence: an instance that dies before answering (it
 * answers within the ack budget, < 5 s, when alive) frees the callback by ~ budget + lease,
 * in time for WeCom's second or third retry. (The exact retry intervals are UNCONFIRMED; the
 * docs say only "within 5 s", "3 retries".) A callback handled without a renewal for a whole
 * lease (an event loop blocked that long) may be taken by a retry: `completeClaim` then
 * reports it and we log that it ran twice.
 *
 * Keys are fixed-length: a SHA-256 digest of the robot, the chat and the MsgId, so a
 * 4,000-character MsgId costs the store what any other does.
 *
 * When the store fails during the claim the callback is handled anyway (a bot that goes silent
 * with its store is worse), with an error line saying that retries may run it again; this
 * process remembers the key, so retries that reach it are still dropped.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { digestString } from '../protocol/crypto/hash.js';
import type { ClaimState, Store } from '../store/store.js';
import { BotConfigError } from './errors.js';
import type { BotResponse } from './request.js';

/** How long a claim holds without renewal; see the policy above. */
export const DEFAULT_DEDUPE_LEASE_MS = 5000;

/** Keys remembered in this process while the store fails (oldest forgotten first). */
const LOCAL_FALLBACK_KEYS = 10_000;

export interface DedupeOptions {
  store: Promise<Store>;
  log: Logger;
  /** How long a completed callback is remembered. */
  ttlMs: number;
  /** How long a claim holds without renewal. */
  leaseMs: number;
}

/** The store key of one callback: `dedupe:` and the base64url SHA-256 of robot, chat and MsgId. */
export function dedupeKey(robot: string, chatId: string | undefined, msgId: string): string {
  // NUL cannot occur in any of the three, so the fields cannot run into one another.
  return `dedupe:${digestString('sha256', `${robot}\0${chatId ?? ''}\0${msgId}`, 'base64url')}`;
}

/** Claims one callback; `first` false when another delivery has it or had it. */
export type ClaimCallback = (robot: string, chatId: string | undefined, msgId: string) => Promise<{ first: boolean; state: ClaimState }>;

export class CallbackDedupe {
  /** Unique per process and bot; each delivery's owner adds a counter, so two deliveries never share one. */
  readonly #instance = randomBytes(6).toString('base64url');
  #seq = 0;
  /** Keys handled while the store failed: key → forget-at (epoch ms). */
  #local = new Map<string, number>();
  #store: Store | undefined;
  /** What every held claim of this bot shares (one object, not one per claim). */
  readonly #claimOptions: HeldClaimOptions;

  constructor(private readonly options: DedupeOptions) {
    if (!(options.leaseMs >= 1)) throw new BotConfigError(`dedupeLeaseMs must be at least 1 ms (got ${String(options.leaseMs)})`);
    if (!(options.ttlMs >= 1)) throw new BotConfigError(`dedupeTtlMs must be at least 1 ms (got ${String(options.ttlMs)})`);
    this.#claimOptions = {
      log: options.log,
      leaseMs: options.leaseMs,
      ttlMs: options.ttlMs,
      renewals: new RenewalTicker(Math.max(1, Math.floor(options.leaseMs / 3))),
    };
  }

  /**
   * The older mark-first check, for a path that has no response to complete the claim with:
   * claims and completes at once. A crash mid-handler then loses the message (prefer `guard`).
   */
  async markFirst(robot: string, chatId: string | undefined, msgId: string): Promise<boolean> {
    if (!msgId) return true;
    const outcome = await this.#claim(robot, chatId, msgId);
    if (!(outcome instanceof HeldClaim)) return outcome.first;
    await outcome.complete();
    return true;
  }

  /**
   * Runs `answer`, lending it `claim` for the callback it answers. A claim taken is renewed
   * while the work runs and completed when the response's `pending` ends (late replies
   * included); when `answer` throws, it is released so a retry can handle the callback.
   */
  async guard(answer: (claim: ClaimCallback) => Promise<BotResponse>): Promise<BotResponse> {
    let held: HeldClaim | undefined;
    const claim: ClaimCallback = async (robot, chatId, msgId) => {
      if (!msgId) return { first: true, state: 'claimed' };
      const outcome = await this.#claim(robot, chatId, msgId);
      if (outcome instanceof HeldClaim) {
        held = outcome;
        return { first: true, state: 'claimed' };
      }
      return outcome;
    };
    let response: BotResponse;
    try {
      response = await answer(claim);
    } catch (err) {
      await held?.release();
      throw err;
    }
    if (!held) return response;
    const claimed = held;
    return { ...response, pending: response.pending.then(() => claimed.complete()) };
  }

  /**
   * For a delivery with no HTTP response to decide (the long connection): claims the message,
   * runs `work` and completes the claim when it is done; resolves false, without running it,
   * for a duplicate. When `work` throws, the claim is released so a redelivery handles it.
   */
  async run(robot: string, chatId: string | undefined, msgId: string, work: () => Promise<void>): Promise<boolean> {
    const outcome = msgId ? await this.#claim(robot, chatId, msgId) : undefined;
    if (outcome !== undefined && !(outcome instanceof HeldClaim) && !outcome.first) return false;
    const held = outcome instanceof HeldClaim ? outcome : undefined;
    try {
      await work();
    } catch (err) {
      await held?.release();
      throw err;
    }
    await held?.complete();
    return true;
  }

  async #claim(robot: string, chatId: string | undefined, msgId: string): Promise<HeldClaim | { first: boolean; state: ClaimState }> {
    const key = dedupeKey(robot, chatId, msgId);
    const owner = `${this.#instance}.${++this.#seq}`;
    const { leaseMs, ttlMs } = this.options;
    let store: Store;
    let state: ClaimState;
    try {
      // Awaited once: an await per callback of a settled promise still costs a microtask turn.
      store = this.#store ?? (this.#store = await this.options.store);
      state =
        typeof store.claim === 'function'
          ? await store.claim(key, { owner, leaseMs })
          : // A custom Store written before claims existed: the old mark-first behaviour.
            (await store.setIfAbsent(key, owner, { ttlMs }))
            ? 'claimed'
            : 'done';
    } catch (err) {
      return this.#storeFailed(err, key, robot, msgId);
    }
    if (state !== 'claimed') return { first: false, state };
    if (typeof store.completeClaim !== 'function') return { first: true, state };
    return new HeldClaim(store, key, owner, robot, msgId, this.#claimOptions);
  }

  /** The store could not answer: handle the callback, say so, and remember it here. */
  #storeFailed(err: unknown, key: string, robot: string, msgId: string): { first: boolean; state: ClaimState } {
    const now = Date.now();
    const seenUntil = this.#local.get(key);
    if (seenUntil !== undefined && seenUntil > now) {
      this.options.log.warn(
        { robot, msgId },
        'de-duplication store failed; this instance already handled the callback, dropping the retry',
      );
      return { first: false, state: 'done' };
    }
    this.#local.delete(key);
    this.#local.set(key, now + this.options.ttlMs);
    if (this.#local.size > LOCAL_FALLBACK_KEYS) this.#local.delete(this.#local.keys().next().value as string);
    this.options.log.error(
      { err, robot, msgId },
      'de-duplication store failed; handling the callback anyway: a retry reaching another instance may run it again',
    );
    return { first: true, state: 'claimed' };
  }
}

/**
 * Renews every held claim of one bot from a single timer, every third of the lease. A timer per
 * claim (the first version) cost a setInterval and a clearInterval on every message, for
 * renewals that almost never happen: most handlers finish long before the first one is due.
 * A claim is renewed on the first tick at least half an interval after it was taken, so at
 * most 1.5 intervals (half a lease) pass before its first renewal, and one interval after that.
 */
class RenewalTicker {
  readonly #held = new Map<HeldClaim, number>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly intervalMs: number) {}

  add(claim: HeldClaim): void {
    this.#held.set(claim, Date.now());
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.intervalMs);
    // A pending renewal must not keep a finished process (or a FaaS invocation) alive.
    this.#timer.unref?.();
  }

  delete(claim: HeldClaim): void {
    this.#held.delete(claim);
    if (this.#held.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    const due = Date.now() - this.intervalMs / 2;
    for (const [claim, since] of this.#held) if (since <= due) void claim.renew();
  }
}

interface HeldClaimOptions {
  log: Logger;
  leaseMs: number;
  ttlMs: number;
  renewals: RenewalTicker;
}

/** A claim this process holds: renewed while the work runs, completed (or released) once. */
class HeldClaim {
  #held = true;
  #lost = false;
  #renewFailed = false;

  constructor(
    private readonly store: Store,
    private readonly key: string,
    private readonly owner: string,
    private readonly robot: string,
    private readonly msgId: string,
    private readonly o: HeldClaimOptions,
  ) {
    o.renewals.add(this);
  }

  async renew(): Promise<void> {
    try {
      const state = await this.store.claim(this.key, { owner: this.owner, leaseMs: this.o.leaseMs });
      if (state === 'claimed' || !this.#held) return;
      this.#stop();
      this.#lost = true;
      this.o.log.warn(
        { robot: this.robot, msgId: this.msgId, state },
        'de-duplication lease lost while handling (not renewed for a whole lease): a retry may run this callback again',
      );
    } catch (err) {
      if (this.#renewFailed) return;
      this.#renewFailed = true;
      this.o.log.warn({ err, robot: this.robot, msgId: this.msgId }, 'de-duplication lease renewal failed; retrying');
    }
  }

  #stop(): void {
    this.#held = false;
    this.o.renewals.delete(this);
  }

  /** Marks the callback done. Never rejects: this runs inside the response's `pending`. */
  async complete(): Promise<void> {
    this.#stop();
    try {
      const ok = await this.store.completeClaim(this.key, { owner: this.owner, ttlMs: this.o.ttlMs });
      if (!ok && !this.#lost) {
        this.o.log.warn(
          { robot: this.robot, msgId: this.msgId },
          'de-duplication lease lapsed during handling and another delivery took the callback: it ran more than once',
        );
      }
    } catch (err) {
      this.o.log.error(
        { err, robot: this.robot, msgId: this.msgId },
        'could not mark the callback handled: a retry after its lease expires would run it again',
      );
    }
  }

  /** Gives the claim back unfinished (the answer failed), so a retry handles the callback. */
  async release(): Promise<void> {
    this.#stop();
    await this.store.releaseClaim(this.key, this.owner).catch((err: unknown) => {
      this.o.log.warn(
        { err, robot: this.robot, msgId: this.msgId },
        'could not release the de-duplication claim; it expires with its lease',
      );
    });
  }
}
