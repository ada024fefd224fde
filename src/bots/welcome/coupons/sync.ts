/**
 * A pool configured in the bot's options (`coupons.file` or `coupons.pattern`) is brought into
 * the database when the bot starts: imported again only when the file's contents (or the
 * pattern and count) changed since the last start, which the pool's row remembers by a hash.
 * Importing is idempotent (codes already there are skipped), so two instances starting
 * together, or a restart half-way, import nothing twice. The alert thresholds are written to
 * the same row for `wecombot welcome coupons import` to read.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import { bundleDir } from '../../../bot/module.js';
import type { CouponConfig } from '../coupon-config.js';
import { CouponPoolError } from '../errors.js';
import { generateCodes, importCodes } from './import.js';
import { ensurePoolRow, ledgerDb, type CouponLedger } from './ledger.js';
import { parsePoolFile } from './pool-file.js';

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

/** Where a configured pool file is read: relative paths from the bundle's folder (FaaS) or the current one. */
export function poolFilePath(file: string): string {
  return isAbsolute(file) ? file : resolve(bundleDir(), file);
}

/**
 * Synchronises the configured pool and thresholds.
 *
 * @throws CouponPoolError for a pool file that cannot be read or is malformed (file:line:reason)
 */
export async function syncConfiguredPool(ledger: CouponLedger, config: CouponConfig, log: Logger): Promise<void> {
  const alertAt = JSON.stringify(config.alertAt);
  const source = config.source;
  let text: string | undefined;
  let fingerprint: string | null = null;
  if (source?.kind === 'file') {
    try {
      text = await readFile(poolFilePath(source.file), 'utf8');
    } catch (cause) {
      throw new CouponPoolError(source.file, 0, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
    }
    fingerprint = `file:${hash(text)}`;
  } else if (source?.kind === 'pattern') {
    fingerprint = `pattern:${hash(`${source.pattern.source}\n${source.count}`)}`;
  }
  // Parse before touching the database: a malformed file stops the start with nothing imported.
  const codes = source?.kind === 'file' && text !== undefined ? await parsePoolFile(text, source.file) : undefined;

  await ensurePoolRow(ledger);
  const row = await ledgerDb(ledger)
    .selectFrom(ledger.t.pools)
    .select(['source', 'alert_at'])
    .where('name', '=', ledger.pool)
    .executeTakeFirstOrThrow();
  const extra = { source: fingerprint ?? row.source, alert_at: alertAt };
  if (fingerprint && row.source !== fingerprint) {
    const result =
      source?.kind === 'pattern'
        ? await generateCodes(ledger, source.pattern, source.count, extra)
        : await importCodes(
            ledger,
            (codes ?? []).map((c) => c.code),
            basename(source?.kind === 'file' ? source.file : 'pool'),
            extra,
          );
    log.info(
      { pool: ledger.pool, added: result.added, skipped: result.skipped, free: result.free },
      'coupon pool synchronised from the config',
    );
  } else if (row.alert_at !== alertAt) {
    await ledgerDb(ledger)
      .updateTable(ledger.t.pools)
      .set({ alert_at: alertAt, updated_at: ledger.now() })
      .where('name', '=', ledger.pool)
      .execute();
  }
}
