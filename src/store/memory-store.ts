import type { Primitives } from './primitives.js';
import type {
  ClaimOptions,
  ClaimState,
  CompleteClaimOptions,
  CounterOptions,
  LockOptions,
  SlotOptions,
  SlotResult,
  TtlOptions,
} from './store.js';
import {
  CLAIM_DONE,
  checkClaim,
  checkComplete,
  checkCounter,
  checkKey,
  checkLock,
  checkSlot,
  checkTtl,
  claimRunning,
  claimStateOf,
} from './validate.js';

interface Entry {
  value: string;
  expiresAt: number | undefined;
}

/**
 * Expired entries are swept after at least this many writes, and at least as many as there are
 * keys: a sweep reads every key, so sweeping every 1,000 writes made a store of 100,000 live
 * de-duplication keys scan 100 keys per write (2 % of a long-connection bot's CPU). Amortized,
 * a write now pays for at most a couple of key visits.
 */
const MIN_WRITES_BETWEEN_SWEEPS = 1000;

/**
 * Maps in this process: for tests and single-process bots. Every method runs synchronously
 * inside one call, so the primitives are atomic in-process by construction. Nothing is shared
 * with other processes and nothing survives a restart.
 */
export class MemoryPrimitives implements Primitives {
  #kv = new Map<string, Entry>();
  #counters = new Map<string, { count: number; expiresAt: number }>();
  #slots = new Map<string, { log: number[]; expiresAt: number }>();
  #locks = new Map<string, { owner: string; expiresAt: number }>();
  #writesUntilSweep = MIN_WRITES_BETWEEN_SWEEPS;

  constructor(private readonly clock: () => number = Date.now) {}

  #live(key: string, now: number): Entry | undefined {
    const entry = this.#kv.get(key);
    if (entry && entry.expiresAt !== undefined && entry.expiresAt <= now) {
      this.#kv.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    return this.#live(key, this.clock())?.value;
  }

  async set(key: string, value: string, options?: TtlOptions): Promise<void> {
    checkKey(key);
    const ttl = checkTtl(options);
    this.#kv.set(key, { value, expiresAt: ttl === undefined ? undefined : this.clock() + ttl });
    this.#wrote();
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    const live = this.#live(key, this.clock()) !== undefined;
    this.#kv.delete(key);
    return live;
  }

  async setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean> {
    checkKey(key);
    const ttl = checkTtl(options);
    const now = this.clock();
    if (this.#live(key, now)) return false;
    this.#kv.set(key, { value, expiresAt: ttl === undefined ? undefined : now + ttl });
    this.#wrote();
    return true;
  }

  async incr(key: string, options: CounterOptions): Promise<number> {
    checkKey(key);
    const { windowMs, by } = checkCounter(options);
    const now = this.clock();
    const current = this.#counters.get(key);
    if (!current || current.expiresAt <= now) {
      this.#counters.set(key, { count: by, expiresAt: now + windowMs });
      this.#wrote();
      return by;
    }
    current.count += by;
    return current.count;
  }

  async acquireSlot(key: string, options: SlotOptions): Promise<SlotResult> {
    checkKey(key);
    const { limit, windowMs, now: given } = checkSlot(options);
    const now = given ?? this.clock();
    const since = now - windowMs;
    const entry = this.#slots.get(key);
    const log = (entry?.log ?? []).filter((ts) => ts > since);
    if (log.length < limit) {
      log.push(now);
      this.#slots.set(key, { log, expiresAt: Math.max(entry?.expiresAt ?? 0, now + windowMs) });
      this.#wrote();
      return { ok: true, remaining: limit - log.length };
    }
    if (entry) entry.log = log;
    const sorted = [...log].sort((a, b) => a - b);
    const freeing = sorted[log.length - limit] ?? now;
    return { ok: false, retryAfterMs: Math.max(1, freeing + windowMs - now) };
  }

  async acquireLock(name: string, options: LockOptions): Promise<boolean> {
    const { owner, ttlMs } = checkLock(name, options);
    const now = this.clock();
    const held = this.#locks.get(name);
    if (held && held.expiresAt > now && held.owner !== owner) return false;
    this.#locks.set(name, { owner, expiresAt: now + ttlMs });
    this.#wrote();
    return true;
  }

  async renewLock(name: string, options: LockOptions): Promise<boolean> {
    const { owner, ttlMs } = checkLock(name, options);
    const now = this.clock();
    const held = this.#locks.get(name);
    if (!held || held.owner !== owner || held.expiresAt <= now) return false;
    held.expiresAt = now + ttlMs;
    return true;
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    checkKey(name, 'lock name');
    checkKey(owner, 'lock owner');
    const held = this.#locks.get(name);
    if (!held || held.owner !== owner || held.expiresAt <= this.clock()) return false;
    this.#locks.delete(name);
    return true;
  }

  async claim(key: string, options: ClaimOptions): Promise<ClaimState> {
    const { running, leaseMs } = checkClaim(key, options);
    const now = this.clock();
    const current = this.#live(key, now)?.value;
    if (current !== undefined && current !== running) return claimStateOf(current, running);
    this.#kv.set(key, { value: running, expiresAt: now + leaseMs });
    this.#wrote();
    return 'claimed';
  }

  async completeClaim(key: string, options: CompleteClaimOptions): Promise<boolean> {
    const { running, ttlMs } = checkComplete(key, options);
    const now = this.clock();
    const entry = this.#live(key, now);
    if (entry !== undefined && entry.value !== running) return false;
    if (entry !== undefined) {
      // In place: every handled message completes its claim, and a second entry per message
      // would be one more object for the young generation to promote.
      entry.value = CLAIM_DONE;
      entry.expiresAt = now + ttlMs;
      return true;
    }
    this.#kv.set(key, { value: CLAIM_DONE, expiresAt: now + ttlMs });
    this.#wrote();
    return true;
  }

  async releaseClaim(key: string, owner: string): Promise<boolean> {
    checkKey(key);
    checkKey(owner, 'claim owner');
    if (this.#live(key, this.clock())?.value !== claimRunning(owner)) return false;
    this.#kv.delete(key);
    return true;
  }

  async close(): Promise<void> {
    this.#kv.clear();
    this.#counters.clear();
    this.#slots.clear();
    this.#locks.clear();
  }

  #wrote(): void {
    if (--this.#writesUntilSweep > 0) return;
    const now = this.clock();
    for (const [k, e] of this.#kv) if (e.expiresAt !== undefined && e.expiresAt <= now) this.#kv.delete(k);
    for (const [k, c] of this.#counters) if (c.expiresAt <= now) this.#counters.delete(k);
    for (const [k, l] of this.#locks) if (l.expiresAt <= now) this.#locks.delete(k);
    for (const [k, s] of this.#slots) if (s.expiresAt <= now) this.#slots.delete(k);
    const size = this.#kv.size + this.#counters.size + this.#locks.size + this.#slots.size;
    this.#writesUntilSweep = Math.max(MIN_WRITES_BETWEEN_SWEEPS, size);
  }
}
