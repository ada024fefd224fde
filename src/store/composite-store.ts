import type { Kysely } from 'kysely';
import type { Primitives } from './primitives.js';
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
} from './store.js';

/**
 * Primitives from one engine (memory maps, Redis), tables from a SQL store. Used for
 * `memory:` (maps + an in-memory SQLite) and for `WECOMBOT_REDIS_URL` (Redis + the SQL store of
 * `WECOMBOT_DATABASE_URL`). The SQL store's own key-value tables simply stay unused.
 */
export class CompositeStore implements Store {
  readonly namespace: string;
  readonly sqlDialect;

  constructor(
    readonly driver: StoreDriverName,
    private readonly primitives: Primitives,
    private readonly sql: Store,
  ) {
    this.namespace = sql.namespace;
    this.sqlDialect = sql.sqlDialect;
  }

  get(key: string): Promise<string | undefined> {
    return this.primitives.get(key);
  }
  set(key: string, value: string, options?: TtlOptions): Promise<void> {
    return this.primitives.set(key, value, options);
  }
  delete(key: string): Promise<boolean> {
    return this.primitives.delete(key);
  }
  setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean> {
    return this.primitives.setIfAbsent(key, value, options);
  }
  incr(key: string, options: CounterOptions): Promise<number> {
    return this.primitives.incr(key, options);
  }
  acquireSlot(key: string, options: SlotOptions): Promise<SlotResult> {
    return this.primitives.acquireSlot(key, options);
  }
  acquireLock(name: string, options: LockOptions): Promise<boolean> {
    return this.primitives.acquireLock(name, options);
  }
  renewLock(name: string, options: LockOptions): Promise<boolean> {
    return this.primitives.renewLock(name, options);
  }
  releaseLock(name: string, owner: string): Promise<boolean> {
    return this.primitives.releaseLock(name, owner);
  }
  claim(key: string, options: ClaimOptions): Promise<ClaimState> {
    return this.primitives.claim(key, options);
  }
  completeClaim(key: string, options: CompleteClaimOptions): Promise<boolean> {
    return this.primitives.completeClaim(key, options);
  }
  releaseClaim(key: string, owner: string): Promise<boolean> {
    return this.primitives.releaseClaim(key, owner);
  }
  migrate(migrations: readonly Migration[]): Promise<string[]> {
    return this.sql.migrate(migrations);
  }
  db<DB = AnyTables>(): Kysely<DB> {
    return this.sql.db<DB>();
  }
  async close(): Promise<void> {
    await Promise.allSettled([this.primitives.close(), this.sql.close()]).then((results) => {
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    });
  }
}
