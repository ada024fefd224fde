import type BetterSqlite3 from 'better-sqlite3';
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

import type { HotStatement } from './hot-statements.js';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** How long a write waits for another process's write lock before failing (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Kysely's own SqliteDialect, with two changes that matter when several processes (or several
 * stores in one process, as tests do) share a database file:
 *
 * 1. Transactions start with `BEGIN IMMEDIATE`, so a transaction that reads then writes can
 *    never fail half-way with SQLITE_BUSY (a deferred `BEGIN` can, in WAL mode).
 * 2. Waiting for the write lock happens asynchronously. better-sqlite3's busy handler sleeps
 *    synchronously: if another connection in the same process holds the lock across an
 *    `await`, that sleep blocks the very event loop that would release it. So the connection
 *    runs with `busy_timeout = 0` and retries SQLITE_BUSY after a short async sleep, up to
 *    SQLITE_BUSY_TIMEOUT_MS. Only statements outside a transaction, and `BEGIN IMMEDIATE`
 *    itself, can meet SQLITE_BUSY here; a statement that failed with it did nothing, so
 *    retrying is safe.
 *
 * It also caches prepared statements. The store's own hot statements skip Kysely entirely and
 * run on the same connection through `SqliteHandle.value`/`changes`.
 */
export class WecombotSqliteDialect implements Dialect {
  constructor(private readonly handle: SqliteHandle) {}
  createDriver(): Driver {
    return new WecombotSqliteDriver(this.handle);
  }
  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's Dialect signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * The one connection of a SQLite store, shared by Kysely (migrations, `db()`, transactions) and
 * the precompiled hot statements. The mutex keeps a Kysely transaction's statements together:
 * while it is held, a hot statement waits for it instead of running inside someone else's
 * transaction. When it is free, a hot statement runs at once: better-sqlite3 is synchronous,
 * so nothing can interleave with it.
 */
export class SqliteHandle {
  readonly mutex = new Mutex();
  #connection: SqliteConnection | undefined;
  #opening: Promise<SqliteConnection> | undefined;
  constructor(private readonly open: () => Promise<Database>) {}

  connect(): Promise<SqliteConnection> {
    this.#opening ??= this.open().then(
      (db) => {
        db.pragma('busy_timeout = 0');
        return (this.#connection = new SqliteConnection(db));
      },
      (err: unknown) => {
        // A bad path may be fixed (a directory created): the next call tries again.
        this.#opening = undefined;
        throw err;
      },
    );
    return this.#opening;
  }

  /** First column of the first returned row, or undefined. */
  value(statement: HotStatement, params: readonly unknown[]): Promise<unknown> | unknown {
    const conn = this.#connection;
    if (conn && !this.mutex.locked) {
      try {
        return conn.hot(statement).get(bind(statement, params));
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
    }
    return this.#queued(statement, params, (stmt, args) => stmt.get(args));
  }

  /** Rows changed by a statement without RETURNING. */
  changes(statement: HotStatement, params: readonly unknown[]): Promise<number> | number {
    const conn = this.#connection;
    if (conn && !this.mutex.locked) {
      try {
        return conn.hot(statement).run(bind(statement, params)).changes;
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
    }
    return this.#queued(statement, params, (stmt, args) => stmt.run(args).changes);
  }

  /** The slow path: not open yet, a transaction in progress, or another process writing. */
  async #queued<T>(statement: HotStatement, params: readonly unknown[], fn: (stmt: Statement, args: unknown[]) => T): Promise<T> {
    const conn = this.#connection ?? (await this.connect());
    await this.mutex.lock();
    try {
      // The clock is read after the wait, so a lease is measured from when it is written.
      return await conn.retryBusy(() => fn(conn.hot(statement), bind(statement, params)));
    } finally {
      this.mutex.unlock();
    }
  }

  close(): void {
    this.#connection?.close();
  }
}

/** The positional values for a statement's `?`s: its parameters, and the clock where it reads `{now}`. */
function bind(statement: HotStatement, params: readonly unknown[]): unknown[] {
  const now = Date.now();
  const { order } = statement;
  const args = new Array<unknown>(order.length);
  for (let i = 0; i < order.length; i++) {
    const at = order[i] as number;
    args[i] = at === statement.arity ? now : params[at];
  }
  return args;
}

class WecombotSqliteDriver implements Driver {
  #connection: SqliteConnection | undefined;
  constructor(private readonly handle: SqliteHandle) {}

  async init(): Promise<void> {
    this.#connection = await this.handle.connect();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has one connection per store; the mutex keeps a transaction's statements together.
    await this.handle.mutex.lock();
    return this.#connection as SqliteConnection;
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as SqliteConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as SqliteConnection).exec('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    (connection as SqliteConnection).exec('rollback');
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`savepoint ${quoteIdent(name)}`);
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`rollback to ${quoteIdent(name)}`);
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    (connection as SqliteConnection).exec(`release ${quoteIdent(name)}`);
  }
  async releaseConnection(): Promise<void> {
    this.handle.mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.handle.close();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class SqliteConnection implements DatabaseConnection {
  #statements = new Map<string, Statement>();
  /** The hot statements, prepared once each, in pluck mode (their one column is the answer). */
  #hot = new Map<HotStatement, Statement>();
  constructor(private readonly db: Database) {}

  hot(statement: HotStatement): Statement {
    let stmt = this.#hot.get(statement);
    if (!stmt) {
      stmt = this.db.prepare(statement.text);
      if (stmt.reader) stmt.pluck();
      this.#hot.set(statement, stmt);
    }
    return stmt;
  }

  exec(text: string): void {
    this.db.exec(text);
  }

  close(): void {
    this.#statements.clear();
    this.#hot.clear();
    if (this.db.open) this.db.close();
  }

  /** `BEGIN IMMEDIATE`, waiting asynchronously while another connection writes. */
  async begin(): Promise<void> {
    await this.retryBusy(() => this.db.exec('begin immediate'));
  }

  async retryBusy<T>(fn: () => T): Promise<T> {
    const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return fn();
      } catch (err) {
        if (!isBusy(err) || this.db.inTransaction || Date.now() >= deadline) throw err;
      }
      // Jittered, growing pause: contenders spread out instead of retrying in lockstep.
      await sleep(Math.random() * Math.min(20, 1 + attempt));
    }
  }

  private prepare(text: string): Statement {
    let stmt = this.#statements.get(text);
    if (!stmt) {
      if (this.#statements.size >= 256) this.#statements.clear();
      stmt = this.db.prepare(text);
      this.#statements.set(text, stmt);
    }
    return stmt;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const stmt = this.prepare(compiled.sql);
    const params = compiled.parameters as unknown[];
    if (stmt.reader) return { rows: (await this.retryBusy(() => stmt.all(params))) as R[] };
    const { changes, lastInsertRowid } = await this.retryBusy(() => stmt.run(params));
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const stmt = this.prepare(compiled.sql);
    for (const row of stmt.iterate(compiled.parameters as unknown[])) yield { rows: [row as R] };
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  /** Holders and waiters; 0 when the connection is free. */
  #users = 0;
  get locked(): boolean {
    return this.#users > 0;
  }
  /** FIFO: each waiter chains on the previous one, so nobody starves. */
  async lock(): Promise<void> {
    this.#users++;
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
  }
  unlock(): void {
    const release = this.#release;
    this.#release = undefined;
    this.#users--;
    release?.();
  }
}
