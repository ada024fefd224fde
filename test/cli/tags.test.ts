/**
 * `wecombot tags add|rm|ls|import|export` on the store of the running bots (WECOMBOT_DATABASE_URL),
 * whose tags the bot itself also wrote through the test kit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tags } from '../../src/bots/tags/module.js';
import { openStore } from '../../src/store/index.js';
import { createTestGroup } from '../../src/testing/fake-group/index.js';
import { runCli, spawnCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-tags-cli-'));
const url = `sqlite:${path.join(dir, 'bot.db')}`;

beforeAll(async () => {
  const store = await openStore({ databaseUrl: url });
  const group = await createTestGroup({ store, bots: [tags({ staff: ['boss'], groups: { 等级: ['VIP'] } })] });
  await group.member('zs', { name: '张三' }).says('@bot hi');
  await group.member('boss').says('@bot /tag @张三 VIP');
  await group.close();
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wecombot tags', () => {
  it('add, ls with counts, ls SUBJECT --audit, rm', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    vi.stubEnv('WECOM_CORP_ID', '');
    expect(await runCli('tags', 'add', 'ls1', 'VIP', '上海', '--name', '李四')).toMatchObject({
      code: 0,
      stdout: 'added VIP, 上海 to ls1\n',
    });
    const ls = await runCli('tags', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/等级\s+VIP\s+2\s+local/);
    expect(ls.stdout).toMatch(/默认\s+上海\s+1\s+local/);
    const audit = await runCli('tags', 'ls', 'zs', '--audit');
    expect(audit.stdout).toMatch(/^zs: VIP\n/);
    expect(audit.stdout).toMatch(/add\s+VIP\s+boss\s+chat/);
    expect((await runCli('tags', 'rm', 'ls1', '上海')).stdout).toBe('removed 上海 from ls1\n');
    expect(JSON.parse((await runCli('tags', 'ls', 'ls1', '--json')).stdout)).toEqual({ subject: 'ls1', tags: ['VIP'] });
  });

  it('usage errors exit 2 with the reason; --help names the environment', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const bad = await runCli('tags', 'add', 'ls1', 'has space');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('has a space');
    expect((await runCli('tags', 'rm', 'ls1')).code).toBe(2);
    expect((await runCli('tags', 'rm', '--delete', 'nope')).code).toBe(2);
    const help = await runCli('tags', 'export', '--help');
    expect(help.stdout).toContain('WECOMBOT_DATABASE_URL');
    expect(help.stdout).toContain('WECOM_CORP_ID');
  });

  it('import from stdin (-) and export to stdout round-trip; a bad line stops the import, naming it, before anything is written', async () => {
    const csv = 'subject,tag,group,name\r\nwmCUSTOMER0001,已购,状态,王五\r\nwmCUSTOMER0001,VIP,,\r\nzz,"=cmd",,\r\n';
    const bad = await spawnCli(['tags', 'import', '-'], 'subject,tag\nok1,A\n,B\n', { WECOMBOT_DATABASE_URL: url, WECOM_CORP_ID: '' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 3: subject is empty');
    expect(JSON.parse((await runCli('tags', 'ls', 'ok1', '--json')).stdout).tags).toEqual([]);

    const ok = await spawnCli(['tags', 'import', '-'], csv.replace(',"=cmd"', ',cmd'), { WECOMBOT_DATABASE_URL: url, WECOM_CORP_ID: '' });
    expect([ok.code, ok.stderr]).toEqual([0, 'imported 3 lines: 3 new assignments\n']);
    const out = await spawnCli(['tags', 'export', '-'], '', { WECOMBOT_DATABASE_URL: url, WECOM_CORP_ID: '' });
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('subject,tag,group,name,added_at,added_by');
    expect(lines).toContainEqual(expect.stringMatching(/^wmCUSTOMER0001,已购,状态,王五,\d{4}-\d\d-\d\dT[\d:.]+Z,csv$/));
    expect(lines).toContainEqual(expect.stringMatching(/^zs,VIP,等级,张三,.*,boss$/));
    // The export imports back as it is (its own columns ignored), adding nothing new.
    const file = path.join(dir, 'out.csv');
    writeFileSync(file, out.stdout);
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const again = await runCli('tags', 'import', file);
    expect([again.code, again.stderr]).toEqual([0, `imported ${lines.length - 1} lines: 0 new assignments\n`]);
    expect(readFileSync(file, 'utf8')).toContain('wmCUSTOMER0001');
  });
});
