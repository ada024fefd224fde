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
 * It also caches prepared statements, which the primitives re-run constantly.
 */
export class WecombotSqliteDialect implements Dialect {
  constructor(private readonly open: () => Promise<Database>) {}
  createDriver(): Driver {
    return new WecombotSqliteDriver(this.open);
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

class WecombotSqliteDriver implements Driver {
  #connection: SqliteConnection | undefined;
  #mutex = new Mutex();
  constructor(private readonly open: () => Promise<Database>) {}

  async init(): Promise<void> {
    const db = await this.open();
    db.pragma('busy_timeout = 0');
    this.#connection = new SqliteConnection(db);
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // SQLite has one connection per store; the mutex keeps a transaction's statements together.
    await this.#mutex.lock();
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
    this.#mutex.unlock();
  }
  async destroy(): Promise<void> {
    this.#connection?.close();
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
  constructor(private readonly db: Database) {}

  exec(text: string): void {
    this.db.exec(text);
  }

  close(): void {
    this.#statements.clear();
    this.db.close();
  }

  /** `BEGIN IMMEDIATE`, waiting asynchronously while another connection writes. */
  async begin(): Promise<void> {
    await this.retryBusy(() => this.db.exec('begin immediate'));
  }

  private async retryBusy<T>(fn: () => T): Promise<T> {
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
  /** FIFO: each waiter chains on the previous one, so nobody starves. */
  async lock(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.#release = release;
  }
  unlock(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}
