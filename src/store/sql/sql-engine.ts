import type { Kysely } from 'kysely';
import type { AnyTables, SqlDialect } from '../store.js';
import type { NowExpr } from './queries.js';

/** What differs between SQL engines; `SqlStore` builds the primitives on top. */
export interface SqlEngine {
  readonly dialect: SqlDialect;
  readonly kysely: Kysely<AnyTables>;
  /** "Now" (epoch ms) as an expression for single statements: a parameter or the server clock. */
  now(): NowExpr;
  /** "Now" read inside a transaction, after its locks were taken (so it is never stale). */
  nowInTransaction(trx: Kysely<AnyTables>): Promise<number>;
  /** Serializes transactions on `key` across processes. */
  lockInTransaction(trx: Kysely<AnyTables>, key: string): Promise<void>;
  /** Connects (and creates internal tables); rejects with a StoreConnectionError. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
