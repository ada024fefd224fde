/**
 * `wecombot leads ls|show|export|replay`: the lead records of the `leads` bot, read from the
 * store of the running bots (WECOMBOT_DATABASE_URL), and captured deliveries re-ingested.
 */
import type { Command } from 'commander';
import pino from 'pino';
import { moduleTable } from '../../bot/module.js';
import { leadsCsv, listRow, showText, exportRow, EXPORT_COLUMNS } from '../../bots/leads/cli/rows.js';
import { parseCapture, replay } from '../../bots/leads/cli/replay.js';
import type { LeadsConfig } from '../../bots/leads/config.js';
import { LeadsDesk } from '../../bots/leads/desk.js';
import { auditOf, listLeads, repeatsOf } from '../../bots/leads/records/queries.js';
import type { LeadsLedger } from '../../bots/leads/records/rows.js';
import { leadMigrations, leadTableNames, type LeadStatus } from '../../bots/leads/records/schema.js';
import { findLead } from '../../bots/leads/records/status.js';
import { isTimeZone } from '../../bots/shared/time-zone.js';
import { parseDuration } from '../../bots/welcome/duration.js';
import { loadConfig } from '../../config/load.js';
import { WecombotError } from '../../errors.js';
import { openStoreFromEnv } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { readTextFileArg, writeFileArg } from '../file-arg.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

const STATUSES: readonly LeadStatus[] = ['new', 'claimed', 'contacted', 'won', 'lost', 'repeat'];
const usage = (message: string, hint?: string) => new WecombotError('cli_usage', message, hint ? { hint } : {});

const STORE_NOTE = `
Leads are read from the store of the running bots: WECOMBOT_DATABASE_URL (and
WECOMBOT_STORE_NAMESPACE if the bots set one), as for \`wecombot serve\` and \`wecombot jobs\`.`;

function ledgerOf(store: Store): LeadsLedger {
  return { store, t: leadTableNames((t) => moduleTable(store.namespace, 'leads', t)), now: Date.now };
}

async function withLedger<T>(work: (ledger: LeadsLedger) => Promise<T>): Promise<T> {
  const store = await openStoreFromEnv();
  try {
    return await work(ledgerOf(store));
  } catch (err) {
    if (/no such table|does not exist/i.test((err as Error).message ?? '')) {
      throw new WecombotError('cli_read', 'this store has no leads (the leads bot never ran on it)', {
        hint: 'set WECOMBOT_DATABASE_URL to the database of the running bots',
      });
    }
    throw err;
  } finally {
    await store.close();
  }
}

function timezoneOf(value: string): string {
  if (!isTimeZone(value)) throw usage(`--timezone "${value}" is not an IANA time zone`, 'e.g. Asia/Shanghai');
  return value;
}

function statusOf(value: string | undefined): LeadStatus | undefined {
  if (value === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(value)) throw usage(`--status "${value}" is not a status`, `one of ${STATUSES.join(', ')}`);
  return value as LeadStatus;
}

function sinceOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms !== undefined) return Date.now() - ms;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw usage(`--since "${value}" is neither a duration (7d) nor a date (2030-06-01)`);
  return at;
}

function limitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usage(`--limit "${value}" must be a positive whole number`);
  return n;
}

function table(rows: string[][]): string {
  const width = (s: string) => Array.from(s).reduce((n, ch) => n + (/[\u1100-\uffff]/u.test(ch) ? 2 : 1), 0);
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? '')))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(Math.max(0, (widths[c] ?? 0) - width(cell))))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

interface FilterFlags {
  status?: string;
  source?: string;
  rep?: string;
  since?: string;
  limit?: string;
  timezone: string;
}

const filterOf = (f: FilterFlags) => ({
  status: statusOf(f.status),
  source: f.source,
  rep: f.rep,
  since: sinceOf(f.since),
  limit: limitOf(f.limit),
});

function withFilters(command: Command): Command {
  return command
    .option('--status <status>', `only this status (${STATUSES.join(', ')}); repeats are left out otherwise`)
    .option('--source <name>', 'only this source')
    .option('--rep <userid>', 'only leads assigned to this rep')
    .option('--since <when>', 'only leads since a duration ago (7d) or a date (2030-06-01)')
    .option('--timezone <zone>', 'time zone of the times shown', 'Asia/Shanghai');
}

/** The leads module's parsed options from the config (replay assigns as the bot would). */
async function leadsConfig(configPath: string | undefined): Promise<LeadsConfig> {
  const { config, path } = await loadConfig({ path: configPath });
  const module = (config.bots ?? []).find((b) => b.name === 'leads');
  if (!module)
    throw usage(
      `${path ?? 'no wecombot.config.* found'}: no leads bot in bots: [...]`,
      'replay needs the sources, reps and rules of the config (-c FILE)',
    );
  return module.options as LeadsConfig;
}

