import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { Kysely } from 'kysely';
import { StoreConnectionError, StoreUnsupportedError } from '../errors.js';
import type { AnyTables } from '../store.js';
import { DATABASE_URL_VAR } from '../url.js';
import { internalSchema } from './internal-tables.js';
import { SqliteHandle, WecombotSqliteDialect } from './sqlite-dialect.js';
import type { SqlEngine } from './sql-engine.js';
import { int } from './queries.js';

/**
 * A SQLite engine. Nothing is loaded or opened until the first query, so a store whose SQL
 * part is never used (a Redis store in a send-only function, the memory driver) costs nothing.
 * `ready()` forces the open, which is how `openStore` reports a bad path at start-up.
 */
export function createSqliteEngine(file: string, namespace: string): SqlEngine {
  const open = async (): Promise<BetterSqlite3.Database> => {
    let Database: typeof BetterSqlite3;
    try {
      Database = (await import('better-sqlite3')).default;
    } catch (cause) {
      throw new StoreUnsupportedError('the SQLite driver needs the better-sqlite3 package, which is not installed', {
        hint: 'npm install better-sqlite3@12, or set WECOMBOT_DATABASE_URL=postgres://…',
        cause,
      });
    }
    const memory = file === ':memory:';
    let db: BetterSqlite3.Database;
    try {
      if (!memory) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      db = new Database(file);
    } catch (cause) {
      throw new StoreConnectionError(`${DATABASE_URL_VAR}: cannot open the SQLite file "${file}": ${(cause as Error).message}`, {
        hint: 'check that the directory exists or can be created and is writable (on SCF/Lambda only /tmp is writable)',
        cause,
      });
    }
    // WAL lets readers run while one process writes; NORMAL sync is safe with WAL (a power
    // cut may lose the last transactions, never corrupt the file), and much faster than FULL.
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Creating the internal tables takes the write lock briefly; wait (synchronously, this
    // runs once per process) if another process holds it.
    db.pragma('busy_timeout = 5000');
    db.transaction(() => {
      for (const query of internalSchema(kysely, namespace, 'sqlite')) db.exec(query.compile().sql);
    }).immediate();
    return db;
  };
  // `open` runs on the first query, after this assignment.
  const handle = new SqliteHandle(open);
  const kysely: Kysely<AnyTables> = new Kysely<AnyTables>({ dialect: new WecombotSqliteDialect(handle) });

  return {
    dialect: 'sqlite',
    kysely,
    // Every process on one SQLite file shares the machine's clock.
    now: () => int(Date.now()),
    nowInTransaction: async () => Date.now(),
    // The immediate transaction already holds the database's write lock.
    lockInTransaction: async () => {},
    value: (statement, params) => handle.value(statement, params),
    changes: (statement, params) => handle.changes(statement, params),
    ready: async () => {
      await handle.connect();
    },
    close: async () => {
      await kysely.destroy();
      // Kysely closes only a connection it opened itself; the hot statements may have opened it.
      handle.close();
    },
  };
}
