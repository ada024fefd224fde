import type { Store, StoreConfig } from './store.js';
import { parseDatabaseUrl, parseNamespace, parseRedisUrl, type DatabaseTarget } from './url.js';

/**
 * Opens the store a URL names. Drivers load lazily (dynamic `import()`), so code that never
 * calls this never loads better-sqlite3, pg or ioredis.
 *
 * - `memory:` — maps in this process (tables: an in-memory SQLite, created on first use);
 * - `sqlite:./path.db` / `sqlite::memory:` — better-sqlite3, WAL mode (the default is
 *   `sqlite:./.wecombot/data.db`, its directory created when missing);
 * - `postgres://…` / `postgresql://…` — a `pg` pool, server clock for all expiry;
 * - with `redisUrl`, key-value, counters, slots and locks move to Redis and the database URL
 *   serves only `migrate`/`db`. When no database URL was given then, the default SQLite file
 *   is opened only if a feature actually uses tables.
 *
 * @example
 * const store = await openStore({ databaseUrl: 'postgres://bot:pw@db/bot' });
 * if (await store.setIfAbsent(`msg:${msgId}`, '1', { ttlMs: 86_400_000 })) handle();
 */
export async function openStore(config: StoreConfig = {}): Promise<Store> {
  const namespace = parseNamespace(config.namespace);
  const target = parseDatabaseUrl(config.databaseUrl);
  const redis = parseRedisUrl(config.redisUrl);
  const explicitDatabase = Boolean(config.databaseUrl?.trim());
  const sql = await openDatabase(target, namespace, !redis || explicitDatabase);
  if (!redis) return sql;
  try {
    const [{ openRedisPrimitives }, { CompositeStore }] = await Promise.all([import('./redis-store.js'), import('./composite-store.js')]);
    const primitives = await openRedisPrimitives(redis, namespace);
    return new CompositeStore(`redis+${sql.driver}` as Store['driver'], primitives, sql);
  } catch (err) {
    await sql.close().catch(() => {});
    throw err;
  }
}

/**
 * `openStore` configured from `WECOMBOT_DATABASE_URL`, `WECOMBOT_REDIS_URL` and (optional)
 * `WECOMBOT_STORE_NAMESPACE`.
 */
export function openStoreFromEnv(env: Record<string, string | undefined> = process.env): Promise<Store> {
  return openStore({
    databaseUrl: env.WECOMBOT_DATABASE_URL,
    redisUrl: env.WECOMBOT_REDIS_URL,
    namespace: env.WECOMBOT_STORE_NAMESPACE || undefined,
  });
}

async function openDatabase(target: DatabaseTarget, namespace: string, eager: boolean): Promise<Store> {
  const { SqlStore } = await import('./sql/sql-store.js');
  switch (target.kind) {
    case 'memory': {
      const [{ MemoryPrimitives }, { CompositeStore }, { createSqliteEngine }] = await Promise.all([
        import('./memory-store.js'),
        import('./composite-store.js'),
        import('./sql/sqlite-engine.js'),
      ]);
      // Tables come from an in-memory SQLite so features with migrations (outbox, sign-ups)
      // run unchanged in tests. It opens on the first query only: a memory store used for
      // key-value alone never loads better-sqlite3.
      const tables = new SqlStore(createSqliteEngine(':memory:', namespace), namespace);
      return new CompositeStore('memory', new MemoryPrimitives(), tables);
    }
    case 'sqlite': {
      const { createSqliteEngine } = await import('./sql/sqlite-engine.js');
      const store = new SqlStore(createSqliteEngine(target.file, namespace), namespace);
      if (eager) await store.ready();
      return store;
    }
    case 'postgres': {
      const { createPostgresEngine } = await import('./sql/postgres-engine.js');
      const store = new SqlStore(await createPostgresEngine({ ...target, namespace }), namespace);
      try {
        await store.ready();
      } catch (err) {
        await store.close().catch(() => {});
        throw err;
      }
      return store;
    }
  }
}
