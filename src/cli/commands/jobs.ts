import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { WecombotError } from '../../errors.js';
import { createScheduler, type JobFn, type JobOptions, type RunResult, type Scheduler } from '../../scheduler/index.js';
import { openStore, openStoreFromEnv, type Store } from '../../store/index.js';

/** One job as a jobs module lists it. */
export interface JobModuleEntry extends JobOptions {
  name: string;
  cron: string;
  run: JobFn;
}

/** Where `wecombot jobs` finds jobs, and the store their runs use. */
export interface LoadedJobs {
  scheduler: Scheduler;
  /** The store this command opened (to close at the end); undefined when the module brought its own. */
  store?: Store;
}

class JobsCliError extends WecombotError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('CLI_JOBS', message, { hint, cause });
  }
}

/**
 * The one place `wecombot jobs` gets its jobs from: a JS/TS module that exports a scheduler
 * (`export const scheduler = createScheduler(…)` or as default) or a jobs array
 * (`export const jobs = [{ name, cron, run }]` or as default). For a jobs array the runs use
 * the store of WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL when `shared` (so `--due` runs are
 * de-duplicated with the servers), else a memory store.
 * The bot framework can replace this function to read jobs from the bot configuration.
 */
export async function loadJobs(file: string, options: { shared: boolean }): Promise<LoadedJobs> {
  const mod = await importModule(file);
  type Found = { kind: 'scheduler'; scheduler: Scheduler } | { kind: 'jobs'; jobs: unknown[] };
  const pick = (value: unknown): Found | undefined =>
    isScheduler(value) ? { kind: 'scheduler', scheduler: value } : Array.isArray(value) ? { kind: 'jobs', jobs: value } : undefined;
  const found = pick(mod.scheduler) ?? pick(mod.jobs) ?? pick(mod.default) ?? pick((mod.default as { jobs?: unknown } | undefined)?.jobs);
  if (!found) {
    throw new JobsCliError(`${file} exports neither a scheduler nor a jobs array`, 'export const jobs = [{ name, cron, run }] or export const scheduler = createScheduler(…)');
  }
  if (found.kind === 'scheduler') return { scheduler: found.scheduler };
  const store = options.shared ? await openStoreFromEnv() : await openStore({ databaseUrl: 'memory:' });
  try {
    const scheduler = createScheduler({ store });
    for (const [i, entry] of (found.jobs as Partial<JobModuleEntry>[]).entries()) {
      if (!entry || typeof entry.name !== 'string' || typeof entry.cron !== 'string' || typeof entry.run !== 'function') {
        throw new JobsCliError(`${file}: jobs[${i}] needs name, cron and run`);
      }
      scheduler.schedule(entry.name, entry.cron, entry.run, { timezone: entry.timezone, retry: entry.retry });
    }
    return { scheduler, store };
  } catch (err) {
    await store.close();
    throw err;
  }
}

function isScheduler(value: unknown): value is Scheduler {
  const s = value as Partial<Scheduler> | null;
  return typeof s === 'object' && s !== null && typeof s.list === 'function' && typeof s.runNow === 'function' && typeof s.runDue === 'function';
}

/** Imports JS, or TS (natively under tsx / newer Node, else compiled with esbuild next to the file). */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const full = path.resolve(file);
  if (!existsSync(full)) throw new JobsCliError(`jobs module ${file} does not exist`);
  try {
    return (await import(pathToFileURL(full).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' && code !== 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING') {
      throw new JobsCliError(`cannot load ${file}: ${(err as Error).message}`, undefined, err);
    }
  }
  const esbuild = await import('esbuild').catch((cause: unknown) => {
    throw new JobsCliError(`cannot load ${file}: TypeScript needs esbuild (or run under tsx)`, 'npm install --save-dev esbuild, or write the module in JS', cause);
  });
  // Compiled next to the source so its bare imports resolve from the project's node_modules.
  const out = path.join(path.dirname(full), '.wecombot', `jobs.${process.pid}.${Date.now()}.mjs`);
  await mkdir(path.dirname(out), { recursive: true });
  try {
    await esbuild.build({ entryPoints: [full], outfile: out, bundle: true, packages: 'external', platform: 'node', format: 'esm', logLevel: 'silent' });
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    await rm(out, { force: true });
  }
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
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

function describeResult(result: RunResult): string {
  if (!result.ran) return `${result.name}: skipped (${result.reason})${result.runKey ? ` ${result.runKey}` : ''}`;
  const tries = `${result.attempts} ${result.attempts === 1 ? 'try' : 'tries'}`;
  return result.error ? `${result.name}: failed after ${tries}: ${result.error.message}` : `${result.name}: ok (${tries})`;
}

/** `wecombot jobs list` and `wecombot jobs run NAME`. */
export function registerJobsCommand(program: Command): void {
  const jobs = program.command('jobs').description('list scheduled jobs and run one now');

  jobs
    .command('list')
    .description('show each job, its cron, timezone and next fire time')
    .requiredOption('-c, --config <file>', 'JS/TS module exporting `jobs` [{ name, cron, run }] or a `scheduler`')
    .option('--json', 'print JSON')
    .action(async (flags: { config: string; json?: boolean }) => {
      const { scheduler, store } = await loadJobs(flags.config, { shared: false });
      try {
        const list = scheduler.list();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(list.map((j) => ({ ...j, next: j.next?.toISOString() ?? null })), null, 2)}\n`);
        } else if (list.length === 0) {
          process.stdout.write('no jobs\n');
        } else {
          const rows = [['NAME', 'CRON', 'TIMEZONE', 'NEXT (local)', 'NEXT (UTC)']];
          for (const j of list) {
            rows.push([j.name, j.cron, j.timezone, j.next ? localTime(j.next, j.timezone) : 'never', j.next?.toISOString() ?? '-']);
          }
          process.stdout.write(`${table(rows)}\n`);
        }
      } finally {
        await store?.close();
      }
    });

  jobs
    .command('run')
    .description('run one job now (with --due: as the timer would, once across instances sharing the store)')
    .argument('<name>', 'the job name')
    .requiredOption('-c, --config <file>', 'JS/TS module exporting `jobs` [{ name, cron, run }] or a `scheduler`')
    .option('--due', 'run the fire time due now (or at --at) through the run key in WECOMBOT_DATABASE_URL / WECOMBOT_REDIS_URL')
    .option('--at <iso-time>', 'with --due: the timer event time, e.g. 2025-01-06T01:00:00Z')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, flags: { config: string; due?: boolean; at?: string; json?: boolean }) => {
      let at: Date | undefined;
      if (flags.at !== undefined) {
        at = new Date(flags.at);
        if (!flags.due) throw new JobsCliError('--at needs --due');
        if (Number.isNaN(at.getTime())) throw new JobsCliError(`--at "${flags.at}" is not a date`, 'use ISO 8601, e.g. 2025-01-06T01:00:00Z');
      }
      const { scheduler, store } = await loadJobs(flags.config, { shared: Boolean(flags.due) });
      try {
        const result = flags.due ? await scheduler.runDue(name, at) : await scheduler.runNow(name);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ ...result, scheduledAt: result.scheduledAt?.toISOString(), error: result.error?.message }, null, 2)}\n`,
          );
        } else {
          process.stdout.write(`${describeResult(result)}\n`);
        }
        if (result.error) process.exitCode = 1;
      } finally {
        await store?.close();
      }
    });
}
