/**
 * `wecombot welcome coupons import|status|export`: the welcome bot's coupon pools, in the
 * store `wecombot serve` uses (WECOMBOT_DATABASE_URL, as `wecombot jobs` opens it). The pool
 * is `--pool`, else the one of the config's welcome module, else `default`. Coupon codes are
 * printed only where asked for (`export`), never in a log line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { isBotModule } from '../../bot/module.js';
import type { WelcomeConfig } from '../../bots/welcome/config.js';
import { generateCodes, importCodes, type ImportResult } from '../../bots/welcome/coupons/import.js';
import type { CouponLedger } from '../../bots/welcome/coupons/ledger.js';
import { openCouponLedger, WELCOME_MODULE } from '../../bots/welcome/coupons/open.js';
import { capacityProblem, parsePattern } from '../../bots/welcome/coupons/pattern.js';
import { parsePoolFile } from '../../bots/welcome/coupons/pool-file.js';
import { exportCoupons, poolStatus, type ExportedCoupon } from '../../bots/welcome/coupons/report.js';
import { CouponPoolError } from '../../bots/welcome/errors.js';
import { loadConfig } from '../../config/load.js';
import { WecombotError } from '../../errors.js';
import { openStoreFromEnv } from '../../store/open.js';
import { readTextFileArg } from '../file-arg.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

class WelcomeCliError extends WecombotError {
  constructor(message: string, hint?: string) {
    super('cli_usage', message, { hint });
  }
}

const POOL_HELP = 'the pool (default: the welcome module’s in the config, else "default")';
const CONFIG_HELP = 'config file to take the pool name from (default: wecombot.config.* in the current directory, if any)';

/** The pool named on the command line, or the config's welcome pool, or `default`. */
async function poolName(flags: { pool?: string; config?: string }): Promise<string> {
  if (flags.pool) return flags.pool;
  let loaded;
  try {
    loaded = await loadConfig({ path: flags.config });
  } catch (err) {
    if (flags.config) throw err;
    return 'default'; // no usable config here: the default pool
  }
  const module = (loaded.config.bots ?? []).find((b) => isBotModule(b) && b.name === WELCOME_MODULE);
  return (module?.options as WelcomeConfig | undefined)?.coupons?.pool ?? 'default';
}

/** Runs `work` on the pool's ledger in the environment's store, then closes the store. */
async function withLedger<T>(flags: { pool?: string; config?: string }, work: (ledger: CouponLedger) => Promise<T>): Promise<T> {
  const pool = await poolName(flags);
  const store = await openStoreFromEnv(process.env);
  try {
    return await work(await openCouponLedger(store, pool));
  } finally {
    await store.close();
  }
}

const out = (text: string) => void process.stdout.write(`${text}\n`);
const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

