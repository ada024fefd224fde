import { createHash } from 'node:crypto';
import { StoreArgumentError } from './errors.js';
import type { ClaimOptions, CompleteClaimOptions, CounterOptions, LockOptions, SlotOptions, TtlOptions } from './store.js';

/** Checks shared by every driver, so all of them refuse the same inputs the same way. */
export function checkKey(key: string, what = 'key'): void {
  if (typeof key !== 'string' || key.length === 0) throw new StoreArgumentError(`store ${what} must be a non-empty string`);
}

/**
 * Keys longer than this are stored under a digest. PostgreSQL refuses index entries over
 * ~2.7 kB (a 4,000-character MsgId failed the insert), and long keys cost memory in Redis.
 */
export const MAX_STORED_KEY_CHARS = 200;

/**
 * The key as the driver stores it: checked, and replaced by `#sha256:<hex>` when longer than
 * MAX_STORED_KEY_CHARS. Every operation maps keys the same way, so this is invisible to callers.
 */
export function storedKey(key: string, what = 'key'): string {
  checkKey(key, what);
  return key.length <= MAX_STORED_KEY_CHARS ? key : `#sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new StoreArgumentError(`store option ${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return Math.ceil(value);
}

export function checkTtl(options: TtlOptions | undefined): number | undefined {
  return options?.ttlMs === undefined ? undefined : positiveInt(options.ttlMs, 'ttlMs');
}

export function checkCounter(options: CounterOptions): { windowMs: number; by: number } {
  const by = options.by ?? 1;
  if (!Number.isSafeInteger(by)) throw new StoreArgumentError(`store option by must be an integer, got ${String(by)}`);
  return { windowMs: positiveInt(options.windowMs, 'windowMs'), by };
}

export function checkSlot(options: SlotOptions): { limit: number; windowMs: number; now: number | undefined } {
  const { limit } = options;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new StoreArgumentError(`store option limit must be a positive integer, got ${String(limit)}`);
  }
  const now = options.now;
  if (now !== undefined && (!Number.isFinite(now) || now < 0)) {
    throw new StoreArgumentError(`store option now must be epoch milliseconds, got ${String(now)}`);
  }
  return { limit, windowMs: positiveInt(options.windowMs, 'windowMs'), now: now === undefined ? undefined : Math.floor(now) };
}

export function checkLock(name: string, options: LockOptions): { name: string; owner: string; ttlMs: number } {
  const stored = storedKey(name, 'lock name');
  checkKey(options?.owner, 'lock owner');
  return { name: stored, owner: options.owner, ttlMs: positiveInt(options.ttlMs, 'ttlMs') };
}

/** The stored value of a live claim held by `owner`, and of completed work (see Store.claim). */
export const CLAIM_DONE = 'claim:done';
export function claimRunning(owner: string): string {
  return `claim:running:${owner}`;
}

/** Reads a claim's stored value back: ours, someone else's live one, or completed (any other value). */
export function claimStateOf(stored: string | undefined | null, mine: string): 'claimed' | 'running' | 'done' {
  if (stored === mine) return 'claimed';
  return typeof stored === 'string' && stored.startsWith('claim:running:') ? 'running' : 'done';
}

export function checkClaim(key: string, options: ClaimOptions): { key: string; running: string; leaseMs: number } {
  const k = storedKey(key);
  checkKey(options?.owner, 'claim owner');
  return { key: k, running: claimRunning(options.owner), leaseMs: positiveInt(options.leaseMs, 'leaseMs') };
}

export function checkComplete(key: string, options: CompleteClaimOptions): { key: string; running: string; ttlMs: number } {
  const k = storedKey(key);
  checkKey(options?.owner, 'claim owner');
  return { key: k, running: claimRunning(options.owner), ttlMs: positiveInt(options.ttlMs, 'ttlMs') };
}
