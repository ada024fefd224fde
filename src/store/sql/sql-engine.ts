import type { Kysely } from 'kysely';
import type { AnyTables, SqlDialect } from '../store.js';
import type { HotStatement } from './hot-statements.js';
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
  /**
   * Runs a precompiled statement of hot-statements.ts in one round trip, with no query
   * building. `value`: the first column of the first returned row (undefined when none);
   * `changes`: how many rows a statement without RETURNING changed.
   */
  value(statement: HotStatement, params: readonly unknown[]): MaybePromise<unknown>;
  changes(statement: HotStatement, params: readonly unknown[]): MaybePromise<number>;
  /** Connects (and creates internal tables); rejects with a StoreConnectionError. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** SQLite answers synchronously when its connection is free: no promise to allocate then. */
export type MaybePromise<T> = T | Promise<T>;
