import type { Kysely } from 'kysely';

/**
 * The one storage contract every wecombot feature shares: callback de-duplication, rate-limit
 * windows, scheduler run keys and locks, and (through `migrate` + `db`) the tables of features
 * such as the outbox, sign-ups, tags and leads.
 *
 * Every method is atomic across processes that share the same backing store, so several
 * serverless instances can use one PostgreSQL database or one Redis safely.
 * Keys are plain strings; values are strings (see `getJson`/`setJson` in `./json.ts` for JSON).
 */
export interface Store {
  /** Which engines back this store, e.g. `sqlite`, `postgres`, `memory`, `redis+postgres`. */
  readonly driver: StoreDriverName;
  /** Prefix of internal tables/keys (`<namespace>_kv`, `<namespace>:kv:…`). Features may reuse it for their tables. */
  readonly namespace: string;
  /** The SQL dialect behind `db()`, for the rare feature that needs dialect-specific SQL. */
  readonly sqlDialect: SqlDialect;

  // --- key-value with TTL -------------------------------------------------------------
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Writes the value, replacing any previous one. Without `ttlMs` it never expires. */
  set(key: string, value: string, options?: TtlOptions): Promise<void>;
  /** Removes the key; true when a live value was removed. */
  delete(key: string): Promise<boolean>;
  /**
   * Writes only when the key is absent (or expired); true for exactly one caller among any
   * number racing on the same key. This is the de-duplication primitive.
   */
  setIfAbsent(key: string, value: string, options?: TtlOptions): Promise<boolean>;

  // --- counters and windows -------------------------------------------------------------
  /**
   * Fixed-window counter: adds `by` (default 1) and returns the new count. The window starts
   * at the first increment and the counter vanishes `windowMs` later.
   */
  incr(key: string, options: CounterOptions): Promise<number>;
  /**
   * Sliding-window log: takes one slot when fewer than `limit` slots were taken in the last
   * `windowMs`, otherwise says how long until one frees. Exact: in no interval of `windowMs`
   * are more than `limit` slots granted, whatever the number of racing callers.
   * The time base is the store's authoritative clock (server time for PostgreSQL and Redis)
   * unless `now` (epoch ms) is passed, which tests and replays may do.
   */
  acquireSlot(key: string, options: SlotOptions): Promise<SlotResult>;

  // --- lease locks ---------------------------------------------------------------------
  /**
   * Takes the lease when it is free, expired, or already held by `owner` (then it is
   * extended). A lease that expired may be taken by anyone.
   */
  acquireLock(name: string, options: LockOptions): Promise<boolean>;
  /** Extends a lease still held (and unexpired) by `owner`; false when it was lost. */
  renewLock(name: string, options: LockOptions): Promise<boolean>;
  /** Releases the lease only when `owner` holds it; false otherwise. */
  releaseLock(name: string, owner: string): Promise<boolean>;

  // --- claims: work done once, surviving a crash -------------------------------------------
  /**
   * Claims one unit of work (a callback) for `owner` under a short lease, in one round trip.
   * - `'claimed'`: this caller does the work, then calls `completeClaim` (or `releaseClaim`);
   *   the same owner claiming again extends its lease (that is how a long handler renews it);
   * - `'running'`: another owner holds a live lease: the work is under way, leave it;
   * - `'done'`: the work was completed (and is remembered for the `ttlMs` given then).
   * A lease that expired (its owner crashed or froze) may be claimed by anyone. The key is the
   * same key space as `get`/`set`: don't use one key for both.
   */
  claim(key: string, options: ClaimOptions): Promise<ClaimState>;
  /**
   * Marks the work done, remembered for `ttlMs`, in one round trip. True when it was this
   * owner's claim (or an expired claim nobody else took); false when another owner took over
   * after the lease expired, or the work was already done: the work then ran more than once.
   */
  completeClaim(key: string, options: CompleteClaimOptions): Promise<boolean>;
  /** Gives back a live claim of `owner` without completing it, so a retry may do the work; false otherwise. */
  releaseClaim(key: string, owner: string): Promise<boolean>;

  // --- tables ----------------------------------------------------------------------------
  /**
   * Applies each migration not yet recorded, in order, exactly once even when several
   * processes race (they serialize on a lock; all pending migrations run in one transaction).
   * Resolves to the names applied by this call.
   */
  migrate(migrations: readonly Migration[]): Promise<string[]>;
  /**
   * The typed Kysely query layer over this store's SQL engine. Pass your table types:
   * `store.db<{ outbox: OutboxRow }>()`. The memory driver backs it with an in-memory SQLite;
   * a Redis store pairs with the SQL store of `WECOMBOT_DATABASE_URL`.
   */
  db<DB = AnyTables>(): Kysely<DB>;

  /** Closes connections. The store is unusable afterwards. */
  close(): Promise<void>;
}

export type StoreDriverName = 'memory' | 'sqlite' | 'postgres' | `redis+${'memory' | 'sqlite' | 'postgres'}`;
export type SqlDialect = 'sqlite' | 'postgres';

/** Tables whose shape the caller does not declare (migrations change shape over time). */
export type AnyTables = Record<string, Record<string, unknown>>;

export interface TtlOptions {
  /** Lifetime in milliseconds; omitted = no expiry. */
  ttlMs?: number;
}

export interface CounterOptions {
  /** Length of the fixed window in milliseconds. */
  windowMs: number;
  /** Increment, default 1. */
  by?: number;
}

export interface SlotOptions {
  /** Most slots granted in any interval of `windowMs`. */
  limit: number;
  windowMs: number;
  /** Epoch ms to use as "now" instead of the store's clock. */
  now?: number;
}

export type SlotResult =
  | { ok: true; /** slots still free in the current window after this one */ remaining: number }
  | { ok: false; /** ms until the oldest slot in the window frees */ retryAfterMs: number };

export interface LockOptions {
  /** Who holds the lease (e.g. a random id per process). */
  owner: string;
  /** Lease length in milliseconds. */
  ttlMs: number;
}

export interface ClaimOptions {
  /** Who does the work: unique per attempt (two deliveries of one callback in one process are two owners). */
  owner: string;
  /** How long the claim holds without renewal; a crashed owner's work can be claimed again after it. */
  leaseMs: number;
}

export interface CompleteClaimOptions {
  /** The owner that claimed it. */
  owner: string;
  /** How long the completion is remembered (the de-duplication window). */
  ttlMs: number;
}

/** What `claim` found: see `Store.claim`. */
export type ClaimState = 'claimed' | 'running' | 'done';

/** One schema change. `name` is recorded once applied; never rename an applied migration. */
export interface Migration {
  name: string;
  up(db: Kysely<AnyTables>): Promise<void>;
}

/** Where the store lives. Read from the environment by `openStoreFromEnv`. */
export interface StoreConfig {
  /**
   * `sqlite:./path.db` | `sqlite::memory:` | `postgres://…` | `postgresql://…` | `memory:`.
   * Default `sqlite:./.wecombot/data.db`.
   */
  databaseUrl?: string;
  /** `redis://…` or `rediss://…`: key-value, counters, slots and locks move to Redis. */
  redisUrl?: string;
  /** Prefix for internal tables and keys; default `wecombot`. Letters, digits, `_`. */
  namespace?: string;
}
