import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { runCli as cli, spawnCli } from '../helpers/cli.js';
import { AMR, PNG_1PX } from './helpers.js';

describe('wecombot send', () => {
  let fake: FakeWecom;
  let dir: string;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
    dir = await mkdtemp(join(tmpdir(), 'wecombot-send-'));
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    for (const k of ['WECOM_WEBHOOK_URL', 'WECOM_WEBHOOK_KEY', 'WECOM_API_BASE', 'HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'])
      delete process.env[k];
  });
  afterEach(() => {
    process.env = { ...saved };
  });
  const bodies = () => fake.accepted().map((r) => r.body as Record<string, unknown>);

  it('sends text with mentions to several --webhook robots, exit 0', async () => {
    const other = fake.newKey();
    const r = await cli(
      'send',
      '--webhook',
      fake.url,
      '--webhook',
      fake.webhookUrl(other),
      '--text',
      'deploy done',
      '--mention',
      '@all',
      '--mention-mobile',
      '13800000000',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sent 2 message\(s\) to 2 target\(s\)/);
    expect(bodies()).toEqual(
      [0, 1].map(() => ({
        msgtype: 'text',
        text: { content: 'deploy done', mentioned_list: ['@all'], mentioned_mobile_list: ['13800000000'] },
      })),
    );
  });

  it('takes the key from WECOM_WEBHOOK_KEY and the base from WECOM_API_BASE', async () => {
    process.env.WECOM_WEBHOOK_KEY = fake.key;
    process.env.WECOM_API_BASE = fake.baseUrl;
    expect((await cli('send', '--markdown', '**ok**', '--mention', 'alice')).code).toBe(0);
    expect(bodies()).toEqual([{ msgtype: 'markdown', markdown: { content: '**ok**\n<@alice>' } }]);
    process.env.WECOM_WEBHOOK_URL = fake.url;
    delete process.env.WECOM_WEBHOOK_KEY;
    expect((await cli('send', '--markdown-v2', '# v2')).code).toBe(0);
    expect(bodies()[1]).toEqual({ msgtype: 'markdown_v2', markdown_v2: { content: '# v2' } });
  });

  it('sends image, file, voice, news and card', async () => {
    const png = join(dir, 'a.png');
    const txt = join(dir, 'report.csv');
    const amr = join(dir, 'v.amr');
    await writeFile(png, PNG_1PX);
    await writeFile(txt, 'a,b\n1,2\n');
    await writeFile(amr, AMR);
    const card = JSON.stringify({
      card_type: 'text_notice',
      main_title: { title: 'T' },
      card_action: { type: 1, url: 'https://example.com' },
    });
    const news = JSON.stringify([{ title: 'N', url: 'https://example.com' }]);
    for (const args of [
      ['--image', png],
      ['--file', txt],
      ['--voice', amr],
      ['--news', news],
      ['--card', card],
    ]) {
      const r = await cli('send', '--webhook', fake.url, ...(args as [string, string]));
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(0);
    }
    expect(bodies().map((b) => b.msgtype)).toEqual(['image', 'file', 'voice', 'news', 'template_card']);
    expect(fake.received.find((r) => r.endpoint === 'upload_media')?.upload?.filename).toBe('report.csv');
  });

  it('--chatid targets chats', async () => {
    expect((await cli('send', '--webhook', fake.url, '--text', 'x', '--chatid', 'wrA|wrB')).code).toBe(0);
    expect(bodies()[0]).toMatchObject({ chatid: 'wrA|wrB' });
  });

  it('--dry-run prints the request bodies (split) and sends nothing', async () => {
    const long = Array.from({ length: 300 }, (_, i) => `line ${i}: all checks passed`).join('\n');
    const r = await cli('send', '--webhook', fake.url, '--text', long, '--dry-run');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msgtype: string; text: { content: string } });
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.text.content).join('\n')).toBe(long);
    expect(r.stderr).toMatch(/dry run: \d+ request\(s\) to each of 1 target/);
    expect(r.stderr).not.toContain(fake.key);
    expect(fake.received).toHaveLength(0);
    const noTarget = await cli(
      'send',
      '--card',
      '{"card_type":"text_notice","main_title":{"title":"T"},"card_action":{"type":1,"url":"https://e.x"}}',
      '--dry-run',
      '--json',
    );
    expect(JSON.parse(noTarget.stdout)).toMatchObject({ dryRun: true, targets: [], bodies: [{ msgtype: 'template_card' }] });
  });

  it('exit 1 and one line per failed target with errcode and hint, no key; --json per target', async () => {
    const bad = '00000000-0000-0000-0000-00000000dead';
    const strict = await startFakeWecom({ validKeys: [fake.key] });
    try {
      const r = await cli('send', '--webhook', strict.webhookUrl(fake.key), '--webhook', strict.webhookUrl(bad), '--text', 'x', '--json');
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^wecombot: http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/webhook\/send\?key=0000…dead: errcode 93000: invalid webhook url \(the webhook key is wrong or the robot was removed/,
      );
      expect(r.stderr + r.stdout).not.toContain(bad);
      const json = JSON.parse(r.stdout) as { ok: boolean; results: { ok: boolean; errcode?: number; error?: { code: string } }[] };
      expect(json.ok).toBe(false);
      expect(json.results.map((x) => x.ok)).toEqual([true, false]);
      expect(json.results[1]).toMatchObject({ errcode: 93000, error: { code: 'wecom_invalid_webhook_url' } });
    } finally {
      await strict.close();
    }
  });

  it('usage errors: no message, two messages, no webhook, mentions where impossible, invalid message', async () => {
    expect((await cli('send', '--webhook', fake.url)).stderr).toMatch(/nothing to send/);
    expect((await cli('send', '--webhook', fake.url, '--text', 'a', '--markdown', 'b')).stderr).toMatch(/not --text and --markdown/);
    expect((await cli('send', '--text', 'a')).stderr).toMatch(/no webhook given.*WECOM_WEBHOOK_URL/);
    expect((await cli('send', '--webhook', fake.url, '--markdown', 'a', '--mention-mobile', '1')).code).toBe(2); // usage: exit 2
    expect((await cli('send', '--webhook', fake.url, '--markdown-v2', 'a', '--mention', 'x')).stderr).toMatch(/cannot mention/);
    expect((await cli('send', '--webhook', fake.url, '--news', '[]')).stderr).toMatch(/news\.articles/);
    expect((await cli('send', '--webhook', fake.url, '--news', 'not json')).stderr).toMatch(/--news is not a JSON/);
    expect(fake.received).toHaveLength(0);
  });

  it('reads "-" from stdin (a report piped into --markdown -)', async () => {
    const r = await spawnCli(['send', '--key', fake.key, '--markdown', '-'], '# Daily report\n\n- orders: 42\n', {
      WECOM_API_BASE: fake.baseUrl,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(bodies()).toEqual([{ msgtype: 'markdown', markdown: { content: '# Daily report\n\n- orders: 42' } }]);
  });
});
