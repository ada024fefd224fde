import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kbSearch } from '../../../src/bots/kb-search/module.js';
import { EmbeddedEngine } from '../../../src/search/backends/embedded.js';
import { utf8ByteLength } from '../../../src/protocol/text/utf8.js';
import { createTestGroup, type TestGroup } from '../../../src/testing/fake-group/index.js';

// A knowledge base written for these tests: three small pages, Chinese and English.
const PAGES = [
  {
    path: 'deploy/scf.md',
    content:
      '---\ntitle: 部署到云函数\n---\n# 部署到云函数\n\n## 创建函数\n\n在控制台新建事件函数，执行方法填写 index.main_handler。\n\n## 函数 URL\n\n开启函数 URL 后，把地址填到机器人的接收消息配置。',
  },
  { path: 'billing.md', content: '# 计费说明\n\n云函数按调用次数、资源使用量和外网出流量计费，空闲时不产生调用费用。' },
  { path: 'limits.md', content: '# Rate limits\n\nEach robot may send 20 messages per minute; over that WeCom answers errcode 45009.' },
];

let dir: string;
let indexFile: string;
let group: TestGroup | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kb-bot-'));
  indexFile = join(dir, 'kb.idx');
  const engine = new EmbeddedEngine(undefined, { baseUrl: 'https://docs.example.com/' });
  await engine.index(PAGES);
  await engine.save(indexFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('kb-search bot', () => {
  it('answers keywords passively with linked, highlighted hits', async () => {
    group = await createTestGroup({ bots: [kbSearch({ source: indexFile })] });
    const ex = await group.member('alice').says('@bot 函数计费');
    expect(ex.reply?.msgtype).toBe('markdown');
    const md = ex.reply?.content ?? '';
    expect(md).toContain('[计费说明](https://docs.example.com/billing');
    expect(md).toMatch(/<font color="warning">[^<]*(计费|函数)[^<]*<\/font>/);
    expect(utf8ByteLength(md)).toBeLessThanOrEqual(4096);
  });

  it('points to the best section with an anchor', async () => {
    group = await createTestGroup({ bots: [kbSearch({ source: indexFile })] });
    const ex = await group.member('bob').says('@bot 函数 URL 接收消息');
    expect(ex.reply?.content).toContain('deploy/scf');
    expect(ex.reply?.content).toContain(`#${encodeURIComponent('函数')}-url`);
  });

  it('gives usage for an empty message and for help', async () => {
    group = await createTestGroup({ bots: [kbSearch({ source: indexFile, examples: ['部署 云函数'] })] });
    for (const text of ['@bot', '@bot help']) {
      const ex = await group.member('carol').says(text);
      expect(ex.reply?.content).toContain('`部署 云函数`');
    }
  });

  it('suggests the closest pages when the whole query matches nothing', async () => {
    group = await createTestGroup({ bots: [kbSearch({ source: indexFile })] });
    const ex = await group.member('dave').says('@bot 计费 zzzqqq');
    // "计费 zzzqqq" still matches 计费; a query with no known word at all gets the friendly text.
    expect(ex.reply?.content).toContain('计费说明');
    const none = await group.member('dave').says('@bot qqqxxx');
    expect(none.reply?.content).toContain('没有找到');
    expect(none.reply?.content).toContain('换几个关键词');
  });

  it('answers an AI bot (智能机器人) in bold, without font colours', async () => {
    group = await createTestGroup({ bots: [kbSearch({ source: indexFile })] }, { robot: 'aibot' });
    const ex = await group.member('erin').says('rate limit 45009');
    const body = JSON.stringify(ex.reply ?? ex.response);
    expect(body).toContain('Rate limits');
    expect(body).not.toContain('font color');
    expect(body).toContain('**');
  });

  it('refuses to start without its index file, saying how to build one', async () => {
    await expect(createTestGroup({ bots: [kbSearch({ source: join(dir, 'missing.idx') })] })).rejects.toMatchObject({
      code: 'bot_config_invalid',
      message: expect.stringMatching(/^kb-search: source: the index file .*missing\.idx does not exist/),
      hint: expect.stringContaining('wecombot kb index docs/ --out'),
    });
  });

  it('reports an index removed after start to bot.catch and still acks WeCom', async () => {
    const copy = join(dir, 'removed.idx');
    await copyFile(indexFile, copy);
    group = await createTestGroup({ bots: [kbSearch({ source: copy })] });
    await rm(copy);
    const errors: string[] = [];
    group.bot.catch((err) => {
      errors.push(err.message);
    });
    const ex = await group.member('frank').says('@bot 计费');
    expect(ex.status).toBe(200);
    expect(errors.join()).toMatch(/index file/);
  });

  it('rejects a configuration without a source, naming the field', () => {
    expect(() => kbSearch({ source: '' })).toThrow(/source/);
  });
});
