import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Pool as PgPool } from 'pg';
import { StoreConnectionError, StoreUnsupportedError } from '../errors.js';
import type { AnyTables } from '../store.js';
import { causeText, DATABASE_URL_VAR, scrubCause } from '../url.js';
import { internalSchema } from './internal-tables.js';
import type { SqlEngine } from './sql-engine.js';
import type { NowExpr } from './queries.js';

export interface PostgresEngineOptions {
  url: string;
  redacted: string;
  namespace: string;
  /** Pool size; small by default because serverless instances are many. */
  maxConnections?: number;
}

/** The server clock in epoch ms. Every instance reads the same clock, so leases and windows agree. */
const serverNow = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/**
 * A PostgreSQL engine over a `pg` pool. `pg` is imported here, and this module is itself
 * imported lazily by `openStore`, so a function that never opens a store never loads it.
 */
export async function createPostgresEngine(options: PostgresEngineOptions): Promise<SqlEngine> {
  let Pool: typeof PgPool;
  try {
    ({ Pool } = (await import('pg')).default);
  } catch (cause) {
    throw new StoreUnsupportedError('the PostgreSQL driver needs the pg package, which is not installed', {
      hint: 'npm install pg',
      cause,
    });
  }
  const pool: PgPool = new Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
    // Idle functions must not keep the event loop (and a Lambda invocation) alive.
    allowExitOnIdle: true,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', () => {});
  const kysely = new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool }) });
  const lockId = (key: string) => sql`hashtextextended(${`${options.namespace}:${key}`}, 0)`;

  const engine: SqlEngine = {
    dialect: 'postgres',
    kysely,
    now: (): NowExpr => serverNow,
    nowInTransaction: async (trx) => {
      const { rows } = await sql<{ now: string | number }>`select ${serverNow} as now`.execute(trx);
      return Number(rows[0]?.now);
    },
    lockInTransaction: async (trx, key) => {
      await sql`select pg_advisory_xact_lock(${lockId(key)})`.execute(trx);
    },
    // Precompiled text, sent as an unnamed parameterised query: no query building per call, and
    // no named prepared statements, which PgBouncer in transaction mode (common in front of
    // serverless functions) does not carry from one transaction to the next.
    value: async (statement, params) => {
      const result = await pool.query<unknown[]>({ text: statement.text, values: params as unknown[], rowMode: 'array' });
      return result.rows[0]?.[0];
    },
    changes: async (statement, params) => (await pool.query({ text: statement.text, values: params as unknown[] })).rowCount ?? 0,
    ready: async () => {
      try {
        // Cold starts are frequent on FaaS: one round trip when the tables exist (the migrations
        // table is created last, in the same transaction as the others).
        const probe = await sql<{
          present: boolean;
        }>`select to_regclass(${`"${options.namespace}_migrations"`}) is not null as present`.execute(kysely);
        if (probe.rows[0]?.present) return;
        await kysely.transaction().execute(async (trx) => {
          // Concurrent CREATE TABLE IF NOT EXISTS can collide in the catalog: serialize it.
          await engine.lockInTransaction(trx, '__schema');
          for (const query of internalSchema(trx, options.namespace)) await query.execute();
        });
      } catch (cause) {
        throw new StoreConnectionError(
          `${DATABASE_URL_VAR}: cannot use PostgreSQL at ${options.redacted}: ${causeText(cause, options.url)}`,
          {
            hint: 'check that the server runs and accepts this user, password and database (the error names what it refused)',
            cause: scrubCause(cause, options.url),
          },
        );
      }
    },
    close: () => kysely.destroy(),
  };
  return engine;
}
