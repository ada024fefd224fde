/**
 * The sign-up tables. Times are epoch ms (`bigint`: PostgreSQL hands them back as strings,
 * which rows.ts turns into numbers). Names are the module's own (`services.table('signups')`
 * → `wecombot_signup_signups`), typed as the logical ones.
 *
 * No column is auto-increment (its SQL differs between the dialects and a module's migration
 * does not see the dialect): sign-up numbers and event sequence numbers come from counters on
 * the activity row, advanced under its lock.
 */
import type { Kysely } from 'kysely';
import type { ModuleMigration } from '../../../bot/module.js';
import type { AnyTables } from '../../../store/store.js';

/** Where a sign-up stands. `offered`: promoted from the waitlist, waiting for the member's confirmation. */
export type SignupStatus = 'confirmed' | 'waitlisted' | 'offered' | 'cancelled' | 'declined' | 'expired';
/** The statuses that hold a seat. */
export const HOLDS_SEAT: readonly SignupStatus[] = ['confirmed', 'offered'];
/** The statuses of a member still in the activity (a second `报名` is a duplicate). */
export const ACTIVE: readonly SignupStatus[] = ['confirmed', 'offered', 'waitlisted'];

export interface ActivityRow {
  id: string;
  /** Chat-made activities: the n of `An`; null for config ones. */
  seq: number | null;
  chat_id: string | null;
  title: string;
  starts_at: number;
  capacity: number;
  deadline_at: number;
  cancel_by: number;
  /** JSON of SignupField[]. */
  fields: string;
  offer_ms: number;
  status: 'open' | 'closed';
  source: 'chat' | 'config';
  created_by: string;
  created_at: number;
  /** The number the next sign-up gets. */
  next_number: number;
  /** The next sequence number of an audit entry or notice of this activity. */
  next_event: number;
  /**
   * The chat's webhook URL as its last callback carried it, for announcements from jobs. It
   * includes the robot's key: this table is as secret as the keys.
   */
  webhook_url: string | null;
}

export interface SignupRow {
  activity_id: string;
  user_id: string;
  /** Arrival order within the activity: 1, 2, … (a new one after a cancellation and re-sign-up). */
  number: number;
  status: SignupStatus;
  party: number;
  /** The name shown on the roster (masked there): the name field, else the WeCom display name. */
  name: string;
  /** JSON of the answers by field key; holds personal data (phone). */
  answers: string;
  offer_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface AuditRow {
  activity_id: string;
  seq: number;
  at: number;
  /** Who caused it: a userid, or `system` (a job). */
  actor: string;
  /** The member concerned, when there is one. */
  user_id: string | null;
  action: string;
  from_status: string | null;
  to_status: string | null;
  /** JSON without personal data (number, party, reason). */
  detail: string;
}

/** An announcement to deliver into the activity's chat (a promotion, a reminder), at least once. */
export interface NoticeRow {
  activity_id: string;
  seq: number;
  kind: 'offer' | 'reminder' | 'confirmed';
  user_id: string | null;
  /** JSON of { markdown, buttons?, mention? }. */
  body: string;
  created_at: number;
  delivered_at: number | null;
  attempts: number;
  /** A delivery in progress holds the notice until then. */
  claimed_until: number | null;
}

/** Reminders already claimed: one row per (activity, lead time), so each is sent once. */
export interface ReminderRow {
  activity_id: string;
  lead_ms: number;
  sent_at: number;
}

export interface SignupTables {
  activities: ActivityRow;
  signups: SignupRow;
  audit: AuditRow;
  notices: NoticeRow;
  reminders: ReminderRow;
}

export type SignupTableNames = { [K in keyof SignupTables]: K };

/** The real table names, typed as the logical ones. */
export function signupTableNames(table: (name: string) => string): SignupTableNames {
  const name = <K extends keyof SignupTables>(k: K) => table(k) as K;
  return {
    activities: name('activities'),
    signups: name('signups'),
    audit: name('audit'),
    notices: name('notices'),
    reminders: name('reminders'),
  };
}

/** The tables' migrations. Applied ones are never edited: a change is a new one at the end. */
export const signupMigrations: readonly ModuleMigration[] = [
  {
    name: '1-tables',
    async up(db: Kysely<AnyTables>, table) {
      await db.schema
        .createTable(table('activities'))
        .ifNotExists()
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('seq', 'integer')
        .addColumn('chat_id', 'varchar(128)')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'bigint', (c) => c.notNull())
        .addColumn('capacity', 'integer', (c) => c.notNull())
        .addColumn('deadline_at', 'bigint', (c) => c.notNull())
        .addColumn('cancel_by', 'bigint', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('offer_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('source', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('next_number', 'integer', (c) => c.notNull())
        .addColumn('next_event', 'integer', (c) => c.notNull())
        .addColumn('webhook_url', 'text')
        .execute();
      await db.schema
        .createIndex(`${table('activities')}_chat`)
        .ifNotExists()
        .on(table('activities'))
        .columns(['chat_id', 'status'])
        .execute();
      await db.schema
        .createTable(table('signups'))
        .ifNotExists()
        .addColumn('activity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('party', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('offer_until', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table('signups')}_pk`, ['activity_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex(`${table('signups')}_number`)
        .ifNotExists()
        .unique()
        .on(table('signups'))
        .columns(['activity_id', 'number'])
        .execute();
      await db.schema
        .createIndex(`${table('signups')}_status`)
        .ifNotExists()
        .on(table('signups'))
        .columns(['status', 'offer_until'])
        .execute();
      await db.schema
        .createTable(table('audit'))
        .ifNotExists()
        .addColumn('activity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'varchar(128)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(128)')
        .addColumn('action', 'varchar(32)', (c) => c.notNull())
        .addColumn('from_status', 'varchar(16)')
        .addColumn('to_status', 'varchar(16)')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table('audit')}_pk`, ['activity_id', 'seq'])
        .execute();
      await db.schema
        .createTable(table('notices'))
        .ifNotExists()
        .addColumn('activity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('user_id', 'varchar(128)')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('delivered_at', 'bigint')
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('claimed_until', 'bigint')
        .addPrimaryKeyConstraint(`${table('notices')}_pk`, ['activity_id', 'seq'])
        .execute();
      await db.schema
        .createIndex(`${table('notices')}_pending`)
        .ifNotExists()
        .on(table('notices'))
        .columns(['delivered_at', 'claimed_until'])
        .execute();
      await db.schema
        .createTable(table('reminders'))
        .ifNotExists()
        .addColumn('activity_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('lead_ms', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table('reminders')}_pk`, ['activity_id', 'lead_ms'])
        .execute();
    },
  },
];
