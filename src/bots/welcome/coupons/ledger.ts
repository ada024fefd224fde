/**
 * What every coupon operation works on: the store, the real table names, the pool and the
 * clock; and the pool's lock. Imports (file, pattern, CLI) take the pool's row lock, so two
 * instances starting together import a configured file once and number its codes without
 * gaps or clashes: `SELECT … FOR UPDATE` on PostgreSQL; on SQLite every transaction of the
 * store begins IMMEDIATE, which holds the database's write lock from the start.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Store } from '../../../store/store.js';
import { couponTableNames, type CouponTableNames, type CouponTables, type PoolRow } from './schema.js';

export interface CouponLedger {
  readonly store: Store;
  readonly t: CouponTableNames;
  /** The pool's name. */
  readonly pool: string;
  readonly now: () => number;
}

/** The ledger of `pool` in `store`, with the module's table naming. */
export function couponLedger(store: Store, table: (name: string) => string, pool: string, now: () => number = Date.now): CouponLedger {
  return { store, t: couponTableNames(table), pool, now };
}

export function ledgerDb(ledger: CouponLedger): Kysely<CouponTables> {
  return ledger.store.db<CouponTables>();
}

/** A pool row as numbers (PostgreSQL returns integers of bigint columns as strings). */
export function toPool(row: PoolRow): PoolRow {
  return {
    ...row,
    alerted_level: row.alerted_level === null ? null : Number(row.alerted_level),
    next_seq: Number(row.next_seq),
    updated_at: Number(row.updated_at),
  };
}

/** Makes sure the pool's row exists (outside any lock: creating it twice is harmless). */
export async function ensurePoolRow(
  ledger: CouponLedger,
  db: Kysely<CouponTables> | Transaction<CouponTables> = ledgerDb(ledger),
): Promise<void> {
  await db
    .insertInto(ledger.t.pools)
    .values({ name: ledger.pool, source: null, alert_at: null, alerted_level: null, next_seq: 1, updated_at: ledger.now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

/** Runs `work` in one transaction holding the pool's lock; `pool` is its row as read under the lock. */
export async function withPoolLock<T>(
  ledger: CouponLedger,
  work: (trx: Transaction<CouponTables>, pool: PoolRow) => Promise<T>,
): Promise<T> {
  await ensurePoolRow(ledger);
  return ledgerDb(ledger)
    .transaction()
    .execute(async (trx) => {
      let query = trx.selectFrom(ledger.t.pools).selectAll().where('name', '=', ledger.pool);
      if (ledger.store.sqlDialect === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirstOrThrow();
      return work(trx, toPool(row));
    });
}

/** Free codes left in the pool. */
export async function freeCount(
  ledger: CouponLedger,
  db: Kysely<CouponTables> | Transaction<CouponTables> = ledgerDb(ledger),
): Promise<number> {
  const row = await db
    .selectFrom(ledger.t.coupons)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pool', '=', ledger.pool)
    .where('customer', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
