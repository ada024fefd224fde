import type { Command } from 'commander';
import type { Bot } from '../../bot/bot.js';
import { DEFAULT_JOB_TIMEZONE, type JobRunResult } from '../../bot/jobs.js';
import { createLogger } from '../../bot/logger.js';
import { createBotFromConfig } from '../../config/create.js';
import type { WecombotConfig } from '../../config/define.js';
import { ENV } from '../../config/env.js';
import { loadConfig } from '../../config/load.js';
import { WecombotError } from '../../errors.js';
import { ENV_HELP, withEnvAll } from '../help-env.js';

class JobsCliError extends WecombotError {
  constructor(message: string, hint?: string) {
    super('cli_jobs', message, { hint });
  }
}

const CONFIG_HELP = 'config file (default: wecombot.config.(ts|js|json) in the current directory), as for serve and build';

/**
 * Says where jobs come from, in `--help`: the old format (a module exporting a scheduler or a
 * jobs array) is gone, and a file in it fails to load as a config.
 */
const SOURCE_NOTE = `
Jobs are those of the bot the config describes: bot.job(...) in its setup, and the jobs of its
modules. A module exporting a scheduler or a jobs array (the former format) is no longer read.`;

/**
 * The bot of the config, to list or run its jobs. Listing needs neither secrets nor a shared
 * store (like `wecombot build`); running uses the environment and store of `wecombot serve`,
 * so a `--due` run takes the same run keys as the servers.
 */
async function botOf(configPath: string | undefined, purpose: 'list' | 'run'): Promise<{ bot: Bot; path: string | undefined }> {
  const { config, path } = await loadConfig({ path: configPath });
  if (purpose === 'list') {
    return { bot: await createBotFromConfig({ ...config, logLevel: 'silent' }, { env: {}, runtime: 'faas' }), path };
  }
  return { bot: await createBotFromConfig(config, { runtime: 'node', logger: stderrLogger(config) }), path };
}

/** Log lines go to stderr: stdout carries the command's answer (and `--json`). */
function stderrLogger(config: WecombotConfig) {
  const env = process.env;
  const secrets = [ENV.token, ENV.aesKey, ENV.aibotToken, ENV.aibotAesKey].map((name) => env[name]).filter((v): v is string => Boolean(v));
  const level = (env.WECOMBOT_LOG_LEVEL as WecombotConfig['logLevel']) || config.logLevel;
  return createLogger({ ...(level ? { level } : {}), secrets, destination: { write: (line: string) => void process.stderr.write(line) } });
}

/** Closes the bot and the store createBotFromConfig opened for it (a bot does not close a store it was given). */
async function closeBot(bot: Bot): Promise<void> {
  const store = await bot.store();
  await bot.close();
  await store.close();
}

/** `2025-01-06 09:00:00` in the job's timezone. */
function localTime(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function tries(n: number): string {
  return `${n} ${n === 1 ? 'try' : 'tries'}`;
}

function describeResult(result: JobRunResult, scheduled: boolean): string {
  switch (result.status) {
    case 'ran':
      return `${result.name}: ok (${scheduled ? `fire time ${result.firedAt}, ` : ''}${tries(result.attempts)})`;
    case 'skipped':
      return `${result.name}: skipped (${result.reason}${result.firedAt ? `, fire time ${result.firedAt}` : ''})`;
    case 'failed':
      return `${result.name}: failed after ${tries(result.attempts)}: ${result.error.describe()}`;
    case 'unknown':
      return `${result.name}: unknown job`;
  }
}

/** `--due` alone is the moment of the call; `--due TIME` a timer event's time. */
function fireTime(due: string | boolean | undefined): Date | undefined {
  if (due === undefined || due === false) return undefined;
  if (due === true) return new Date();
  const at = new Date(due);
  if (Number.isNaN(at.getTime())) throw new JobsCliError(`--due "${due}" is not a date`, 'use ISO 8601, e.g. 2025-01-06T01:00:00Z');
  return at;
}

/** `wecombot jobs list` and `wecombot jobs run NAME`: the jobs of the configured bot. */
export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('list the jobs of the configured bot and run one').addHelpText('after', SOURCE_NOTE);

  jobs
    .command('list')
    .description('show each job, its cron, timezone and next fire time')
    .option('-c, --config <path>', CONFIG_HELP)
    .option('--json', 'print JSON')
    .addHelpText('after', SOURCE_NOTE)
    .action(async (flags: { config?: string; json?: boolean }) => {
      const { bot, path } = await botOf(flags.config, 'list');
      try {
        const next = await bot.nextRuns(); // parses every cron: a bad one fails here
        const list = bot
          .jobs()
          .map((j) => ({ name: j.name, schedule: j.schedule, timezone: j.timezone ?? DEFAULT_JOB_TIMEZONE, next: next[j.name] ?? null }));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        } else if (list.length === 0) {
          process.stdout.write(`no jobs in ${path ?? 'the bot (no wecombot.config.* found)'}\n`);
        } else {
          const rows = [['NAME', 'CRON', 'TIMEZONE', 'NEXT (local)', 'NEXT (UTC)']];
          for (const j of list)
            rows.push([j.name, j.schedule, j.timezone, j.next ? localTime(new Date(j.next), j.timezone) : 'never', j.next ?? '-']);
          process.stdout.write(`${table(rows)}\n`);
        }
      } finally {
        await closeBot(bot);
      }
    });

  jobs
    .command('run')
    .description('run one job now; with --due as its timer would: the fire time due, once across instances sharing the store')
    .argument('<name>', 'the job name')
    .option('-c, --config <path>', CONFIG_HELP)
    .option(
      '--due [iso-time]',
      'run the fire time due now (or at the timer event time given, e.g. 2025-01-06T01:00:00Z) through the run keys in WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText('after', SOURCE_NOTE)
    .action(async (name: string, flags: { config?: string; due?: string | boolean; json?: boolean }) => {
      const firedAt = fireTime(flags.due);
      const { bot, path } = await botOf(flags.config, 'run');
      try {
        const known = bot.jobs().map((j) => j.name);
        if (!known.includes(name)) {
          throw new JobsCliError(
            `no job named "${name}" in ${path ?? 'the bot (no wecombot.config.* found)'}`,
            known.length ? `its jobs: ${known.join(', ')}` : 'declare jobs with bot.job(...) in the config setup or a module',
          );
        }
        const result = await bot.runJob(name, firedAt);
        if (flags.json) {
          const shown =
            result.status === 'failed' ? { ...result, error: { code: result.error.code, message: result.error.describe() } } : result;
          process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
        } else {
          process.stdout.write(`${describeResult(result, firedAt !== undefined)}\n`);
        }
        if (result.status === 'failed') process.exitCode = 1;
      } finally {
        await closeBot(bot);
      }
    });
  withEnvAll(jobs, [...ENV_HELP.robots, ...ENV_HELP.corpApp, ...ENV_HELP.webhook, ...ENV_HELP.store, ENV_HELP.logLevel]);
}
