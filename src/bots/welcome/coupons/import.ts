/**
 * Putting codes into a pool: from a file's codes, or generated from a pattern. Both run under
 * the pool's lock (ledger.ts) in one transaction: a failure imports nothing. A code already in
 * the pool, or in another pool, is skipped and counted (importing the same file twice adds
 * nothing), never given a second row.
 */
import type { Transaction } from 'kysely';
import { freeCount, withPoolLock, type CouponLedger } from './ledger.js';
import { capacityProblem, generateCode, type CodePattern } from './pattern.js';
import type { CouponTables, PoolRow } from './schema.js';
import { stockLevel, storedThresholds } from './stock-level.js';

/** How an import went. */
export interface ImportResult {
  /** Codes added to the pool. */
  added: number;
  /** Codes that were already there (in this or another pool). */
  skipped: number;
  /** Free codes of the pool afterwards. */
  free: number;
}

const CHUNK = 500;

async function insertChunk(
  trx: Transaction<CouponTables>,
  ledger: CouponLedger,
  codes: readonly string[],
  batch: string,
  firstSeq: number,
): Promise<number> {
  const now = ledger.now();
  const rows = codes.map((code, i) => ({
    code,
    pool: ledger.pool,
    seq: firstSeq + i,
    batch,
    imported_at: now,
    customer: null,
    claimed_at: null,
    via: null,
    chat: null,
  }));
  const result = await trx
    .insertInto(ledger.t.coupons)
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The alerted level after a refill. Thresholds the pool rose above may alert again when it
 * falls back (a new crossing); those it is still under stay alerted (it never left them). A
 * pool never alerted stays so: its first fall to a threshold is announced.
 *
 * @example refilledLevel(0, 4, [2, 0]) // null: above both, each may alert again
 * @example refilledLevel(5, 3, [5]) // 5: still under it
 */
export function refilledLevel(alerted: number | null, free: number, thresholds: readonly number[]): number | null {
  const level = stockLevel(free, thresholds);
  return alerted === null || level === null ? null : Math.max(alerted, level);
}

async function finish(
  trx: Transaction<CouponTables>,
  ledger: CouponLedger,
  pool: PoolRow,
  nextSeq: number,
  extra: Partial<PoolRow> = {},
): Promise<number> {
  const free = await freeCount(ledger, trx);
  const level = refilledLevel(pool.alerted_level, free, storedThresholds(extra.alert_at ?? pool.alert_at));
  await trx
    .updateTable(ledger.t.pools)
    .set({ next_seq: nextSeq, alerted_level: level, updated_at: ledger.now(), ...extra })
    .where('name', '=', ledger.pool)
    .execute();
  return free;
}

/**
 * Adds `codes` (checked already, e.g. by parsePoolFile) to the pool.
 *
 * @example await importCodes(ledger, ['NEW-001', 'NEW-002'], 'cli:codes.txt') // { added: 2, skipped: 0, free: 2 }
 */
export async function importCodes(
  ledger: CouponLedger,
  codes: readonly string[],
  batch: string,
  extra: Partial<PoolRow> = {},
): Promise<ImportResult> {
  return withPoolLock(ledger, async (trx, pool) => {
    let seq = pool.next_seq;
    let added = 0;
    for (let i = 0; i < codes.length; i += CHUNK) {
      const chunk = codes.slice(i, i + CHUNK);
      added += await insertChunk(trx, ledger, chunk, batch, seq);
      seq += chunk.length;
    }
    const free = await finish(trx, ledger, pool, seq, extra);
    return { added, skipped: codes.length - added, free };
  });
}

/**
 * Tops the pool up to `count` codes of `pattern` (codes already generated count; a collision
 * with an existing code costs a retry).
 *
 * @throws Error when the pattern cannot make enough codes (checked by the config first)
 */
export async function generateCodes(
  ledger: CouponLedger,
  pattern: CodePattern,
  count: number,
  extra: Partial<PoolRow> = {},
): Promise<ImportResult> {
  const problem = capacityProblem(pattern, count);
  if (problem) throw new Error(`pattern ${pattern.source} ${problem}`);
  return withPoolLock(ledger, async (trx, pool) => {
    const existing = await trx
      .selectFrom(ledger.t.coupons)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool', '=', ledger.pool)
      .where('batch', '=', 'pattern')
      .executeTakeFirst();
    let missing = count - Number(existing?.n ?? 0);
    let seq = pool.next_seq;
    let added = 0;
    // Each round makes what is still missing; collisions are rare by capacityProblem's margin,
    // so twenty rounds in a row without a single new code mean something else is wrong.
    for (let stalls = 0; missing > 0 && stalls < 20;) {
      const fresh = new Set<string>();
      while (fresh.size < Math.min(missing, CHUNK)) fresh.add(generateCode(pattern));
      const inserted = await insertChunk(trx, ledger, [...fresh], 'pattern', seq);
      seq += fresh.size;
      added += inserted;
      missing -= inserted;
      stalls = inserted > 0 ? 0 : stalls + 1;
    }
    if (missing > 0) throw new Error(`pattern ${pattern.source}: ${missing} codes could not be made without collisions`);
    const free = await finish(trx, ledger, pool, seq, extra);
    return { added, skipped: 0, free };
  });
}
