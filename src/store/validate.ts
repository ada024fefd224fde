import { StoreArgumentError } from './errors.js';
import type { CounterOptions, LockOptions, SlotOptions, TtlOptions } from './store.js';

/** Checks shared by every driver, so all of them refuse the same inputs the same way. */
export function checkKey(key: string, what = 'key'): void {
  if (typeof key !== 'string' || key.length === 0) throw new StoreArgumentError(`store ${what} must be a non-empty string`);
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

export function checkLock(name: string, options: LockOptions): { owner: string; ttlMs: number } {
  checkKey(name, 'lock name');
  checkKey(options.owner, 'lock owner');
  return { owner: options.owner, ttlMs: positiveInt(options.ttlMs, 'ttlMs') };
}
