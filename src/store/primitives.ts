import type { Store } from './store.js';

/**
 * The key-value, counter, slot and lock half of a Store. The memory and Redis drivers provide
 * only this half and pair with a SQL engine for `migrate`/`db` (see composite-store.ts).
 */
export type Primitives = Pick<
  Store,
  | 'get'
  | 'set'
  | 'delete'
  | 'setIfAbsent'
  | 'incr'
  | 'acquireSlot'
  | 'acquireLock'
  | 'renewLock'
  | 'releaseLock'
  | 'claim'
  | 'completeClaim'
  | 'releaseClaim'
  | 'close'
>;