function describeImport(what: string, pool: string, r: ImportResult): string {
  const skipped = r.skipped ? `, ${r.skipped} already in a pool (skipped)` : '';
  return `${what}: ${r.added} added${skipped}; pool ${pool}: ${r.free} free`;
}

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function exportCsv(rows: readonly ExportedCoupon[]): string {
  const lines = [['code', 'seq', 'batch', 'customer', 'claimed_at', 'via', 'chat'].join(',')];
  for (const r of rows) lines.push([r.code, r.seq, r.batch, r.customer, iso(r.claimedAt), r.via, r.chat].map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

interface ImportFlags {
  pool?: string;
  config?: string;
  pattern?: string;
  count?: string;
  dryRun?: boolean;
  json?: boolean;
}

async function importCommand(file: string | undefined, flags: ImportFlags): Promise<void> {
  if (Boolean(file) === Boolean(flags.pattern)) {
    throw new WelcomeCliError(
      file ? 'give a file or --pattern, not both' : 'nothing to import',
      'wecombot welcome coupons import codes.csv, or --pattern NEW-{XXXXXX} --count 1000',
    );
  }
  if (file) {
    let text: string;
    try {
      text = file === '-' ? await readTextFileArg('-', 'file') : await readFile(file, 'utf8');
    } catch (cause) {
      if (cause instanceof WecombotError) throw cause; // `-` at a terminal
      throw new CouponPoolError(file, 0, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
    }
    const codes = await parsePoolFile(text, file); // refuses the whole file, naming the line
    if (flags.dryRun)
      return out(
        flags.json
          ? JSON.stringify({ file, codes: codes.length, imported: false })
          : `${file}: ${codes.length} codes, all valid (dry run: nothing imported)`,
      );
    await withLedger(flags, async (ledger) => {
      const result = await importCodes(
        ledger,
        codes.map((c) => c.code),
        `cli:${basename(file)}`,
      );
      out(flags.json ? JSON.stringify({ pool: ledger.pool, file, ...result }) : describeImport(file, ledger.pool, result));
    });
    return;
  }
  const pattern = parsePattern(flags.pattern!);
  if (typeof pattern === 'string') throw new WelcomeCliError(`--pattern ${flags.pattern} ${pattern}`);
  const count = Number(flags.count);
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new WelcomeCliError('--count must be a whole number from 1 to 1000000 (how many codes to add)');
  const problem = capacityProblem(pattern, count);
  if (problem) throw new WelcomeCliError(`--pattern ${flags.pattern} ${problem}`);
  if (flags.dryRun)
    return out(
      `pattern ${pattern.source}: ${pattern.combinations} possible codes, ${count} would be generated (dry run: nothing imported)`,
    );
  await withLedger(flags, async (ledger) => {
    // Counted on top of the codes the pattern made before: --count adds that many.
    const made = (await poolStatus(ledger)).batches.find((b) => b.batch === 'pattern')?.total ?? 0;
    const result = await generateCodes(ledger, pattern, made + count);
    out(
      flags.json
        ? JSON.stringify({ pool: ledger.pool, pattern: pattern.source, ...result })
        : describeImport(`pattern ${pattern.source}`, ledger.pool, result),
    );
  });
}

/** `wecombot welcome coupons import|status|export`. */
export function registerWelcomeCommand(program: Command): void {
  const coupons = program
    .command('welcome')
    .description('the welcome bot: its coupon pools')
    .command('coupons')
    .description('import, count and export the coupon pools of the welcome bot (WECOMBOT_DATABASE_URL)');

  coupons
    .command('import')
    .description('add codes to a pool: a CSV file with a code column, a text file of one code a line, or --pattern')
    .argument('[file]', 'CSV or text file of codes, - for stdin (refused whole, naming the line, when malformed)')
    .option(
      '--pattern <pattern>',
      'generate codes instead: literals and {…} groups of X (letter or digit), A (letter), 9 (digit), e.g. NEW-{XXXXXX}',
    )
    .option('--count <n>', 'with --pattern: how many codes to add')
    .option('--pool <name>', POOL_HELP)
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--dry-run', 'check the file or pattern, import nothing')
    .option('--json', 'print JSON')
    .action(importCommand);

  coupons
    .command('status')
    .description('codes in the pool: total, issued, free, alert thresholds, per batch')
    .option('--pool <name>', POOL_HELP)
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--json', 'print JSON')
    .action(async (flags: { pool?: string; config?: string; json?: boolean }) => {
      const status = await withLedger(flags, poolStatus);
      if (flags.json) return out(JSON.stringify(status, null, 2));
      const lines = [
        `pool ${status.pool}: ${status.total} codes, ${status.issued} issued, ${status.free} free`,
        `alerts at: ${status.alertAt.join(', ') || 'none'} free (last alerted: ${status.alertedLevel ?? 'none'}); last claim: ${iso(status.lastClaimAt) || 'never'}`,
        ...status.batches.map((b) => `  ${b.batch}: ${b.total} codes, ${b.issued} issued`),
      ];
      out(lines.join('\n'));
    });

  coupons
    .command('export')
    .description('the codes of the pool and who holds them, as CSV (or --json), in import order')
    .option('--pool <name>', POOL_HELP)
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--issued', 'only codes given to a customer')
    .option('--free', 'only codes not given yet')
    .option('--out <file>', 'write to a file instead of stdout (- is stdout)')
    .option('--json', 'print JSON')
    .action(async (flags: { pool?: string; config?: string; issued?: boolean; free?: boolean; out?: string; json?: boolean }) => {
      if (flags.issued && flags.free) throw new WelcomeCliError('--issued and --free exclude each other');
      const rows = await withLedger(flags, (ledger) => exportCoupons(ledger, flags.issued ? 'issued' : flags.free ? 'free' : 'all'));
      const text = flags.json ? `${JSON.stringify(rows, null, 2)}\n` : exportCsv(rows);
      if (flags.out && flags.out !== '-') {
        await writeFile(flags.out, text);
        process.stderr.write(`${flags.out}: ${rows.length} codes\n`);
      } else process.stdout.write(text);
    });
  withEnvAll(coupons, ENV_HELP.store);
}
