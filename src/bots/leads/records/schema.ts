/**
 * The leads tables. Times are epoch ms (`bigint`: PostgreSQL hands them back as strings,
 * rows.ts turns them into numbers). A repeat (same phone within the window) is a row of its
 * own with `repeat_of` set, so the unique (source, external_id) index de-duplicates replays of
 * repeats too; only originals are posted, assigned and escalated.
 */
import type { ModuleMigration } from '../../../bot/module.js';

export type LeadStatus = 'new' | 'claimed' | 'contacted' | 'won' | 'lost' | 'repeat';

export interface LeadRow {
  id: string;
  source: string;
  external_id: string;
  status: LeadStatus;
  /** The original's id when this is a repeat. */
  repeat_of: string | null;
  repeat_count: number;
  last_repeat_at: number | null;
  name: string;
  /** E.164; null when the phone did not parse (then `phone_flag` says why). */
  phone: string | null;
  phone_raw: string;
  phone_flag: string | null;
  region: string | null;
  product: string | null;
  channel: string | null;
  /** JSON of the answers (personal data). */
  answers: string;
  /** JSON of the delivered item (personal data). */
  raw: string;
  /** Who is @-mentioned now: the assigned rep, then the backup, then the manager. */
  rep: string | null;
  /** The assigned rep (never changed by escalation). */
  assigned_to: string | null;
  assign_reason: string | null;
  /** 0: the assigned rep; 1: the backup; 2: the manager. */
  escalation_level: number;
  escalate_at: number | null;
  claimed_by: string | null;
  claimed_at: number | null;
  posted_at: number | null;
  /** A post in progress holds the lead until then (so two instances never both post). */
  post_claimed_until: number | null;
  post_attempts: number;
  created_at: number;
  updated_at: number;
}

export interface AuditRow {
  id: string;
  lead_id: string;
  at: number;
  /** A userid, `system` (the intake, a job) or `cli`. */
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string | null;
  /** JSON without personal data. */
  detail: string;
}

/** The phone → lead index of the repeat window. */
export interface PhoneRow {
  phone: string;
  lead_id: string;
  until: number;
}

/** Rotation state: when each rep was last given a lead (the global sequence number). */
export interface RepRow {
  user_id: string;
  last_seq: number;
}

/** One row (`id = 'rr'`): the sequence counter, and the lock that serializes assignments. */
export interface RotationRow {
  id: string;
  seq: number;
}

export interface LeadTables {
  leads: LeadRow;
  audit: AuditRow;
  phones: PhoneRow;
  reps: RepRow;
  rotation: RotationRow;
}

export type LeadTableNames = { [K in keyof LeadTables]: K };

export function leadTableNames(table: (name: string) => string): LeadTableNames {
  const name = <K extends keyof LeadTables>(k: K) => table(k) as K;
  return { leads: name('leads'), audit: name('audit'), phones: name('phones'), reps: name('reps'), rotation: name('rotation') };
}

/** Applied ones are never edited: a change is a new migration at the end. */
export const leadMigrations: readonly ModuleMigration[] = [
  {
    name: '1-tables',
    async up(db, table) {
      await db.schema
        .createTable(table('leads'))
        .ifNotExists()
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('source', 'varchar(32)', (c) => c.notNull())
        .addColumn('external_id', 'varchar(160)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('repeat_of', 'varchar(32)')
        .addColumn('repeat_count', 'integer', (c) => c.notNull())
        .addColumn('last_repeat_at', 'bigint')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'varchar(32)')
        .addColumn('phone_raw', 'text', (c) => c.notNull())
        .addColumn('phone_flag', 'varchar(16)')
        .addColumn('region', 'text')
        .addColumn('product', 'text')
        .addColumn('channel', 'text')
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('rep', 'varchar(128)')
        .addColumn('assigned_to', 'varchar(128)')
        .addColumn('assign_reason', 'text')
        .addColumn('escalation_level', 'integer', (c) => c.notNull())
        .addColumn('escalate_at', 'bigint')
        .addColumn('claimed_by', 'varchar(128)')
        .addColumn('claimed_at', 'bigint')
        .addColumn('posted_at', 'bigint')
        .addColumn('post_claimed_until', 'bigint')
        .addColumn('post_attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex(`${table('leads')}_ext`)
        .ifNotExists()
        .unique()
        .on(table('leads'))
        .columns(['source', 'external_id'])
        .execute();
      await db.schema
        .createIndex(`${table('leads')}_due`)
        .ifNotExists()
        .on(table('leads'))
        .columns(['status', 'escalate_at'])
        .execute();
      await db.schema
        .createIndex(`${table('leads')}_created`)
        .ifNotExists()
        .on(table('leads'))
        .columns(['created_at'])
        .execute();
      await db.schema
        .createTable(table('audit'))
        .ifNotExists()
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('lead_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'varchar(128)', (c) => c.notNull())
        .addColumn('action', 'varchar(32)', (c) => c.notNull())
        .addColumn('from_status', 'varchar(16)')
        .addColumn('to_status', 'varchar(16)')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex(`${table('audit')}_lead`)
        .ifNotExists()
        .on(table('audit'))
        .columns(['lead_id', 'at'])
        .execute();
      await db.schema
        .createTable(table('phones'))
        .ifNotExists()
        .addColumn('phone', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('lead_id', 'varchar(32)', (c) => c.notNull())
        .addColumn('until', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable(table('reps'))
        .ifNotExists()
        .addColumn('user_id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable(table('rotation'))
        .ifNotExists()
        .addColumn('id', 'varchar(8)', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];
