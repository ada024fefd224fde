import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { moduleTable } from '../../bot/module.js';
import { rosterCsv, rosterRows } from '../../bots/signup/export.js';
import type { LedgerContext } from '../../bots/signup/ledger/locked.js';
import { findActivity, upcomingActivities } from '../../bots/signup/ledger/activities.js';
import { activityCounts, rosterOf } from '../../bots/signup/ledger/roster.js';
import { signupTableNames } from '../../bots/signup/ledger/schema.js';
import { isTimeZone, formatIsoLocal } from '../../bots/signup/time.js';
import { WecombotError } from '../../errors.js';
import { openStoreFromEnv } from '../../store/open.js';
import type { Store } from '../../store/store.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

class SignupCliError extends WecombotError {
  constructor(message: string, hint?: string) {
    super('cli_signup', message, { hint });
  }
}

const STORE_NOTE = `
The sign-ups are read from the store of the running bots: WECOMBOT_DATABASE_URL (and
WECOMBOT_STORE_NAMESPACE if the bots set one), as for \`wecombot serve\` and \`wecombot jobs\`.`;

/** The signup ledger of the store the environment names. */
function ledgerOf(store: Store): LedgerContext {
  return { store, t: signupTableNames((t) => moduleTable(store.namespace, 'signup', t)), now: Date.now };
}

/** Runs `work` on the store, turning "the tables are not there" into a sentence. */
async function withLedger<T>(work: (ledger: LedgerContext) => Promise<T>): Promise<T> {
  const store = await openStoreFromEnv();
  try {
    return await work(ledgerOf(store));
  } catch (err) {
    if (/no such table|does not exist/i.test((err as Error).message ?? '')) {
      throw new SignupCliError(
        'this store has no sign-ups (the signup bot never ran on it)',
        'set WECOMBOT_DATABASE_URL to the database of the running bots',
      );
    }
    throw err;
  } finally {
    await store.close();
  }
}

function timezoneOf(value: string): string {
  if (!isTimeZone(value)) throw new SignupCliError(`--timezone "${value}" is not an IANA time zone`, 'e.g. Asia/Shanghai');
  return value;
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

/** `wecombot signup list` and `wecombot signup export ACTIVITY --csv`. */
export function registerSignupCommand(program: Command): void {
  const signup = program.command('signup').description('the activities and rosters of the signup bot').addHelpText('after', STORE_NOTE);

  signup
    .command('list')
    .description('activities not yet started, with seats taken and waitlist')
    .option('--timezone <zone>', 'time zone of the times shown', 'Asia/Shanghai')
    .option('--json', 'print JSON')
    .addHelpText('after', STORE_NOTE)
    .action(async (flags: { timezone: string; json?: boolean }) => {
      const timezone = timezoneOf(flags.timezone);
      const list = await withLedger(async (ledger) =>
        Promise.all(
          (await upcomingActivities(ledger, Date.now())).map(async (a) => ({ activity: a, counts: await activityCounts(ledger, a.id) })),
        ),
      );
      if (flags.json) {
        const rows = list.map(({ activity: a, counts }) => ({
          id: a.id,
          title: a.title,
          startsAt: new Date(a.startsAt).toISOString(),
          capacity: a.capacity,
          ...counts,
          status: a.status,
        }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (list.length === 0) return void process.stdout.write('no upcoming activities\n');
      const rows = [['ID', 'TITLE', 'STARTS', 'SEATS', 'WAITLIST', 'STATUS']];
      for (const { activity: a, counts } of list)
        rows.push([
          a.id,
          a.title,
          formatIsoLocal(a.startsAt, timezone),
          `${counts.held}/${a.capacity}`,
          String(counts.waitlisted),
          a.status,
        ]);
      process.stdout.write(`${table(rows)}\n`);
    });

  signup
    .command('export')
    .description('the roster of one activity: a table, CSV (--csv) or JSON (--json); full names and phones unless --masked')
    .argument('<activity>', 'the activity id (A1, or the id in the config)')
    .option('--csv', 'write CSV (UTF-8 with BOM, for Excel)')
    .option('--json', 'write JSON')
    .option('-o, --out <file>', 'write to this file instead of stdout (- is stdout)')
    .option('--all', 'include cancelled, declined and expired sign-ups')
    .option('--masked', 'mask names and answers as the chat roster does')
    .option('--timezone <zone>', 'time zone of the times written', 'Asia/Shanghai')
    .addHelpText('after', STORE_NOTE)
    .action(
      async (id: string, flags: { csv?: boolean; json?: boolean; out?: string; all?: boolean; masked?: boolean; timezone: string }) => {
        if (flags.csv && flags.json) throw new SignupCliError('--csv and --json exclude each other');
        const options = { timezone: timezoneOf(flags.timezone), masked: flags.masked ?? false };
        const { activity, signups } = await withLedger(async (ledger) => {
          const activity = await findActivity(ledger, id);
          if (!activity) throw new SignupCliError(`no activity "${id}" in this store`, 'wecombot signup list shows the upcoming ones');
          return { activity, signups: await rosterOf(ledger, id, { all: flags.all ?? false }) };
        });
        let text: string;
        if (flags.csv) text = rosterCsv(activity, signups, options);
        else if (flags.json)
          text = `${JSON.stringify({ id: activity.id, title: activity.title, capacity: activity.capacity, signups: rosterRows(activity, signups, options) }, null, 2)}\n`;
        else {
          const rows = rosterRows(activity, signups, options);
          const header = Object.keys(rows[0] ?? { 编号: '', 状态: '', 姓名: '' });
          text = `${activity.id} ${activity.title}: ${signups.length} sign-ups\n${table([header, ...rows.map((r) => header.map((h) => String(r[h] ?? '')))])}\n`;
        }
        if (flags.out && flags.out !== '-') {
          await writeFile(flags.out, text, { mode: 0o600 });
          process.stderr.write(`wrote ${signups.length} sign-ups of ${activity.id} to ${flags.out}\n`);
        } else {
          process.stdout.write(text);
        }
      },
    );
  withEnvAll(signup, ENV_HELP.store);
}
