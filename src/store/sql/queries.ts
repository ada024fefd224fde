import { sql, type Kysely, type RawBuilder } from 'kysely';
import { tableNames, type InternalTables, type TableNames } from './internal-tables.js';

/** An epoch-milliseconds SQL expression: a bound number, or the server clock on PostgreSQL. */
export type NowExpr = RawBuilder<number>;

/** A bound integer. The cast lets PostgreSQL type the parameter in arithmetic. */
export function int(n: number): RawBuilder<number> {
  return sql<number>`cast(${Math.trunc(n)} as bigint)`;
}

/**
 * The store's rarer operations as Kysely queries, shared by the SQLite and PostgreSQL drivers:
 * the sliding-window slots (a transaction of several statements), sweeps and the migration
 * records. The per-request primitives are precompiled SQL instead (hot-statements.ts).
 */
export function storeQueries(db: Kysely<InternalTables>, namespace: string) {
  const t: TableNames = tableNames(namespace);
  const plus = (now: NowExpr, ms: number) => sql<number>`${now} + ${int(ms)}`;

  return {
    tables: t,

    countSlots: (key: string, since: NowExpr) =>
      db
        .selectFrom(t.slots)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('key', '=', key)
        .where('ts', '>', since),

    /** The timestamp of the slot whose expiry frees room for one more. */
    slotFreeingAt: (key: string, since: NowExpr, offset: number) =>
      db.selectFrom(t.slots).select('ts').where('key', '=', key).where('ts', '>', since).orderBy('ts').limit(1).offset(offset),

    insertSlot: (key: string, now: NowExpr, windowMs: number) =>
      db.insertInto(t.slots).values({ key, ts: now, expires_at: plus(now, windowMs) }),

    pruneSlots: (key: string, upTo: NowExpr) => db.deleteFrom(t.slots).where('key', '=', key).where('ts', '<=', upTo),

    /** Expired rows are invisible already; sweeping only reclaims space. */
    sweep: (now: NowExpr) => [
      db.deleteFrom(t.kv).where('expires_at', '<=', now),
      db.deleteFrom(t.counters).where('expires_at', '<=', now),
      db.deleteFrom(t.slots).where('expires_at', '<=', now),
      db.deleteFrom(t.locks).where('expires_at', '<=', now),
    ],

    appliedMigrations: () => db.selectFrom(t.migrations).select('name'),
    recordMigration: (name: string, appliedAt: number) => db.insertInto(t.migrations).values({ name, applied_at: int(appliedAt) }),
  };
}

export type StoreQueries = ReturnType<typeof storeQueries>;
