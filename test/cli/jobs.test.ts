import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-jobs-cli-'));
const log = path.join(dir, 'runs.log');

const jobsModule = path.join(dir, 'jobs.mjs');
writeFileSync(
  jobsModule,
  `import { appendFileSync } from 'node:fs';
export const jobs = [
  { name: 'morning-report', cron: '0 0 9 * * MON-FRI *', run: (ctx) => appendFileSync(process.env.JOBS_LOG, ctx.name + ' ' + ctx.scheduled + '\\n') },
  { name: 'utc-cleanup', cron: '30 3 * * *', timezone: 'UTC', run: () => {} },
  { name: 'fails', cron: '0 9 * * *', retry: { attempts: 1 }, run: () => { throw new Error('upstream down'); } },
];
`,
);
const schedulerModule = path.join(dir, 'scheduler.ts');
writeFileSync(
  schedulerModule,
  `import { createScheduler } from ${JSON.stringify(path.resolve('src/scheduler/index.ts'))};
import { openStore } from ${JSON.stringify(path.resolve('src/store/index.ts'))};
export const scheduler = createScheduler({ store: await openStore({ databaseUrl: 'memory:' }) })
  .schedule('from-scheduler', '0 0 8 * * *', () => {});
`,
);
const badModule = path.join(dir, 'bad.mjs');
writeFileSync(badModule, `export const jobs = [{ name: 'x', cron: '0 0 25 * * *', run() {} }];\n`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  vi.stubEnv('JOBS_LOG', log);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

const cli = (...args: string[]) => run(['node', 'wecombot', 'jobs', ...args]);

describe('wecombot jobs', () => {
  it('list prints each job with its timezone and next fire time', async () => {
    expect(await cli('list', '--config', jobsModule)).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CRON\s+TIMEZONE\s+NEXT \(local\)\s+NEXT \(UTC\)$/);
    expect(out).toMatch(/morning-report\s+0 0 9 \* \* MON-FRI \*\s+Asia\/Shanghai\s+\d{4}-\d\d-\d\d 09:00:00\s+\d{4}-\d\d-\d\dT01:00:00.000Z/);
    expect(out).toMatch(/utc-cleanup\s+30 3 \* \* \*\s+UTC\s+\d{4}-\d\d-\d\d 03:30:00/);
  });

  it('list --json, from a TS module exporting a scheduler', async () => {
    expect(await cli('list', '--config', schedulerModule, '--json')).toBe(0);
    const list = JSON.parse(out) as { name: string; timezone: string; next: string }[];
    expect(list).toEqual([{ name: 'from-scheduler', cron: '0 0 8 * * *', timezone: 'Asia/Shanghai', next: expect.stringMatching(/T00:00:00.000Z$/) }]);
  });

  it('run NAME runs the job now, every time', async () => {
    rmSync(log, { force: true });
    expect(await cli('run', 'morning-report', '--config', jobsModule)).toBe(0);
    expect(await cli('run', 'morning-report', '--config', jobsModule)).toBe(0);
    expect(out).toContain('morning-report: ok (1 try)');
    expect(readFileSync(log, 'utf8')).toBe('morning-report false\nmorning-report false\n');
  });

  it('run --due runs a fire time once across invocations sharing WECOMBOT_DATABASE_URL', async () => {
    rmSync(log, { force: true });
    vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${path.join(dir, 'jobs.db')}`);
    vi.stubEnv('WECOMBOT_REDIS_URL', '');
    expect(await cli('run', 'morning-report', '--config', jobsModule, '--due', '--at', '2031-01-06T01:00:02Z')).toBe(0);
    expect(await cli('run', 'morning-report', '--config', jobsModule, '--due', '--at', '2031-01-06T01:00:40Z')).toBe(0);
    expect(out).toContain('morning-report: ok (1 try)');
    expect(out).toContain('morning-report: skipped (already-ran) morning-report@2031-01-06T01:00Z');
    expect(readFileSync(log, 'utf8')).toBe('morning-report true\n');
  });

  it('a failing job exits 1 with its error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await cli('run', 'fails', '--config', jobsModule)).toBe(1);
    expect(out).toContain('fails: failed after 1 try: upstream down');
  });

  it('bad input: unknown job, invalid cron, missing module', async () => {
    expect(await cli('run', 'nope', '--config', jobsModule)).toBe(1);
    expect(err).toContain('no job named "nope"');
    expect(err).toContain('morning-report');
    err = '';
    expect(await cli('list', '--config', badModule)).toBe(1);
    expect(err).toMatch(/cron "0 0 25 \* \* \*" is invalid/);
    err = '';
    expect(await cli('list', '--config', path.join(dir, 'missing.mjs'))).toBe(1);
    expect(err).toContain('does not exist');
  });
});
