import type { Kysely } from 'kysely';
import { StoreArgumentError, StoreMigrationError } from '../errors.js';
import type {
  AnyTables,
  ClaimOptions,
  ClaimState,
  CompleteClaimOptions,
  CounterOptions,
  LockOptions,
  Migration,
  SlotOptions,
  SlotResult,
  Store,
  StoreDriverName,
  TtlOptions,
} from '../store.js';
import {
  checkClaim,
  checkComplete,
  checkCounter,
  checkKey,
  checkLock,
  checkSlot,
  checkTtl,
  claimRunning,
  claimStateOf,
  storedKey,
} from '../validate.js';
import { hotStatements, type HotStatement, type HotStatementName } from './hot-statements.js';
import type { InternalTables } from './internal-tables.js';
import { int, storeQueries, type StoreQueries } from './queries.js';
import type { SqlEngine } from './sql-engine.js';

/** Sweep expired rows after this many writes (expired rows are invisible; this reclaims space). */
const SWEEP_EVERY_WRITES = 1000;
/**
 * …and at most this often: a sweep scans the tables (expires_at has no index, which would tax
 * every insert), so under load a count alone would sweep every few hundred milliseconds.
 */
const SWEEP_MIN_INTERVAL_MS = 60_000;

/**
 * The Store over a SQL engine (SQLite or PostgreSQL). The per-request primitives run
 * precompiled statements (hot-statements.ts); slots, sweeps and migrations use Kysely.
 */
export class SqlStore implements Store {
  readonly driver: StoreDriverName;
  readonly sqlDialect;
  readonly #q: StoreQueries;
  readonly #hot: Record<HotStatementName, HotStatement>;
  #writes = 0;
  #sweptAt = Date.now();

  constructor(
    private readonly engine: SqlEngine,
    readonly namespace: string,
  ) {
    this.driver = engine.dialect;
    this.sqlDialect = engine.dialect;
    this.#q = storeQueries(engine.kysely as unknown as Kysely<InternalTables>, namespace);
    this.#hot = hotStatements(engine.dialect, namespace);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.engine.value(this.#hot.get, [storedKey(key)]);
    return value === undefined || value === null ? undefined : String(value);
  }

  async set(key: string, value: string, options?: TtlOptions): Promise<void> {
    const k = storedKey(key);
    const ttl = checkTtl(options);
    await this.engine.changes(this.#hot.set, [k, checkValue(value), ttl ?? null]);
    this.#wrote();
  }

  async delete(key: string): Promise<boolean> {
    const live = await this.engine.value(this.#hot.delete, [storedKey(key)]);
    // SQLite answers 0/1, PostgreSQL a boolean; undefined when there was no row.
    return live === true || live === 1;
  }

  async setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean> {
    const k = storedKey(key);
    const ttl = checkTtl(options);
    const params = [k, checkValue(value), ttl ?? null];
    // A fresh key is one plain insert; a row there (live or expired) takes the full upsert.
    const won =
      (await this.engine.changes(this.#hot.insertFresh, params)) > 0 ||
      (await this.engine.value(this.#hot.setIfAbsent, params)) !== undefined;
    this.#wrote();
    return won;
  }

  async claim(key: string, options: ClaimOptions): Promise<ClaimState> {
    const { key: k, running, leaseMs } = checkClaim(key, options);
    const params = [k, running, leaseMs];
    // A fresh key (every new MsgId) is one plain insert; a duplicate, an expired claim or our own
    // renewal takes the full upsert, which also reads back who holds it.
    if ((await this.engine.changes(this.#hot.insertFresh, params)) > 0) {
      this.#wrote();
      return 'claimed';
    }
    const stored = await this.engine.value(this.#hot.claim, params);
    this.#wrote();
    return claimStateOf(stored as string | undefined, running);
  }

  async completeClaim(key: string, options: CompleteClaimOptions): Promise<boolean> {
    const { key: k, running, ttlMs } = checkComplete(key, options);
    const params = [k, running, ttlMs];
    // Our row is there in the common case: a plain update. Nothing changed means it was swept
    // (insert it done) or another owner holds it (refused): the upsert tells which.
    if ((await this.engine.changes(this.#hot.completeOwn, params)) > 0) return true;
    return (await this.engine.value(this.#hot.completeClaim, params)) !== undefined;
  }

  async releaseClaim(key: string, owner: string): Promise<boolean> {
    const k = storedKey(key);
    checkKey(owner, 'claim owner');
    return (await this.engine.changes(this.#hot.releaseClaim, [k, claimRunning(owner)])) > 0;
  }

  async incr(key: string, options: CounterOptions): Promise<number> {
    const k = storedKey(key);
    const { windowMs, by } = checkCounter(options);
    const count = await this.engine.value(this.#hot.incr, [k, by, windowMs]);
    this.#wrote();
    return Number(count);
  }

  async acquireSlot(key: string, options: SlotOptions): Promise<SlotResult> {
    key = storedKey(key);
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
    const { name: stored, owner, ttlMs } = checkLock(name, options);
    const params = [stored, owner, ttlMs];
    // A free lock is one plain insert; a held or expired one takes the full upsert.
    const won =
      (await this.engine.changes(this.#hot.lockFresh, params)) > 0 ||
      (await this.engine.value(this.#hot.acquireLock, params)) !== undefined;
    this.#wrote();
    return won;
  }

  async renewLock(name: string, options: LockOptions): Promise<boolean> {
    const { name: stored, owner, ttlMs } = checkLock(name, options);
    return (await this.engine.changes(this.#hot.renewLock, [stored, owner, ttlMs])) > 0;
  }

  async releaseLock(name: string, owner: string): Promise<boolean> {
    const stored = storedKey(name, 'lock name');
    checkKey(owner, 'lock owner');
    return (await this.engine.changes(this.#hot.releaseLock, [stored, owner])) > 0;
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
    if (Date.now() - this.#sweptAt < SWEEP_MIN_INTERVAL_MS) return;
    this.#sweptAt = Date.now();
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
