/**
 * `wecombot signup list` and `wecombot signup export ACTIVITY --csv`: the store of the running
 * bots (WECOMBOT_DATABASE_URL), filled here by members signing up through the test kit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signup } from '../../src/bots/signup/module.js';
import { openStore } from '../../src/store/index.js';
import { createTestGroup } from '../../src/testing/fake-group/index.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-signup-cli-'));
const url = `sqlite:${path.join(dir, 'bot.db')}`;

beforeAll(async () => {
  const store = await openStore({ databaseUrl: url });
  const activity = {
    id: 'reading',
    title: '周六读书会',
    startsAt: '2099-06-03T14:00:00+08:00',
    capacity: 2,
    fields: ['name', 'phone', '公司'],
  };
  const group = await createTestGroup({ store, bots: [signup({ activities: [activity] })] });
  const fill = async (userId: string, answers: string[]) => {
    await group.member(userId).says('@bot 报名');
    for (const a of answers) await group.member(userId).says(`@bot ${a}`);
  };
  await fill('alice', ['张三', '13812345678', '=HYPERLINK("http://x")']);
  await fill('bob', ['李四', '13900001111', '跳过']);
  await fill('carol', ['王五, Jr.', '13700002222', '"Quotes" Inc']);
  await group.member('bob').says('@bot 取消报名');
  await group.close();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wecombot signup', () => {
  it('export --csv writes the full roster, CSV-quoted, formulas defused', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const { code, stdout, stderr } = await runCli('signup', 'export', 'reading', '--csv');
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout.startsWith('\uFEFF')).toBe(true);
    const lines = stdout.slice(1).split('\r\n');
    expect(lines[0]).toBe('编号,状态,姓名,userid,人数,手机,公司,报名时间,确认截止');
    expect(lines[1]).toMatch(/^1,已报名,张三,alice,1,13812345678,"'=HYPERLINK\(""http:\/\/x""\)",\d{4}-\d{2}-\d{2} \d{2}:\d{2},$/);
    // bob cancelled: carol was offered the seat.
    expect(lines[2]).toMatch(/^3,候补待确认,"王五, Jr\.",carol,1,13700002222,"""Quotes"" Inc",[\d :-]+,\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });

  it('--all adds the cancelled ones; --masked masks names and phones; --out writes a file', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const out = path.join(dir, 'roster.csv');
    const { code, stderr } = await runCli('signup', 'export', 'reading', '--csv', '--all', '--masked', '--out', out);
    expect(code).toBe(0);
    expect(stderr).toBe(`wrote 3 sign-ups of reading to ${out}\n`);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain('2,已取消,李**,b**,1,139****1111,');
    expect(csv).not.toContain('13812345678');
  });

  it('--json and the plain table; list shows the activity with its seats', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const json = JSON.parse((await runCli('signup', 'export', 'reading', '--json')).stdout) as { signups: { 姓名: string }[] };
    expect(json.signups.map((s) => s.姓名)).toEqual(['张三', '王五, Jr.']);
    expect((await runCli('signup', 'export', 'reading')).stdout).toContain('reading 周六读书会: 2 sign-ups');
    const list = await runCli('signup', 'list');
    expect(list.stdout).toMatch(/reading\s+周六读书会\s+2099-06-03 14:00\s+2\/2\s+0\s+open/);
  });

  it('refuses an unknown activity and a store without sign-ups, saying why', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const unknown = await runCli('signup', 'export', 'nope', '--csv');
    expect([unknown.code, unknown.stderr]).toEqual([
      1,
      'wecombot: no activity "nope" in this store (wecombot signup list shows the upcoming ones)\n',
    ]);
    vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${path.join(dir, 'empty.db')}`);
    const empty = await runCli('signup', 'export', 'reading', '--csv');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('this store has no sign-ups');
  });
});
