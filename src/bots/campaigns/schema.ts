/**
 * The campaign tables. A run is one firing of one campaign; a delivery is what that run decided
 * for one subject (member or customer) and where it stands. Deliveries of every campaign are
 * the frequency-cap ledger: a cap counts the offers planned or sent to a subject in any 24 h and
 * 7 days, whatever the campaign. Planning takes the `guard` row's lock, so two instances planning
 * two campaigns at the same minute decide one after the other and never both give a subject
 * its last allowed offer.
 */
import type { Kysely } from 'kysely';
import type { ModuleMigration } from '../../bot/module.js';
import type { AnyTables } from '../../store/store.js';

export type RunStatus = 'deferred' | 'sending' | 'done';

export interface RunRow {
  /** `<campaign>@<fire time ISO>`. */
  id: string;
  campaign: string;
  fired_at: number;
  status: RunStatus;
  /** Recipients matched by a rule (including capped and opted out). */
  matched: number;
  created_at: number;
  updated_at: number;
}

/**
 * - `planned`: will be sent; counts toward the cap;
 * - `enqueuing`: being written to the outbox (a crash here is reconciled against the outbox);
 * - `queued`: in the webhook outbox (row `outbox_id`), or handed to add_msg_template;
 * - `sent` / `failed` (with `errcode`): settled;
 * - `capped`, `opted_out`, `unreachable` (no group seen, no corp route): not sent, by a guardrail.
 */
export type DeliveryStatus = 'planned' | 'enqueuing' | 'queued' | 'sent' | 'failed' | 'capped' | 'opted_out' | 'unreachable';

export interface DeliveryRow {
  run_id: string;
  subject: string;
  campaign: string;
  /** 1-based index of the rule that matched. */
  rule: number;
  channel: 'group' | 'corp' | 'none';
  chat_id: string | null;
  /** The group's webhook (holds the robot's key: this table is as secret as the keys). */
  webhook_url: string | null;
  /** The staff member sending through add_msg_template. */
  sender: string | null;
  /** JSON of the webhook message, or of { text } for the corp channel. */
  body: string;
  status: DeliveryStatus;
  /** Why it was not sent, for capped/opted_out/unreachable/failed. */
  reason: string | null;
  errcode: number | null;
  outbox_id: number | null;
  decided_at: number;
  /** When the enqueue began. */
  enqueued_at: number | null;
  /** The outbox's highest id when the enqueue began: after a crash, the outbox is searched above it. */
  outbox_floor: number | null;
  /** Which process is enqueuing it (a random id), so two never enqueue one delivery. */
  claim: string | null;
  settled_at: number | null;
}

export interface OptOutRow {
  subject: string;
  at: number;
  /** The word said (`退订`), or `cli`. */
  via: string;
}

export interface GuardRow {
  id: string;
  seq: number;
}

export interface CampaignTables {
  runs: RunRow;
  deliveries: DeliveryRow;
  optouts: OptOutRow;
  guard: GuardRow;
}

export type CampaignTableNames = { [K in keyof CampaignTables]: K };

export function campaignTableNames(table: (name: string) => string): CampaignTableNames {
  const name = <K extends keyof CampaignTables>(k: K) => table(k) as K;
  return { runs: name('runs'), deliveries: name('deliveries'), optouts: name('optouts'), guard: name('guard') };
}

export const campaignMigrations: readonly ModuleMigration[] = [
  {
    name: '1-tables',
    async up(db: Kysely<AnyTables>, table) {
      await db.schema
        .createTable(table('runs'))
        .ifNotExists()
        .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('campaign', 'varchar(64)', (c) => c.notNull())
        .addColumn('fired_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('matched', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex(`${table('runs')}_campaign`)
        .ifNotExists()
        .on(table('runs'))
        .columns(['campaign', 'fired_at'])
        .execute();
      await db.schema
        .createTable(table('deliveries'))
        .ifNotExists()
        .addColumn('run_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('subject', 'varchar(128)', (c) => c.notNull())
        .addColumn('campaign', 'varchar(64)', (c) => c.notNull())
        .addColumn('rule', 'integer', (c) => c.notNull())
        .addColumn('channel', 'varchar(8)', (c) => c.notNull())
        .addColumn('chat_id', 'varchar(128)')
        .addColumn('webhook_url', 'text')
        .addColumn('sender', 'varchar(128)')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('errcode', 'integer')
        .addColumn('outbox_id', 'bigint')
        .addColumn('decided_at', 'bigint', (c) => c.notNull())
        .addColumn('enqueued_at', 'bigint')
        .addColumn('outbox_floor', 'bigint')
        .addColumn('claim', 'varchar(40)')
        .addColumn('settled_at', 'bigint')
        .addPrimaryKeyConstraint(`${table('deliveries')}_pk`, ['run_id', 'subject'])
        .execute();
      await db.schema
        .createIndex(`${table('deliveries')}_cap`)
        .ifNotExists()
        .on(table('deliveries'))
        .columns(['subject', 'decided_at'])
        .execute();
      await db.schema
        .createIndex(`${table('deliveries')}_status`)
        .ifNotExists()
        .on(table('deliveries'))
        .columns(['run_id', 'status'])
        .execute();
      await db.schema
        .createTable(table('optouts'))
        .ifNotExists()
        .addColumn('subject', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('via', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable(table('guard'))
        .ifNotExists()
        .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .execute();
    },
  },
];
