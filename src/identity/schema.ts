/**
 * The identity tables, under the store's namespace (`wecombot_identity`, …), created through
 * `store.migrate`. Applied migrations are never edited: a change is a new one at the end.
 */
import type { Kysely } from 'kysely';
import type { AnyTables, Migration } from '../store/store.js';

/** The strong keys name one customer; a mobile may be shared or mistyped (see identities.ts). */
export type IdentityKeyKind = 'external_userid' | 'unionid' | 'mobile';

export interface IdentityTables {
  /** One customer. `merged_into` points at the identity that absorbed this one. Times: epoch ms. */
  identity: { id: string; created_at: number; updated_at: number; merged_into: string | null };
  /** Each key value belongs to one identity (primary key kind + value). */
  identity_key: { kind: IdentityKeyKind; value: string; identity_id: string; created_at: number };
  /** The staff members (userids) who have the customer among their contacts. */
  identity_staff: { identity_id: string; user_id: string; created_at: number };
}

export type IdentityTableNames = { [K in keyof IdentityTables]: K };

/** Real (namespaced) table names, typed as the logical ones (as the store's own tables are). */
export function identityTableNames(namespace: string): IdentityTableNames {
  const name = <K extends keyof IdentityTables>(k: K) => `${namespace}_${k}` as K;
  return { identity: name('identity'), identity_key: name('identity_key'), identity_staff: name('identity_staff') };
}

/** The migrations of the identity tables, recorded as `identity/<n>`. */
export function identityMigrations(namespace: string): Migration[] {
  const t = identityTableNames(namespace);
  return [
    {
      name: 'identity/1_tables',
      async up(db: Kysely<AnyTables>) {
        await db.schema
          .createTable(t.identity)
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('merged_into', 'text')
          .execute();
        await db.schema
          .createTable(t.identity_key)
          .ifNotExists()
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('identity_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${t.identity_key}_pk`, ['kind', 'value'])
          .execute();
        await db.schema.createIndex(`${t.identity_key}_identity`).ifNotExists().on(t.identity_key).column('identity_id').execute();
        await db.schema
          .createTable(t.identity_staff)
          .ifNotExists()
          .addColumn('identity_id', 'text', (c) => c.notNull())
          .addColumn('user_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${t.identity_staff}_pk`, ['identity_id', 'user_id'])
          .execute();
        await db.schema.createIndex(`${t.identity}_merged`).ifNotExists().on(t.identity).column('merged_into').execute();
      },
    },
  ];
}
