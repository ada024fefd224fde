/**
 * Claiming a customer's coupon: exactly one code per customer and pool, ever, whatever the
 * retries, duplicate events and instances. One transaction does it:
 *
 * 1. the code the customer already holds, if any, is the answer (a retry, a second trigger);
 * 2. otherwise the oldest free code is taken for them in one statement:
 *    `UPDATE coupons SET customer = ? WHERE code = (SELECT code … WHERE customer IS NULL
 *    ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED) AND customer IS NULL RETURNING code`.
 *
 * Why this is exact:
 * - the unique index on (pool, customer) makes a second code for the same customer impossible
 *   to commit: when two instances claim for one customer at once, PostgreSQL holds the second
 *   UPDATE until the first commits, then fails it with a unique violation, and the loser reads
 *   the winner's code (SQLite serialises them: the store's transactions begin IMMEDIATE, and
 *   the second finds the first's code in step 1);
 * - `FOR UPDATE SKIP LOCKED` (PostgreSQL) lets claims for different customers take different
 *   free codes instead of queueing on the same row; the outer `customer IS NULL` re-checks the
 *   row after any wait, so a code can never pass to a second holder;
 * - everything happens in the database, in one transaction: a crash, a timeout or a lost
 *   connection either committed the claim (the same code comes back next time) or nothing.
 *   Nothing is ever claimed "in memory" first, so an outage can only fail closed.
 */
import type { Transaction } from 'kysely';
import { freeCount, ledgerDb, type CouponLedger } from './ledger.js';
import type { CouponTables } from './schema.js';

/** Who a code is claimed for, and where (recorded with it; no personal data). */
export interface ClaimRequest {
  /** The holder: an external_userid, or a robot's userid. */
  customer: string;
  /** The trigger (`customer-add`, `first-message`, …) or `command`. */
  via: string;
  chat?: string;
}

/** `fresh`: taken by this call (false: the customer already held it). */
export type ClaimResult = { kind: 'issued'; code: string; seq: number; fresh: boolean } | { kind: 'empty' };

const ATTEMPTS = 5;

/** A unique-index violation, as pg (23505) and better-sqlite3 (SQLITE_CONSTRAINT_UNIQUE) report it. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  }
  return false;
}

async function held(trx: Transaction<CouponTables>, ledger: CouponLedger, customer: string): Promise<ClaimResult | undefined> {
  const row = await trx
    .selectFrom(ledger.t.coupons)
    .select(['code', 'seq'])
    .where('pool', '=', ledger.pool)
    .where('customer', '=', customer)
    .executeTakeFirst();
  return row ? { kind: 'issued', code: row.code, seq: Number(row.seq), fresh: false } : undefined;
}

async function takeFree(trx: Transaction<CouponTables>, ledger: CouponLedger, request: ClaimRequest): Promise<ClaimResult | undefined> {
  const { t, pool } = ledger;
  let oldestFree = trx.selectFrom(t.coupons).select('code').where('pool', '=', pool).where('customer', 'is', null).orderBy('seq').limit(1);
  if (ledger.store.sqlDialect === 'postgres') oldestFree = oldestFree.forUpdate().skipLocked();
  const row = await trx
    .updateTable(t.coupons)
    .set({ customer: request.customer, claimed_at: ledger.now(), via: request.via, chat: request.chat ?? null })
    .where('code', '=', oldestFree)
    .where('customer', 'is', null)
    .returning(['code', 'seq'])
    .executeTakeFirst();
  return row ? { kind: 'issued', code: row.code, seq: Number(row.seq), fresh: true } : undefined;
}

/**
 * The customer's code: the one they hold, or the oldest free one, now theirs.
 *
 * @example
 * const r = await claimCoupon(ledger, { customer: 'wmAbc', via: 'customer-add' });
 * if (r.kind === 'issued') text = `你的新人券：${r.code}`;
 * @throws whatever the store throws (the caller fails closed: no code is shown)
 */
export async function claimCoupon(ledger: CouponLedger, request: ClaimRequest): Promise<ClaimResult> {
  const db = ledgerDb(ledger);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const result = await db.transaction().execute(async (trx) => {
        const mine = await held(trx, ledger, request.customer);
        if (mine) return mine;
        const taken = await takeFree(trx, ledger, request);
        if (taken) return taken;
        // Nothing taken: the pool is empty, or every free code we saw was just taken (retry).
        return (await freeCount(ledger, trx)) === 0 ? ({ kind: 'empty' } as const) : undefined;
      });
      if (result) return result;
    } catch (err) {
      // Another claim for this customer committed first: the next attempt reads its code.
      if (!isUniqueViolation(err) || attempt === ATTEMPTS) throw err;
    }
  }
  const last = await db.transaction().execute((trx) => held(trx, ledger, request.customer));
  if (last) return last;
  throw new Error(`coupon claim for pool ${ledger.pool} lost ${ATTEMPTS} races in a row`);
}

/** The code `customer` holds in the pool, if any (no claim). */
export async function heldCoupon(ledger: CouponLedger, customer: string): Promise<{ code: string; seq: number } | undefined> {
  const row = await ledgerDb(ledger)
    .selectFrom(ledger.t.coupons)
    .select(['code', 'seq'])
    .where('pool', '=', ledger.pool)
    .where('customer', '=', customer)
    .executeTakeFirst();
  return row ? { code: row.code, seq: Number(row.seq) } : undefined;
}