export function registerLeadsCommand(program: Command): void {
  const leads = program.command('leads').description('the lead records of the leads bot').addHelpText('after', STORE_NOTE);

  withFilters(
    leads.command('ls').description('leads, newest first: id, time, source, status, who has it, masked phone, region, assignment reason'),
  )
    .option('--limit <n>', 'at most n leads', '50')
    .option('--json', 'print JSON (full fields)')
    .action(async (flags: FilterFlags & { json?: boolean }) => {
      const timezone = timezoneOf(flags.timezone);
      const rows = await withLedger((ledger) => listLeads(ledger, filterOf(flags)));
      if (flags.json)
        return void process.stdout.write(
          `${JSON.stringify(
            rows.map((l) => exportRow(l, { timezone, masked: false })),
            null,
            2,
          )}\n`,
        );
      if (rows.length === 0) return void process.stdout.write('no leads\n');
      process.stdout.write(
        `${table([['ID', 'CREATED', 'SOURCE', 'STATUS', 'WITH', 'PHONE', 'REGION', 'REASON'], ...rows.map((l) => listRow(l, timezone))])}\n`,
      );
    });

  leads
    .command('show')
    .description('one lead in full: contact, answers, repeats and its audit trail')
    .argument('<id>', 'the lead id (L…)')
    .option('--timezone <zone>', 'time zone of the times shown', 'Asia/Shanghai')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { timezone: string; json?: boolean }) => {
      const timezone = timezoneOf(flags.timezone);
      const found = await withLedger(async (ledger) => {
        const lead = await findLead(ledger, id.toUpperCase());
        return lead ? { lead, audit: await auditOf(ledger, lead.id), repeats: await repeatsOf(ledger, lead.id) } : undefined;
      });
      if (!found) throw new WecombotError('cli_read', `no lead "${id}" in this store`, { hint: 'wecombot leads ls lists them' });
      if (flags.json) return void process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
      process.stdout.write(showText(found.lead, found.audit, found.repeats, timezone));
    });

  withFilters(
    leads.command('export').description('leads as CSV (--csv, UTF-8 with BOM for Excel) or JSON; full names and phones unless --masked'),
  )
    .option('--csv', 'write CSV')
    .option('--json', 'write JSON')
    .option('--repeats', 'include the repeats')
    .option('--masked', 'mask names and phones as the group post does')
    .option('-o, --out <file>', 'write to this file (- is stdout, the default)', '-')
    .action(async (flags: FilterFlags & { csv?: boolean; json?: boolean; repeats?: boolean; masked?: boolean; out: string }) => {
      if (flags.csv && flags.json) throw usage('--csv and --json exclude each other');
      if (!flags.csv && !flags.json) throw usage('say --csv or --json');
      const options = { timezone: timezoneOf(flags.timezone), masked: flags.masked ?? false };
      const rows = await withLedger((ledger) => listLeads(ledger, { ...filterOf(flags), repeats: flags.repeats ?? false }));
      const text = flags.csv
        ? leadsCsv(rows, options)
        : `${JSON.stringify(
            rows.map((l) => exportRow(l, options)),
            null,
            2,
          )}\n`;
      await writeFileArg(flags.out, text);
      if (flags.out !== '-') process.stderr.write(`wrote ${rows.length} leads (${EXPORT_COLUMNS.length} columns) to ${flags.out}\n`);
    });

  leads
    .command('replay')
    .description(
      're-ingest captured deliveries (JSON Lines of {source, body}); stored ones change nothing, lost ones are stored and then posted by the claim-timer job',
    )
    .argument('<file>', 'the capture file; - reads stdin')
    .option('-c, --config <file>', 'the config with the leads bot (default: wecombot.config.* here)')
    .option('--source <name>', 'the file is one delivery body of this source, as it came')
    .option('--form', 'with --source: the body is application/x-www-form-urlencoded')
    .option('--json', 'print the totals as JSON')
    .action(async (file: string, flags: { config?: string; source?: string; form?: boolean; json?: boolean }) => {
      if (flags.form && !flags.source) throw usage('--form needs --source');
      const config = await leadsConfig(flags.config);
      if (flags.source && !config.sources.has(flags.source))
        throw usage(`--source "${flags.source}" is not one of the config's sources (${[...config.sources.keys()].join(', ')})`);
      const deliveries = parseCapture(
        await readTextFileArg(file, '<file>'),
        flags.source,
        flags.form ? 'application/x-www-form-urlencoded' : 'application/json',
      );
      const store = await openStoreFromEnv();
      try {
        // The tables, as the bot's install would make them (a fresh store works too).
        const table = (t: string) => moduleTable(store.namespace, 'leads', t);
        await store.migrate(
          leadMigrations.map((m) => ({ name: `leads/${m.name}`, up: (db) => m.up(db, table, { dialect: store.sqlDialect }) })),
        );
        const desk = new LeadsDesk(store, table, config, Date.now, pino({ level: 'silent' }), undefined);
        const totals = await replay(desk, deliveries);
        if (flags.json) process.stdout.write(`${JSON.stringify(totals, null, 2)}\n`);
        else {
          process.stdout.write(
            `${totals.deliveries} deliveries: ${totals.new} new, ${totals.repeat} repeats, ${totals.replay} already stored, ${totals.failed.length} failed\n`,
          );
          for (const f of totals.failed) process.stdout.write(`  ${f.where}: ${f.message}\n`);
          if (totals.new) process.stdout.write('new leads are posted by the running bots’ claim-timer job within its next run\n');
        }
        if (totals.failed.length) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });

  withEnvAll(leads, ENV_HELP.store);
}
