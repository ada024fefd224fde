/** What `wecombot welcome coupons status|export` show: counts of a pool, and its rows. */
import { ledgerDb, toPool, type CouponLedger } from './ledger.js';
import { storedThresholds } from './stock-level.js';

export interface PoolStatus {
  pool: string;
  total: number;
  issued: number;
  free: number;
  /** The thresholds the bot alerts at (as it last wrote them), and the lowest alerted since a refill. */
  alertAt: number[];
  alertedLevel: number | null;
  /** Epoch ms of the latest claim, if any. */
  lastClaimAt: number | null;
  batches: { batch: string; total: number; issued: number }[];
}

/** The counts of the ledger's pool (a pool never imported is all zeros). */
export async function poolStatus(ledger: CouponLedger): Promise<PoolStatus> {
  const db = ledgerDb(ledger);
  const batches = await db
    .selectFrom(ledger.t.coupons)
    .select((eb) => [
      'batch',
      eb.fn.countAll<number>().as('total'),
      eb.fn.count<number>('customer').as('issued'),
      eb.fn.max('claimed_at').as('last'),
    ])
    .where('pool', '=', ledger.pool)
    .groupBy('batch')
    .orderBy('batch')
    .execute();
  const pool = await db.selectFrom(ledger.t.pools).selectAll().where('name', '=', ledger.pool).executeTakeFirst();
  const total = batches.reduce((n, b) => n + Number(b.total), 0);
  const issued = batches.reduce((n, b) => n + Number(b.issued), 0);
  const claims = batches.map((b) => (b.last === null ? null : Number(b.last))).filter((n): n is number => n !== null);
  return {
    pool: ledger.pool,
    total,
    issued,
    free: total - issued,
    alertAt: storedThresholds(pool?.alert_at ?? null),
    alertedLevel: pool ? toPool(pool).alerted_level : null,
    lastClaimAt: claims.length ? Math.max(...claims) : null,
    batches: batches.map((b) => ({ batch: b.batch, total: Number(b.total), issued: Number(b.issued) })),
  };
}

export interface ExportedCoupon {
  code: string;
  seq: number;
  batch: string;
  customer: string | null;
  claimedAt: number | null;
  via: string | null;
  chat: string | null;
}

/** The pool's codes in import order: `issued`, `free` or `all`. */
export async function exportCoupons(ledger: CouponLedger, which: 'all' | 'issued' | 'free' = 'all'): Promise<ExportedCoupon[]> {
  let query = ledgerDb(ledger).selectFrom(ledger.t.coupons).selectAll().where('pool', '=', ledger.pool).orderBy('seq');
  if (which === 'issued') query = query.where('customer', 'is not', null);
  if (which === 'free') query = query.where('customer', 'is', null);
  const rows = await query.execute();
  return rows.map((r) => ({
    code: r.code,
    seq: Number(r.seq),
    batch: r.batch,
    customer: r.customer,
    claimedAt: r.claimed_at === null ? null : Number(r.claimed_at),
    via: r.via,
    chat: r.chat,
  }));
}
