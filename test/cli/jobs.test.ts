import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../src/testing/fake-wecom/types.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-jobs-cli-'));
const log = path.join(dir, 'runs.log');

/** The same kind of config `serve` and `build` read: jobs from `setup` and from a module. */
const config = path.join(dir, 'wecombot.config.ts');
writeFileSync(
  config,
  `import { appendFileSync } from 'node:fs';
import { defineBotModule } from ${JSON.stringify(path.resolve('src/bot/module.ts'))};
const reports = defineBotModule({
  name: 'reports',
  jobs: () => [{ name: 'utc-cleanup', schedule: '30 3 * * *', timezone: 'UTC', handler: () => {} }],
});
export default {
  bots: [reports()],
  setup(bot) {
    bot.job('morning-report', '0 0 9 * * MON-FRI *', (job) => {
      appendFileSync(process.env.JOBS_LOG, job.name + ' ' + job.firedAt.toISOString() + ' ' + job.attempt + '\\n');
    });
    bot.job('push-hello', '0 0 8 * * *', (job) => job.push({ markdown: '**早上好**' }));
    bot.job({ name: 'fails', schedule: '0 9 * * *', attempts: 1, handler: () => { throw new Error('upstream down'); } });
  },
};
`,
);
const badCron = path.join(dir, 'bad.config.mjs');
writeFileSync(badCron, `export default { setup(bot) { bot.job('x', '0 0 25 * * *', () => {}); } };\n`);
const noJobs = path.join(dir, 'nojobs.config.mjs');
writeFileSync(noJobs, `export default { setup(bot) { bot.command('ping', (ctx) => ctx.reply('pong')); } };\n`);
/** The former `wecombot jobs` format: no longer read. */
const oldFormat = path.join(dir, 'jobs.mjs');
writeFileSync(oldFormat, `export const jobs = [{ name: 'morning-report', cron: '0 9 * * *', run() {} }];\n`);

let fake: FakeWecom;
beforeAll(async () => {
  fake = await startFakeWecom();
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  process.exitCode = undefined;
  rmSync(log, { force: true });
  vi.stubEnv('JOBS_LOG', log);
  // Runs use the store of `serve`; point it away from ./.wecombot of the working directory.
  vi.stubEnv('WECOMBOT_DATABASE_URL', 'memory:');
  vi.stubEnv('WECOMBOT_REDIS_URL', '');
  vi.stubEnv('WECOMBOT_LOG_LEVEL', 'silent');
  for (const name of ['WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY', 'WECOM_AIBOT_TOKEN', 'WECOM_AIBOT_ENCODING_AES_KEY', 'WECOM_WEBHOOK_URL'])
    vi.stubEnv(name, '');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

const cli = (...args: string[]) => run(['node', 'wecombot', 'jobs', ...args]);

describe('wecombot jobs', () => {
  it('list prints the jobs of setup and of modules, with timezone and next fire time', async () => {
    expect(await cli('list', '--config', config)).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+CRON\s+TIMEZONE\s+NEXT \(local\)\s+NEXT \(UTC\)$/);
    expect(out).toMatch(
      /morning-report\s+0 0 9 \* \* MON-FRI \*\s+Asia\/Shanghai\s+\d{4}-\d\d-\d\d 09:00:00\s+\d{4}-\d\d-\d\dT01:00:00.000Z/,
    );
    expect(out).toMatch(/utc-cleanup\s+30 3 \* \* \*\s+UTC\s+\d{4}-\d\d-\d\d 03:30:00/);
    expect(lines).toHaveLength(5);
  });

  it('list --json', async () => {
    expect(await cli('list', '-c', config, '--json')).toBe(0);
    const list = JSON.parse(out) as { name: string }[];
    expect(list.map((j) => j.name).sort()).toEqual(['fails', 'morning-report', 'push-hello', 'utc-cleanup']);
    expect(list.find((j) => j.name === 'push-hello')).toEqual({
      name: 'push-hello',
      schedule: '0 0 8 * * *',
      timezone: 'Asia/Shanghai',
      next: expect.stringMatching(/T00:00:00.000Z$/),
    });
  });

  it('list says so when the bot has no jobs', async () => {
    expect(await cli('list', '-c', noJobs)).toBe(0);
    expect(out).toBe(`no jobs in ${noJobs}\n`);
  });

  it('run NAME runs the job now, every time', async () => {
    expect(await cli('run', 'morning-report', '--config', config)).toBe(0);
    expect(await cli('run', 'morning-report', '--config', config)).toBe(0);
    expect(out).toBe('morning-report: ok (1 try)\nmorning-report: ok (1 try)\n');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('run --due TIME runs a fire time once across two invocations sharing a SQLite store', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${path.join(dir, 'jobs.db')}`);
    expect(await cli('run', 'morning-report', '-c', config, '--due', '2031-01-06T01:00:02Z')).toBe(0);
    expect(await cli('run', 'morning-report', '-c', config, '--due', '2031-01-06T01:00:40Z')).toBe(0);
    expect(out).toBe(
      'morning-report: ok (fire time 2031-01-06T01:00:00.000Z, 1 try)\n' +
        'morning-report: skipped (already-ran, fire time 2031-01-06T01:00:00.000Z)\n',
    );
    // The handler saw the fire time, not the event time; it ran once.
    expect(readFileSync(log, 'utf8')).toBe('morning-report 2031-01-06T01:00:00.000Z 1\n');
  });

  it('run --due without a time runs the fire time due now, and is skipped when none is', async () => {
    // 09:00 on weekdays: a Sunday event is not due (the last fire time is Friday's, too late).
    expect(await cli('run', 'morning-report', '-c', config, '--due', '2031-01-05T12:00:00Z', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ status: 'skipped', name: 'morning-report', reason: 'too-late' });
  });

  it("a job's push goes through WECOM_WEBHOOK_URL before the command returns", async () => {
    const key = fake.newKey();
    vi.stubEnv('WECOM_WEBHOOK_URL', fake.webhookUrl(key));
    expect(await cli('run', 'push-hello', '-c', config)).toBe(0);
    expect(fake.accepted(key).map((r) => r.body)).toEqual([{ msgtype: 'markdown', markdown: { content: '**早上好**' } }]);
  });

  it('a failing job exits 1 with its error', async () => {
    expect(await cli('run', 'fails', '-c', config)).toBe(1);
    expect(out).toContain('fails: failed after 1 try: job "fails" failed: upstream down');
  });

  it('bad input: unknown job, invalid cron, bad --due, missing config, the former jobs-module format', async () => {
    expect(await cli('run', 'nope', '-c', config)).toBe(1);
    expect(err).toContain('no job named "nope"');
    expect(err).toContain('its jobs: utc-cleanup, morning-report, push-hello, fails');
    err = '';
    expect(await cli('list', '-c', badCron)).toBe(1);
    expect(err).toMatch(/cron "0 0 25 \* \* \*" is invalid/);
    err = '';
    expect(await cli('run', 'morning-report', '-c', config, '--due', 'monday')).toBe(1);
    expect(err).toContain('--due "monday" is not a date');
    err = '';
    expect(await cli('list', '-c', path.join(dir, 'missing.mjs'))).toBe(1);
    expect(err).toContain('does not exist');
    err = '';
    expect(await cli('list', '-c', oldFormat)).toBe(1);
    expect(err).toContain('has no default export');
  });

  it('--help says where jobs come from', async () => {
    expect(await cli('list', '--help')).toBe(0);
    expect(out).toContain('bot.job(...)');
    expect(out).toContain('no longer read');
  });
});
