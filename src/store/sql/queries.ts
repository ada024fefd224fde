import { sql, type Kysely, type RawBuilder } from 'kysely';
import { tableNames, type InternalTables, type TableNames } from './internal-tables.js';

/** An epoch-milliseconds SQL expression: a bound number, or the server clock on PostgreSQL. */
export type NowExpr = RawBuilder<number>;

/** A bound integer. The cast lets PostgreSQL type the parameter in arithmetic. */
export function int(n: number): RawBuilder<number> {
  return sql<number>`cast(${Math.trunc(n)} as bigint)`;
}

/**
 * The store primitives as Kysely queries, shared by the SQLite and PostgreSQL drivers.
 * Both engines support `INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING`, which makes
 * set-if-absent, lock acquisition and counters single atomic statements. Each driver decides
 * how to execute them (SQLite: synchronously inside one immediate transaction; PostgreSQL:
 * one round trip each).
 */
export function storeQueries(db: Kysely<InternalTables>, namespace: string) {
  const t: TableNames = tableNames(namespace);
  // Qualified references to the existing row in ON CONFLICT … DO UPDATE (PostgreSQL needs the
  // qualification to tell it from `excluded`). Real table names, see internal-tables.ts.
  const col = (table: keyof InternalTables, column: string) => sql.ref(`${t[table]}.${column}`);
  const plus = (now: NowExpr, ms: number) => sql<number>`${now} + ${int(ms)}`;

  return {
    tables: t,

    getValue: (key: string, now: NowExpr) =>
      db
        .selectFrom(t.kv)
        .select('value')
        .where('key', '=', key)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)])),

    setValue: (key: string, value: string, now: NowExpr, ttlMs: number | undefined) =>
      db
        .insertInto(t.kv)
        .values({ key, value, expires_at: ttlMs === undefined ? null : plus(now, ttlMs) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            value: (eb) => eb.ref('excluded.value'),
            expires_at: (eb) => eb.ref('excluded.expires_at'),
          }),
        ),

    /** Returns a row only when this call wrote the value (fresh insert or expired row replaced). */
    setIfAbsent: (key: string, value: string, now: NowExpr, ttlMs: number | undefined) =>
      db
        .insertInto(t.kv)
        .values({ key, value, expires_at: ttlMs === undefined ? null : plus(now, ttlMs) })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({
              value: (eb) => eb.ref('excluded.value'),
              expires_at: (eb) => eb.ref('excluded.expires_at'),
            })
            .where(sql<boolean>`${col('kv', 'expires_at')} <= ${now}`),
        )
        .returning('key'),

    /** Returns whether the removed row was live (an expired row was invisible already). */
    deleteValue: (key: string, now: NowExpr) =>
      db
        .deleteFrom(t.kv)
        .where('key', '=', key)
        .returning(sql<boolean | number>`(expires_at is null or expires_at > ${now})`.as('live')),

    incr: (key: string, by: number, now: NowExpr, windowMs: number) =>
      db
        .insertInto(t.counters)
        .values({ key, count: int(by), expires_at: plus(now, windowMs) })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            count: sql<number>`case when ${col('counters', 'expires_at')} <= ${now} then excluded.count else ${col('counters', 'count')} + excluded.count end`,
            expires_at: sql<number>`case when ${col('counters', 'expires_at')} <= ${now} then excluded.expires_at else ${col('counters', 'expires_at')} end`,
          }),
        )
        .returning('count'),

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

    acquireLock: (name: string, owner: string, now: NowExpr, ttlMs: number) =>
      db
        .insertInto(t.locks)
        .values({ name, owner, expires_at: plus(now, ttlMs) })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({
              owner: (eb) => eb.ref('excluded.owner'),
              expires_at: (eb) => eb.ref('excluded.expires_at'),
            })
            .where(sql<boolean>`${col('locks', 'expires_at')} <= ${now} or ${col('locks', 'owner')} = excluded.owner`),
        )
        .returning('name'),

    renewLock: (name: string, owner: string, now: NowExpr, ttlMs: number) =>
      db
        .updateTable(t.locks)
        .set({ expires_at: plus(now, ttlMs) })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .where('expires_at', '>', now),

    releaseLock: (name: string, owner: string, now: NowExpr) =>
      db.deleteFrom(t.locks).where('name', '=', name).where('owner', '=', owner).where('expires_at', '>', now),

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
