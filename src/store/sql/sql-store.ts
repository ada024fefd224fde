import type { Kysely } from 'kysely';
import { StoreArgumentError, StoreMigrationError } from '../errors.js';
import type {
  AnyTables,
  CounterOptions,
  LockOptions,
  Migration,
  SlotOptions,
  SlotResult,
  Store,
  StoreDriverName,
  TtlOptions,
} from '../store.js';
import { checkCounter, checkKey, checkLock, checkSlot, checkTtl } from '../validate.js';
import type { InternalTables } from './internal-tables.js';
import { int, storeQueries, type StoreQueries } from './queries.js';
import type { SqlEngine } from './sql-engine.js';

/** Sweep expired rows after this many writes (expired rows are invisible; this reclaims space). */
const SWEEP_EVERY_WRITES = 1000;

/** The Store over a SQL engine (SQLite or PostgreSQL), every primitive built with Kysely. */
export class SqlStore implements Store {
  readonly driver: StoreDriverName;
  readonly sqlDialect;
  readonly #q: StoreQueries;
  #writes = 0;

  constructor(
    private readonly engine: SqlEngine,
    readonly namespace: string,
  ) {
    this.driver = engine.dialect;
    this.sqlDialect = engine.dialect;
    this.#q = storeQueries(engine.kysely as unknown as Kysely<InternalTables>, namespace);
  }

  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    const row = await this.#q.getValue(key, this.engine.now()).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: string, options?: TtlOptions): Promise<void> {
    checkKey(key);
    const ttl = checkTtl(options);
    await this.#q.setValue(key, checkValue(value), this.engine.now(), ttl).execute();
    this.#wrote();
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    const rows = await this.#q.deleteValue(key, this.engine.now()).execute();
    return rows.some((r) => Boolean(r.live));
  }

  async setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean> {
    checkKey(key);
    const ttl = checkTtl(options);
    const row = await this.#q.setIfAbsent(key, checkValue(value), this.engine.now(), ttl).executeTakeFirst();
    this.#wrote();
    return row !== undefined;
  }

  async incr(key: string, options: CounterOptions): Promise<number> {
    checkKey(key);
    const { windowMs, by } = checkCounter(options);
    const row = await this.#q.incr(key, by, this.engine.now(), windowMs).executeTakeFirstOrThrow();
    this.#wrote();
    return Number(row.count);
  }

  async acquireSlot(key: string, options: SlotOptions): Promise<SlotResult> {
    checkKey(key);
    const { limit, windowMs, now: given } = checkSlot(options);
    const q = this.#q;
    const result = await this.engine.kysely.transaction().execute(async (trx): Promise<SlotResult> => {
      // One transaction per key at a time (PostgreSQL advisory lock; SQLite's write lock), so
      // count-then-insert cannot interleave with another caller's.
      await this.engine.lockInTransaction(trx, `slot:${key}`);
      const now = given ?? (await this.engine.nowInTransaction(trx));
      const since = int(now - windowMs);
      await trx.executeQuery(q.pruneSlots(key, since));
      const counted = await trx.executeQuery(q.countSlots(key, since));
      const n = Number(counted.rows[0]?.n ?? 0);
      if (n < limit) {
        await trx.executeQuery(q.insertSlot(key, int(now), windowMs));
        return { ok: true, remaining: limit - n - 1 };
      }
      // The window holds n >= limit slots; one more fits once the (n - limit + 1)-th oldest leaves.
      const freeing = await trx.executeQuery(q.slotFreeingAt(key, since, n - limit));
      const ts = Number(freeing.rows[0]?.ts ?? now);
      return { ok: false, retryAfterMs: Math.max(1, ts + windowMs - now) };
    });
    this.#wrote();
    return result;
  }

  async acquireLock(name: string, options: LockOptions): Promise<boolean> {
    const { owner, ttlMs } = checkLock(name, options);
    const row = await this.#q.acquireLock(name, owner, this.engine.now(), ttlMs).executeTakeFirst();
    this.#wrote();
    return row !== undefined;
  }

  async renewLock(name: string, options: LockOptions): Promise<boolean> {
    const { owner, ttlMs } = checkLock(name, options);
    const result = await this.#q.renewLock(name, owner, this.engine.now(), ttlMs).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    checkKey(name, 'lock name');
    checkKey(owner, 'lock owner');
    const result = await this.#q.releaseLock(name, owner, this.engine.now()).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async migrate(migrations: readonly Migration[]): Promise<string[]> {
    checkMigrations(migrations);
    const q = this.#q;
    return this.engine.kysely.transaction().execute(async (trx) => {
      // Racing processes queue here; the loser then sees the winner's records and applies nothing.
      await this.engine.lockInTransaction(trx, '__migrations');
      const applied = new Set((await trx.executeQuery(q.appliedMigrations())).rows.map((r) => r.name));
      const done: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        try {
          await migration.up(trx);
        } catch (cause) {
          throw new StoreMigrationError(`migration "${migration.name}" failed: ${(cause as Error)?.message ?? String(cause)}`, {
            hint: 'the whole batch was rolled back; fix the migration and start again',
            cause,
          });
        }
        await trx.executeQuery(q.recordMigration(migration.name, Date.now()));
        done.push(migration.name);
      }
      return done;
    });
  }

  db<DB = AnyTables>(): Kysely<DB> {
    return this.engine.kysely as unknown as Kysely<DB>;
  }

  /** Opens the connection now (instead of at the first query) to report configuration errors early. */
  ready(): Promise<void> {
    return this.engine.ready();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  #wrote(): void {
    if (++this.#writes % SWEEP_EVERY_WRITES !== 0) return;
    const now = this.engine.now();
    // Fire and forget: a failed sweep changes nothing visible and is retried later.
    void Promise.all(this.#q.sweep(now).map((query) => query.execute())).catch(() => {});
  }
}

function checkValue(value: string): string {
  if (typeof value !== 'string') throw new StoreArgumentError('store values are strings; use setJson for other values');
  return value;
}

/** Refuses batches with missing or duplicate names: a name is the record that a migration ran. */
export function checkMigrations(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (!m || typeof m.name !== 'string' || m.name === '' || typeof m.up !== 'function') {
      throw new StoreArgumentError('each migration needs a non-empty name and an up(db) function');
    }
    if (seen.has(m.name)) throw new StoreArgumentError(`migration name "${m.name}" appears twice`);
    seen.add(m.name);
  }
}
