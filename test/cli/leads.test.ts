/**
 * `wecombot leads ls|show|export|replay` on the store of the running bots: leads the bot took
 * in through its intake (the test kit), listed, shown with their audit, exported as CSV, and
 * captured deliveries replayed from a file and from stdin — stored once, whatever the replays.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { allLeads, baseConfig, feiyuAuth, feiyuClue, leadsRig } from '../bots/leads/rig.js';
import { runCli, spawnCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-leads-cli-'));
const url = `sqlite:${path.join(dir, 'bot.db')}`;
const configFile = path.join(dir, 'wecombot.config.ts');
let leadId = '';

beforeAll(async () => {
  const store = await openStore({ databaseUrl: url });
  const rig = await leadsRig({ store, clock: { now: () => Date.now(), set: () => undefined, advance: () => undefined } });
  const body = JSON.stringify(feiyuClue());
  await rig.deliver('feiyu', body, feiyuAuth(body, Date.now()));
  const masked = JSON.stringify(
    feiyuClue({ id: 'm-1', telphone: '138****0000', province_name: '北京', city_name: '北京', name: '=HYPERLINK()' }),
  );
  await rig.deliver('feiyu', masked, feiyuAuth(masked, Date.now()));
  leadId = (await allLeads(rig)).find((l) => l.externalId === '7034512345678901')!.id;
  await rig.close();
  await store.close();
  const options = baseConfig('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000');
  writeFileSync(
    configFile,
    `import { leads } from ${JSON.stringify(path.resolve('src/bots/index.ts'))};\nexport default { bots: [leads(${JSON.stringify(options)})] };\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wecombot leads', () => {
  it('ls: newest first, phones masked, the reason shown; filters', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const ls = await runCli('leads', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout.split('\n')[0]).toMatch(/^ID\s+CREATED\s+SOURCE\s+STATUS\s+WITH\s+PHONE\s+REGION\s+REASON$/);
    expect(ls.stdout).toContain('138****1234');
    expect(ls.stdout).toContain('上海 + 产品A → 李四, round-robin');
    expect(ls.stdout).not.toContain('13812341234');
    expect((await runCli('leads', 'ls', '--source', 'gdt')).stdout).toBe('no leads\n');
    const json = JSON.parse((await runCli('leads', 'ls', '--json', '--rep', 'lisi')).stdout) as { id: string; phone: string }[];
    expect(json.map((l) => [l.id, l.phone])).toEqual([[leadId, '+8613812341234']]);
  });

  it('show: the full lead and its audit trail', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const show = await runCli('leads', 'show', leadId.toLowerCase());
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('phone:    13812341234');
    expect(show.stdout).toMatch(/system {2}created →new/);
    expect(show.stdout).toMatch(/system {2}assigned \{"rep":"lisi","reason":"上海 \+ 产品A → 李四, round-robin"\}/);
    const missing = await runCli('leads', 'show', 'LNOPE');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no lead "LNOPE"');
  });

  it('export --csv: full values, the phone flag, formulas defused; --masked', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const out = path.join(dir, 'leads.csv');
    expect((await runCli('leads', 'export', '--csv', '-o', out)).code).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv.startsWith('\uFEFFid,created,source,external_id,status,name,phone,phone_flag')).toBe(true);
    // A leading + would start an Excel formula: defused like any other.
    expect(csv).toContain(`,张三,"'+8613812341234",,`);
    expect(csv).toContain(`"'=HYPERLINK()",138****0000,masked,`);
    const maskedOut = path.join(dir, 'masked.csv');
    await runCli('leads', 'export', '--csv', '--masked', '-o', maskedOut);
    const masked = readFileSync(maskedOut, 'utf8');
    expect(masked).toContain(',张**,138****1234,');
    expect(masked).not.toContain('13812341234');
  });

  it('usage errors exit 2; --help names the environment', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    expect((await runCli('leads', 'export')).code).toBe(2);
    expect((await runCli('leads', 'export', '--csv', '--json')).code).toBe(2);
    const bad = await runCli('leads', 'ls', '--status', 'hot');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status "hot" is not a status');
    expect((await runCli('leads', 'ls', '--since', 'last week')).code).toBe(2);
    expect((await runCli('leads', 'nope')).code).toBe(2);
    const help = await runCli('leads', 'replay', '--help');
    expect(help.stdout).toContain('WECOMBOT_DATABASE_URL');
    expect(help.stdout).toContain('- reads stdin');
  });

  it('replay FILE: a stored delivery changes nothing, a lost one is stored, a bad line is named', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    const capture = path.join(dir, 'capture.jsonl');
    writeFileSync(
      capture,
      [
        JSON.stringify({ source: 'feiyu', body: feiyuClue() }),
        JSON.stringify({
          source: 'feiyu',
          body: feiyuClue({ id: 'lost-1', telphone: '13900002222', province_name: '广州', city_name: '广州' }),
        }),
        JSON.stringify({ source: 'feiyu', body: feiyuClue({ id: 'lost-1', telphone: '13900002222' }) }),
        JSON.stringify({ source: 'form', body: 'name=周&phone=13700003333', contentType: 'application/x-www-form-urlencoded' }),
        JSON.stringify({ source: 'feiyu', body: { name: 'no id' } }),
        JSON.stringify({ source: 'baidu', body: {} }),
      ].join('\n'),
    );
    const res = await runCli('leads', 'replay', capture, '-c', configFile);
    expect(res.stdout).toContain('6 deliveries: 2 new, 0 repeats, 2 already stored, 2 failed');
    expect(res.stdout).toContain('line 5: id is missing');
    expect(res.stdout).toContain('line 6: no lead source "baidu"');
    expect(res.code).toBe(1);
    const again = JSON.parse((await runCli('leads', 'replay', capture, '-c', configFile, '--json')).stdout) as {
      new: number;
      replay: number;
    };
    expect(again).toMatchObject({ new: 0, replay: 4 });
    const broken = await runCli('leads', 'replay', configFile, '-c', configFile);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('line 1 is not JSON');
  });

  it('replay - reads one raw body from stdin with --source', async () => {
    const body = JSON.stringify(feiyuClue({ id: 'stdin-1', telphone: '13600004444' }));
    const res = await spawnCli(['leads', 'replay', '-', '--source', 'feiyu', '-c', configFile], body, { WECOMBOT_DATABASE_URL: url });
    expect(res.stdout).toContain('1 deliveries: 1 new');
    expect(res.code).toBe(0);
    vi.stubEnv('WECOMBOT_DATABASE_URL', url);
    expect((await runCli('leads', 'ls', '--json')).stdout).toContain('+8613600004444');
  });
});
