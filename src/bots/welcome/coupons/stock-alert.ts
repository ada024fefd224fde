/**
 * The low-pool alert: pushed to the ops webhook once per threshold crossing. The pool's row
 * remembers the lowest level alerted; an alert is claimed by moving that level down with a
 * compare-and-set, so of several instances seeing the same crossing exactly one announces it.
 * A failed push puts the level back, so the next claim tries again.
 */
import type { Logger } from 'pino';
import { freeCount, ledgerDb, toPool, type CouponLedger } from './ledger.js';
import { stockLevel } from './stock-level.js';

export type Announce = (free: number, level: number) => Promise<void>;

/** Moves the alerted level from `from` to `to`; true when this call did it. */
async function moveLevel(ledger: CouponLedger, from: number | null, to: number | null): Promise<boolean> {
  let update = ledgerDb(ledger)
    .updateTable(ledger.t.pools)
    .set({ alerted_level: to, updated_at: ledger.now() })
    .where('name', '=', ledger.pool);
  update = from === null ? update.where('alerted_level', 'is', null) : update.where('alerted_level', '=', from);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Checks the pool against `thresholds` and announces a new crossing. Never throws: the
 * welcome it follows has gone out, and an alert is not worth failing it for.
 */
export async function checkStock(ledger: CouponLedger, thresholds: readonly number[], announce: Announce, log: Logger): Promise<void> {
  if (thresholds.length === 0) return;
  try {
    const free = await freeCount(ledger);
    const level = stockLevel(free, thresholds);
    if (level === null) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await ledgerDb(ledger).selectFrom(ledger.t.pools).selectAll().where('name', '=', ledger.pool).executeTakeFirst();
      const previous = row ? toPool(row).alerted_level : null;
      if (!row || (previous !== null && previous <= level)) return;
      if (!(await moveLevel(ledger, previous, level))) continue; // another instance moved it: look again
      try {
        await announce(free, level);
        log.warn({ pool: ledger.pool, free, threshold: level }, 'coupon pool low: alert sent');
      } catch (err) {
        log.error(
          { err, pool: ledger.pool, free, threshold: level },
          'coupon pool low, but the alert push failed; the next claim tries again',
        );
        await moveLevel(ledger, level, previous).catch(() => false);
      }
      return;
    }
  } catch (err) {
    log.error({ err, pool: ledger.pool }, 'coupon stock check failed');
  }
}

/** The alert's text (markdown): how many are left, which threshold, how to refill. */
export function stockAlertMarkdown(pool: string, free: number, level: number): string {
  const state = free === 0 ? '<font color="warning">已发完</font>' : `剩余 <font color="warning">${free}</font> 张`;
  return [
    `**新人券库存告警**`,
    `券池 \`${pool}\`：${state}（告警阈值 ${level}）`,
    `补充券码：\`wecombot welcome coupons import codes.csv --pool ${pool}\``,
  ].join('\n');
}
