/**
 * `wecombot welcome coupons import|status|export` against a SQLite file as the store `serve`
 * would use: imports (CSV, text, pattern) idempotent, malformed files refused whole with the
 * file, the line and the reason, status counts, and the export of who holds what.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claimCoupon } from '../../src/bots/welcome/coupons/claim.js';
import { openCouponLedger } from '../../src/bots/welcome/coupons/open.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-cli-welcome-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

let db = '';
beforeEach(() => {
  db = path.join(dir, `data-${Math.random().toString(36).slice(2)}.db`);
  vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${db}`);
  vi.stubEnv('WECOMBOT_REDIS_URL', '');
  vi.stubEnv('WECOMBOT_LOG_LEVEL', 'silent');
});
afterEach(() => vi.unstubAllEnvs());

const coupons = (...args: string[]) => runCli('welcome', 'coupons', ...args);

describe('wecombot welcome coupons', () => {
  it('imports a CSV, skips codes already there on a second import, and counts them in status', async () => {
    const csv = file('codes.csv', 'code,note\nW-001,a\nW-002,b\nW-003,c\n');
    expect(await coupons('import', csv, '--pool', 'spring')).toMatchObject({ code: 0, stdout: `${csv}: 3 added; pool spring: 3 free\n` });
    const more = file('more.txt', 'W-003\nW-004\n');
    expect((await coupons('import', more, '--pool', 'spring')).stdout).toBe(
      `${more}: 1 added, 1 already in a pool (skipped); pool spring: 4 free\n`,
    );
    const status = await coupons('status', '--pool', 'spring', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({
      pool: 'spring',
      total: 4,
      issued: 0,
      free: 4,
      batches: [
        { batch: 'cli:codes.csv', total: 3 },
        { batch: 'cli:more.txt', total: 1 },
      ],
    });
  });

  it('refuses a malformed file whole, naming the file, the line and the reason', async () => {
    const bad = file('bad.csv', 'code\nW-010\nW-011\nW 012\n');
    const r = await coupons('import', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:4: the code has a space`);
    expect(JSON.parse((await coupons('status', '--json')).stdout)).toMatchObject({ pool: 'default', total: 0 });
    const missing = await coupons('import', path.join(dir, 'nope.csv'));
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('nope.csv: cannot be read (ENOENT)')]);
  });

  it('generates codes from a pattern, --count more each time; a dry run imports nothing', async () => {
    expect((await coupons('import', '--pattern', 'NEW-{XXXXXX}', '--count', '25', '--dry-run')).stdout).toContain(
      '25 would be generated (dry run: nothing imported)',
    );
    expect((await coupons('import', '--pattern', 'NEW-{XXXXXX}', '--count', '25')).stdout).toBe(
      'pattern NEW-{XXXXXX}: 25 added; pool default: 25 free\n',
    );
    expect((await coupons('import', '--pattern', 'NEW-{XXXXXX}', '--count', '5')).stdout).toBe(
      'pattern NEW-{XXXXXX}: 5 added; pool default: 30 free\n',
    );
    const small = await coupons('import', '--pattern', 'N-{9}', '--count', '5');
    expect([small.code, small.stderr]).toEqual([2, expect.stringContaining('makes only 10 different codes')]);
    const neither = await coupons('import');
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('nothing to import')]);
  });

  it('exports who holds which code, as CSV or only the issued ones, to stdout or a file', async () => {
    await coupons('import', file('codes.txt', 'E-001\nE-002\n'));
    const store = await openStore({ databaseUrl: `sqlite:${db}` });
    try {
      await claimCoupon(await openCouponLedger(store, 'default'), { customer: 'wmAlice', via: 'customer-add', chat: 'staff:zhangsan' });
    } finally {
      await store.close();
    }
    const all = await coupons('export');
    const [header, first, second] = all.stdout.trim().split('\n');
    expect(header).toBe('code,seq,batch,customer,claimed_at,via,chat');
    expect(first).toMatch(/^E-001,1,cli:codes\.txt,wmAlice,\d{4}-\d\d-\d\dT[\d:.]+Z,customer-add,staff:zhangsan$/);
    expect(second).toBe('E-002,2,cli:codes.txt,,,,');
    const out = path.join(dir, 'issued.json');
    expect((await coupons('export', '--issued', '--json', '--out', out)).stderr).toBe(`${out}: 1 codes\n`);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { code: string }[]).map((c) => c.code)).toEqual(['E-001']);
    expect((await coupons('status')).stdout).toContain('pool default: 2 codes, 1 issued, 1 free');
  });

  it('takes the pool from the config’s welcome module', async () => {
    const config = file(
      'wecombot.config.ts',
      `import { welcome } from ${JSON.stringify(path.resolve('src/bots/index.ts'))};\nexport default { bots: [welcome({ coupons: { pool: 'vip' } })] };\n`,
    );
    expect((await coupons('import', file('vip.txt', 'V-001\n'), '-c', config)).stdout).toContain('pool vip: 1 free');
  });
});
