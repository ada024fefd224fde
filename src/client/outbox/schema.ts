import type { Generated, Kysely } from 'kysely';
import type { ErrorCode } from '../../error-codes.js';
import type { Migration, SqlDialect, AnyTables } from '../../store/store.js';
import { splitLegacyError, storedCode } from './stored-error.js';

/** Row states: `pending` until delivered or given up. */
export type OutboxStatus = 'pending' | 'delivered' | 'failed';

/**
 * One message to one robot (a long text split in parts is one row per part). `target_url`
 * holds the webhook URL including its key: the outbox table is as secret as the keys.
 * Times are epoch milliseconds.
 */
export interface OutboxRow {
  id: number;
  batch: string;
  part: number;
  robot_id: string;
  target_url: string;
  label: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  not_before: number;
  created_at: number;
  delivered_at: number | null;
  errcode: number | null;
  /** The code of the last delivery error (see `ErrorCode`); null until a round fails. */
  last_error_code: ErrorCode | null;
  /** Its message, redacted like every error message. */
  last_error_message: string | null;
}

export interface OutboxTables {
  outbox: Omit<OutboxRow, 'id'> & { id: Generated<number> };
}

/** The real (namespaced) table name, typed as the logical one. */
export function outboxTable(namespace: string): 'outbox' {
  return `${namespace}_webhook_outbox` as 'outbox';
}

/**
 * The outbox table's migrations, applied once each through `store.migrate`. Applied ones are
 * never edited: a change of schema is a new migration at the end.
 */
export function outboxMigrations(namespace: string, dialect: SqlDialect): Migration[] {
  const table = outboxTable(namespace);
  return [
    {
      name: 'client_webhook_outbox_1',
      async up(db: Kysely<AnyTables>) {
        let create = db.schema.createTable(table).ifNotExists();
        create =
          dialect === 'postgres'
            ? create.addColumn('id', 'serial', (c) => c.primaryKey())
            : create.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
        await create
          .addColumn('batch', 'text', (c) => c.notNull())
          .addColumn('part', 'integer', (c) => c.notNull())
          .addColumn('robot_id', 'text', (c) => c.notNull())
          .addColumn('target_url', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'bigint')
          .addColumn('not_before', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('delivered_at', 'bigint')
          .addColumn('errcode', 'integer')
          .addColumn('last_error', 'text')
          .execute();
        await db.schema.createIndex(`${table}_status_id`).ifNotExists().on(table).columns(['status', 'id']).execute();
        await db.schema.createIndex(`${table}_batch`).ifNotExists().on(table).columns(['batch']).execute();
      },
    },
    {
      // The last error was one `code: message` string; programs need the code on its own.
      name: 'client_webhook_outbox_2',
      async up(db: Kysely<AnyTables>) {
        await db.schema.alterTable(table).addColumn('last_error_code', 'text').execute();
        await db.schema.alterTable(table).addColumn('last_error_message', 'text').execute();
        // Rows share few distinct errors: one update per distinct text, not per row.
        const old = await db.selectFrom(table).select('last_error').distinct().where('last_error', 'is not', null).execute();
        for (const { last_error } of old) {
          const { code, message } = splitLegacyError(String(last_error));
          await db
            .updateTable(table)
            .set({ last_error_code: code, last_error_message: message })
            .where('last_error', '=', last_error)
            .execute();
        }
        await db.schema.alterTable(table).dropColumn('last_error').execute();
      },
    },
  ];
}

/** PostgreSQL returns bigint columns as strings; normalise a row to numbers. */
export function normaliseRow(r: Omit<OutboxRow, 'id'> & { id: number }): OutboxRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...r,
    id: Number(r.id),
    part: Number(r.part),
    attempts: Number(r.attempts),
    lease_until: num(r.lease_until),
    not_before: Number(r.not_before),
    created_at: Number(r.created_at),
    delivered_at: num(r.delivered_at),
    errcode: num(r.errcode),
    last_error_code: r.last_error_code === null ? null : storedCode(r.last_error_code),
  };
}
