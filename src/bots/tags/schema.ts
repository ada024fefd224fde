/**
 * The tag tables. Times are epoch ms (`bigint`: PostgreSQL hands them back as strings, which
 * the book turns into numbers). A subject is whoever carries tags: a corp member (userid) or a
 * corp customer (external userid, wm…/wo…). Tag names are unique across groups, so a segment
 * can say `VIP and 上海` without naming groups.
 */
import type { Kysely } from 'kysely';
import type { ModuleMigration } from '../../bot/module.js';
import type { AnyTables } from '../../store/store.js';

export interface TagGroupRow {
  name: string;
  /** The corp tag group id once synced (`et…`), else null. */
  corp_id: string | null;
  created_at: number;
}

export interface TagRow {
  name: string;
  group_name: string;
  /** The corp tag id once synced, else null. */
  corp_id: string | null;
  created_at: number;
}

export interface SubjectRow {
  id: string;
  kind: 'member' | 'customer';
  /** The display name last seen (a chat message, a CSV import, the corp API). */
  name: string | null;
  /** For a customer: the staff member who follows them (mark_tag and add_msg_template need one). */
  owner: string | null;
  updated_at: number;
}

export interface SubjectTagRow {
  subject: string;
  tag: string;
  added_at: number;
  /** Who or which rule: a userid, `rule:<name>`, `cli`, `csv`, `corp`. */
  added_by: string;
}

/** Where a member has been seen: the groups a campaign reaches them in. */
export interface PresenceRow {
  subject: string;
  chat_id: string;
  /** The chat's webhook as its last callback carried it. It holds the robot's key: this table is as secret as the keys. */
  webhook_url: string;
  last_seen: number;
}

export interface TagAuditRow {
  id: string;
  at: number;
  subject: string;
  tag: string;
  action: 'add' | 'remove';
  /** A userid, `rule:<name>`, `cli`, `csv` or `corp`. */
  actor: string;
  /** `chat`, `keyword`, `behaviour`, `cli`, `csv`, `corp`. */
  via: string;
}

export interface TagTables {
  groups: TagGroupRow;
  tags: TagRow;
  subjects: SubjectRow;
  subject_tags: SubjectTagRow;
  presence: PresenceRow;
  audit: TagAuditRow;
}

export type TagTableNames = { [K in keyof TagTables]: K };

/** The real table names, typed as the logical ones. */
export function tagTableNames(table: (name: string) => string): TagTableNames {
  const name = <K extends keyof TagTables>(k: K) => table(k) as K;
  return {
    groups: name('groups'),
    tags: name('tags'),
    subjects: name('subjects'),
    subject_tags: name('subject_tags'),
    presence: name('presence'),
    audit: name('audit'),
  };
}

export const tagMigrations: readonly ModuleMigration[] = [
  {
    name: '1-tables',
    async up(db: Kysely<AnyTables>, table) {
      await db.schema
        .createTable(table('groups'))
        .ifNotExists()
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('corp_id', 'varchar(128)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable(table('tags'))
        .ifNotExists()
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('group_name', 'varchar(64)', (c) => c.notNull())
        .addColumn('corp_id', 'varchar(128)')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable(table('subjects'))
        .ifNotExists()
        .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)')
        .addColumn('owner', 'varchar(128)')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex(`${table('subjects')}_name`)
        .ifNotExists()
        .on(table('subjects'))
        .column('name')
        .execute();
      await db.schema
        .createTable(table('subject_tags'))
        .ifNotExists()
        .addColumn('subject', 'varchar(128)', (c) => c.notNull())
        .addColumn('tag', 'varchar(64)', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('added_by', 'varchar(160)', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table('subject_tags')}_pk`, ['subject', 'tag'])
        .execute();
      await db.schema
        .createIndex(`${table('subject_tags')}_tag`)
        .ifNotExists()
        .on(table('subject_tags'))
        .column('tag')
        .execute();
      await db.schema
        .createTable(table('presence'))
        .ifNotExists()
        .addColumn('subject', 'varchar(128)', (c) => c.notNull())
        .addColumn('chat_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('webhook_url', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint(`${table('presence')}_pk`, ['subject', 'chat_id'])
        .execute();
      await db.schema
        .createTable(table('audit'))
        .ifNotExists()
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('subject', 'varchar(128)', (c) => c.notNull())
        .addColumn('tag', 'varchar(64)', (c) => c.notNull())
        .addColumn('action', 'varchar(8)', (c) => c.notNull())
        .addColumn('actor', 'varchar(160)', (c) => c.notNull())
        .addColumn('via', 'varchar(16)', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex(`${table('audit')}_subject`)
        .ifNotExists()
        .on(table('audit'))
        .columns(['subject', 'at'])
        .execute();
    },
  },
];
