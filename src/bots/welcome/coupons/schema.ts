/**
 * The coupon tables. `coupons` holds every code of every pool and who holds it; `pools` one
 * row per pool: its row is the pool's lock for imports and its memory of low-pool alerts.
 * Names are the module's own (`services.table('coupons')` → `wecombot_welcome_coupons`),
 * typed as the logical ones.
 *
 * The unique index on (pool, customer) is what makes "one code per customer, ever" hold even
 * when two instances claim for the same customer at once: the second claim cannot commit.
 * Times are epoch ms (`bigint`; PostgreSQL returns them as strings, rows.ts reads them).
 */
import type { Kysely } from 'kysely';
import type { ModuleMigration } from '../../../bot/module.js';
import type { AnyTables } from '../../../store/store.js';

export interface CouponRow {
  code: string;
  pool: string;
  /** Import order within the pool (1, 2, …): codes are handed out oldest first. */
  seq: number;
  /** Where the code came from: a file name, `pattern`, `cli:<file>`. */
  batch: string;
  imported_at: number;
  /** The holder: an external_userid or a robot userid; null while free. */
  customer: string | null;
  claimed_at: number | null;
  /** The trigger that issued it (`customer-add`, `first-message`, …). */
  via: string | null;
  /** The chat it was issued in, when there was one. */
  chat: string | null;
}

export interface PoolRow {
  name: string;
  /** A hash of the configured source (file contents or pattern and count) last synchronised. */
  source: string | null;
  /** JSON of the alert thresholds the bot runs with, for imports made by the CLI. */
  alert_at: string | null;
  /** The lowest threshold alerted since the pool was last above it; null: none. */
  alerted_level: number | null;
  /** The seq the next imported code gets. */
  next_seq: number;
  updated_at: number;
}

export interface CouponTables {
  coupons: CouponRow;
  pools: PoolRow;
}

export type CouponTableNames = { [K in keyof CouponTables]: K };

/** The real table names, typed as the logical ones. */
export function couponTableNames(table: (name: string) => string): CouponTableNames {
  return { coupons: table('coupons') as 'coupons', pools: table('pools') as 'pools' };
}

/** The tables' migrations. Applied ones are never edited: a change is a new one at the end. */
export const couponMigrations: readonly ModuleMigration[] = [
  {
    name: '1-coupons',
    async up(db: Kysely<AnyTables>, table) {
      await db.schema
        .createTable(table('coupons'))
        .ifNotExists()
        .addColumn('code', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('pool', 'varchar(64)', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('batch', 'varchar(160)', (c) => c.notNull())
        .addColumn('imported_at', 'bigint', (c) => c.notNull())
        .addColumn('customer', 'varchar(128)')
        .addColumn('claimed_at', 'bigint')
        .addColumn('via', 'varchar(32)')
        .addColumn('chat', 'varchar(128)')
        .execute();
      // NULLs are distinct in a unique index (both dialects): any number of free codes, one code per holder.
      await db.schema
        .createIndex(`${table('coupons')}_holder`)
        .ifNotExists()
        .unique()
        .on(table('coupons'))
        .columns(['pool', 'customer'])
        .execute();
      // The claim's "oldest free code of the pool" walks this index instead of sorting the pool.
      await db.schema
        .createIndex(`${table('coupons')}_free`)
        .ifNotExists()
        .on(table('coupons'))
        .columns(['pool', 'customer', 'seq'])
        .execute();
      await db.schema
        .createTable(table('pools'))
        .ifNotExists()
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('source', 'varchar(160)')
        .addColumn('alert_at', 'text')
        .addColumn('alerted_level', 'integer')
        .addColumn('next_seq', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
];
