/**
 * The coupon ledger of a store outside the bot (the CLI, tests, the emulator): the welcome
 * module's migrations applied as the module applies them (`welcome/<name>`, recorded once per
 * store), and its table names.
 */
import { moduleTable } from '../../../bot/module.js';
import type { Store } from '../../../store/store.js';
import { couponLedger, type CouponLedger } from './ledger.js';
import { couponMigrations } from './schema.js';

/** The module's name, which prefixes its tables and migrations. */
export const WELCOME_MODULE = 'welcome';

/**
 * Opens `pool` of the welcome bot in `store`, creating the tables when they do not exist yet.
 *
 * @example const ledger = await openCouponLedger(await openStoreFromEnv(), 'default');
 */
export async function openCouponLedger(store: Store, pool: string, now: () => number = Date.now): Promise<CouponLedger> {
  const table = (name: string) => moduleTable(store.namespace, WELCOME_MODULE, name);
  const sql = { dialect: store.sqlDialect };
  await store.migrate(couponMigrations.map((m) => ({ name: `${WELCOME_MODULE}/${m.name}`, up: (db) => m.up(db, table, sql) })));
  return couponLedger(store, table, pool, now);
}
