/**
 * `wecombot faq index|unanswered|promote` on a tea-shop Q&A set written for the tests, with a
 * SQLite file as the store `serve` would use (the log must survive between commands).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFaqConfig } from '../../src/bots/faq/config.js';
import { openFaq } from '../../src/bots/faq/loader.js';
import { promotePhrasing } from '../../src/bots/faq/promote.js';
import { parseQa } from '../../src/bots/faq/source.js';
import { run } from '../../src/cli/main.js';
import { createTestGroup } from '../../src/testing/fake-group/index.js';
import { faq } from '../../src/bots/faq/module.js';
import { TEA_SHOP_CSV, TEA_SHOP_MD, TEA_SHOP_YAML, writeFixture } from '../bots/faq/fixture.js';

const dir = writeFixture({ 'faq.yaml': TEA_SHOP_YAML, 'faq.csv': TEA_SHOP_CSV, 'faq.md': TEA_SHOP_MD });
const config = path.join(dir, 'wecombot.config.ts');
writeFileSync(
  config,
  `import { faq } from ${JSON.stringify(path.resolve('src/bots/index.ts'))};\nexport default { bots: [faq({ source: ${JSON.stringify(path.join(dir, 'faq.yaml'))}, index: ${JSON.stringify(path.join(dir, 'faq.idx'))} })] };\n`,
);
const db = path.join(dir, 'data.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  process.exitCode = undefined;
  vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${db}`);
  vi.stubEnv('WECOMBOT_REDIS_URL', '');
  vi.stubEnv('WECOMBOT_LOG_LEVEL', 'silent');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
});

const cli = (...args: string[]) => run(['node', 'wecombot', 'faq', ...args, '-c', config]);

describe('wecombot faq', () => {
  it('index writes an index file the bot opens without rebuilding, and notices when it is stale', async () => {
    expect(await cli('index')).toBe(0);
    expect(out).toContain('faq.idx: 7 entries');
    const options = parseFaqConfig({ source: path.join(dir, 'faq.yaml'), index: path.join(dir, 'faq.idx') });
    const opened = await openFaq(options);
    expect(opened.note).toBeUndefined();
    expect(opened.matcher.match('开会员要多少钱').candidates[0]?.entry.id).toBe(2);
    const stale = await openFaq({ ...options, synonyms: [['茶叶', '茶']] });
    expect(stale.note).toBe('index is stale');
  });

  it('unanswered lists what customers asked, and promote turns one into a phrasing of the clicked entry', async () => {
    vi.stubEnv('WECOMBOT_DATABASE_URL', `sqlite:${db}`);
    const { openStoreFromEnv } = await import('../../src/store/open.js');
    const store = await openStoreFromEnv(process.env);
    const group = await createTestGroup({ store, bots: [faq({ source: path.join(dir, 'faq.yaml') })] });
    await group.member('alice').says('@bot 会员');
    await group.settle();
    await group.member('alice').clicks('faq', { name: 'faq:q-7', value: 'faq:q-7' });
    await group.member('bob').says('@bot 会员');
    await group.close();
    await store.close();

    expect(await cli('unanswered')).toBe(0);
    expect(out).toMatch(/^COUNT\s+QUESTION\s+OUTCOME\s+CLOSEST\s+CLICKED/);
    expect(out).toMatch(/\n2\s+会员\s+suggest\s+\d+\s+7\s/);
    out = '';
    expect(await cli('promote', '会员')).toBe(0);
    expect(out).toContain('entry 7 "会员积分怎么兑换礼品？" now has 2 phrasing(s)');
    expect(out).toContain('faq.idx: 7 entries');
    const yaml = readFileSync(path.join(dir, 'faq.yaml'), 'utf8');
    expect(yaml).toContain('phrasings: [ 积分能换什么, 会员 ]');
    expect(yaml).toContain('# 茶铺小程序 FAQ'); // comments kept
    out = '';
    await cli('unanswered', '--json', '--all');
    expect(JSON.parse(out)).toMatchObject([{ question: '会员', promoted_id: 7 }]);
  });

  it('promote writes CSV and Markdown files in their own format', async () => {
    await promotePhrasing(path.join(dir, 'faq.csv'), 2, '会员年费');
    expect((await parseQa(readFileSync(path.join(dir, 'faq.csv'), 'utf8'), 'faq.csv')).entries[1]!.phrasings).toEqual([
      '开会员要多少钱',
      '会员年费',
    ]);
    await promotePhrasing(path.join(dir, 'faq.md'), 2, '能开票吗');
    await promotePhrasing(path.join(dir, 'faq.md'), 1, '退款多久到账');
    const md = readFileSync(path.join(dir, 'faq.md'), 'utf8');
    expect(md).toContain('### 可以开发票吗？\n也问：能开票吗\n');
    expect(md).toContain('也问：退款流程是什么 | 买错了能退吗 | 退款多久到账');
    expect((await parseQa(md, 'faq.md')).entries[1]!.answer).toBe('可以，在订单详情页申请。');
  });

  it('names the problem when the config has no faq module or the entry is unknown', async () => {
    expect(await run(['node', 'wecombot', 'faq', 'index', '-c', path.join(dir, 'none.config.ts')])).not.toBe(0);
    await expect(promotePhrasing(path.join(dir, 'faq.yaml'), 99, 'x')).rejects.toThrow(/faq\.yaml:1: has no entry 99/);
  });
});
