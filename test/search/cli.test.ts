import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main.js';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import type { EvalResult } from '../../src/search/eval.js';
import type { SearchHit } from '../../src/search/types.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { DOCS } from './fixtures.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await run(['node', 'wecombot', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const pgAvailable = await serviceAvailable('postgres', POSTGRES_URL);

describe('wecombot kb', () => {
  let dir: string;
  let docs: string;
  let file: string;
  const schema = `kb_cli_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kb-cli-'));
    docs = path.join(dir, 'docs');
    for (const d of DOCS) {
      await mkdir(path.dirname(path.join(docs, d.path)), { recursive: true });
      await writeFile(path.join(docs, d.path), d.content);
    }
    file = path.join(dir, 'kb.idx');
    await writeFile(path.join(dir, 'synonyms.txt'), '# test\n星河函数 = XFN\n');
    await writeFile(
      path.join(dir, 'queries.jsonl'),
      [
        { query: '函数如何计费？', relevant: ['函数/计费说明.md'], keywords: '函数 计费' },
        { query: '怎样上传大文件？', relevant: ['存储/常见问题.md'], keywords: '上传 大文件' },
        { query: '健康检查是什么？', relevant: ['网络/负载均衡.html'] },
      ]
        .map((q) => JSON.stringify(q))
        .join('\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (pgAvailable) {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('indexes a folder and prints a summary', async () => {
    const r = await cli(
      'kb',
      'index',
      docs,
      '--out',
      file,
      '--base-url',
      'https://docs.example.com/',
      '--url-ext',
      'html',
      '--synonyms',
      path.join(dir, 'synonyms.txt'),
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^indexed 7 pages, \d+ sections, \d+ terms, [\d.]+ MB in [\d.]+ s → /);
    const json = await cli('kb', 'index', docs, '--out', file, '--base-url', 'https://docs.example.com/', '--url-ext', 'html', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ pages: 7 });
  });

  it('searches with text, JSON and WeCom markdown output', async () => {
    const text = await cli('kb', 'search', '--index', file, '函数计费');
    expect(text.out).toContain('1. 计费说明 · 计费方式');
    expect(text.out).toContain(`https://docs.example.com/${encodeURIComponent('函数')}/${encodeURIComponent('计费说明')}.html#`);
    expect(text.out).toContain('[函数计费]');
    const json = await cli('kb', 'search', '--index', file, '-n', '2', '--json', '上传', '大文件');
    const hits = JSON.parse(json.out) as SearchHit[];
    expect(hits).toHaveLength(2);
    expect(hits[0]!.section).toBe('如何上传大文件？');
    const md = await cli('kb', 'search', '--index', file, '--markdown', '--highlight', 'warning', '健康检查');
    expect(md.out).toContain('1. [负载均衡简介](https://docs.example.com/');
    expect(md.out).toContain('<font color="warning">健康检查</font>');
  });

  it('indexes without learning or the customer vocabulary on request', async () => {
    const plain = path.join(dir, 'plain.idx');
    const r = await cli('kb', 'index', docs, '--out', plain, '--no-learn', '--no-customer-words', '--json');
    expect(r.code).toBe(0);
    const engine = EmbeddedEngine.load(plain);
    const usual = EmbeddedEngine.load(file);
    try {
      expect(engine.config).toMatchObject({ learn: false, customerWords: false, learned: { names: [], aliases: [] } });
      expect(usual.config).toMatchObject({ learn: true, customerWords: true });
    } finally {
      await engine.close();
      await usual.close();
    }
  });

  it('evaluates known-answer queries', async () => {
    const r = await cli('kb', 'eval', '--index', file, '--queries', path.join(dir, 'queries.jsonl'), '--field', 'keywords', '--json');
    const result = JSON.parse(r.out) as { queries: number; recallAt5: number; mrrAt10: number };
    expect(result).toMatchObject({ queries: 3, recallAt5: 1, mrrAt10: 1 });
    const plain = await cli('kb', 'eval', '--index', file, '--queries', path.join(dir, 'queries.jsonl'));
    expect(plain.out).toContain('recall@5     1.000');
  });

  it('evaluates any question field, with recall@1/3/5 and a breakdown per product', async () => {
    const lines = [
      { asked: '函数怎么收费', relevant: ['函数/计费说明.md'], product: '函数' },
      { asked: '大文件上传', relevant: ['存储/常见问题.md'], product: '存储' },
      { asked: '函数日志', relevant: ['函数/快速入门.md'], product: '函数' },
      { asked: '今天天气怎么样', relevant: [] },
    ];
    const queries = path.join(dir, 'asked.jsonl');
    await writeFile(queries, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = await cli('kb', 'eval', '--index', file, '--queries', queries, '--field', 'asked', '--json');
    const result = JSON.parse(r.out) as EvalResult;
    expect(result).toMatchObject({ field: 'asked', queries: 3, outOfScope: 1 });
    expect(result.recallAt1).toBeLessThanOrEqual(result.recallAt3);
    expect(result.recallAt3).toBeLessThanOrEqual(result.recallAt5);
    expect(Object.keys(result.byGroup!)).toEqual(['函数', '存储']);
    expect(result.byGroup!['函数']!.queries).toBe(2);
    const text = await cli('kb', 'eval', '--index', file, '--queries', queries, '--field', 'asked');
    expect(text.out).toContain('queries      3 (field: asked, 1 without relevant pages skipped)');
    expect(text.out).toMatch(/recall@1 +\d\.\d{3}/);
    expect(text.out).toMatch(/函数 \(2\) +\d\.\d{3} \/ \d\.\d{3}/);
    const missing = await cli('kb', 'eval', '--index', file, '--queries', queries, '--field', 'colloquial');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('queries line 1 has no "colloquial" text');
  });

  it('compares two configurations of an index in the same run', async () => {
    const r = await cli(
      'kb',
      'eval',
      '--index',
      file,
      '--queries',
      path.join(dir, 'queries.jsonl'),
      '--field',
      'keywords',
      '--with',
      '{"customerWords":false,"params":{"questionBonus":0}}',
      '--json',
    );
    const { runs } = JSON.parse(r.out) as { runs: Array<EvalResult & { name: string }> };
    expect(runs.map((x) => x.name)).toEqual([file, `${file} {"customerWords":false,"params":{"questionBonus":0}}`]);
    expect(runs.every((x) => x.queries === 3)).toBe(true);
    const text = await cli('kb', 'eval', '--index', file, '--queries', path.join(dir, 'queries.jsonl'), '--compare', file);
    expect(text.out).toMatch(/recall@5 +1\.000 +1\.000 +\+0\.000/);
    const bad = await cli('kb', 'eval', '--index', file, '--queries', path.join(dir, 'queries.jsonl'), '--with', '{oops');
    expect(bad.err).toContain('--with is not JSON');
  });

  it('updates an index in place: new pages in, deleted pages out', async () => {
    await writeFile(path.join(docs, '新功能.md'), '# 灰度发布\n\n按权重切流量。');
    await unlink(path.join(docs, 'notes.txt'));
    const urls = ['--base-url', 'https://docs.example.com/', '--url-ext', 'html'];
    const r = await cli('kb', 'index', docs, '--out', file, ...urls, '--update', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ pages: 7, unchanged: 6 });
    // Nothing changed since: nothing is analyzed again, the file stays as it is. Another base
    // URL changes every page.
    const before = (await stat(file)).mtimeMs;
    expect(JSON.parse((await cli('kb', 'index', docs, '--out', file, ...urls, '--update', '--json')).out)).toMatchObject({
      pages: 7,
      unchanged: 7,
    });
    expect((await stat(file)).mtimeMs).toBe(before);
    expect(JSON.parse((await cli('kb', 'index', docs, '--out', file, '--update', '--json')).out)).toMatchObject({ pages: 7, unchanged: 1 });
    const hits = JSON.parse((await cli('kb', 'search', '--index', file, '--json', '灰度发布')).out) as SearchHit[];
    expect(hits[0]!.path).toBe('新功能.md');
    expect((await cli('kb', 'search', '--index', file, 'on-call')).out).toContain('no results');
  });

  it('fails with one clear line on bad input', async () => {
    const r = await cli('kb', 'search', '--index', path.join(dir, 'missing.idx'), 'x');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^wecombot: cannot read index file .*missing\.idx \(build one with/);
    const bad = await cli('kb', 'index', path.join(dir, 'nope'), '--out', file);
    expect(bad.err).toContain('is not a folder');
  });

  it.runIf(pgAvailable)('indexes into and searches PostgreSQL', async () => {
    const url = `${POSTGRES_URL}?kb=cli&schema=${schema}`;
    const r = await cli('kb', 'index', docs, '--out', url, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ pages: 7 });
    const hits = JSON.parse((await cli('kb', 'search', '--index', url, '--json', '函数计费')).out) as SearchHit[];
    expect(hits[0]!.path).toBe('函数/计费说明.md');
    await unlink(path.join(docs, '新功能.md'));
    expect(JSON.parse((await cli('kb', 'index', docs, '--out', url, '--update', '--json')).out)).toMatchObject({ pages: 6 });
    const e = await cli('kb', 'eval', '--index', url, '--queries', path.join(dir, 'queries.jsonl'), '--json');
    expect(JSON.parse(e.out)).toMatchObject({ recallAt5: 1 });
  });
});
