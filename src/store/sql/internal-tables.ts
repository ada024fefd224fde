import { sql, type Kysely } from 'kysely';
import type { AnyTables, SqlDialect } from '../store.js';

/**
 * The store's own tables. Their real names carry the namespace (`wecombot_kv`, …); the typed
 * names below are the logical ones. `tableNames()` maps one to the other with a cast, so the
 * query builder stays typed while the SQL uses the namespaced name. Because of that cast,
 * queries over these tables never qualify columns with the table name (`kv.key`), or wrap
 * them in `sql.ref()` with the real name where the SQL requires a qualified reference.
 */
export interface InternalTables {
  kv: { key: string; value: string; expires_at: number | null };
  counters: { key: string; count: number; expires_at: number };
  slots: { key: string; ts: number; expires_at: number };
  locks: { name: string; owner: string; expires_at: number };
  migrations: { name: string; applied_at: number };
}

export type TableNames = { [K in keyof InternalTables]: K };

/** Real (namespaced) table names, typed as the logical ones. */
export function tableNames(namespace: string): TableNames {
  const name = <K extends keyof InternalTables>(k: K) => `${namespace}_${k}` as K;
  return {
    kv: name('kv'),
    counters: name('counters'),
    slots: name('slots'),
    locks: name('locks'),
    migrations: name('migrations'),
  };
}

/**
 * The statements creating the internal tables when missing, for the engine to run in one
 * serialized step (PostgreSQL: under an advisory lock; SQLite: one immediate transaction),
 * because concurrent `CREATE TABLE IF NOT EXISTS` can still collide on PostgreSQL's catalog.
 */
export function internalSchema(db: Kysely<AnyTables>, namespace: string, dialect: SqlDialect = 'postgres') {
  const t = tableNames(namespace);
  // SQLite: a table keyed by text is otherwise two B-trees (the rowid table and the key's
  // index), both written on every insert; WITHOUT ROWID keeps one, measured ~12 % off a claim
  // and its completion. Files created before keep their tables; the statements are the same.
  const keyed = dialect === 'sqlite' ? sql`without rowid` : sql``;
  return [
    db.schema
      .createTable(t.kv)
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .modifyEnd(keyed),
    db.schema
      .createTable(t.counters)
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .modifyEnd(keyed),
    db.schema
      .createTable(t.slots)
      .ifNotExists()
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull()),
    db.schema.createIndex(`${t.slots}_key_ts`).ifNotExists().on(t.slots).columns(['key', 'ts']),
    db.schema
      .createTable(t.locks)
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .modifyEnd(keyed),
    db.schema
      .createTable(t.migrations)
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull()),
  ];
}
