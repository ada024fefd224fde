import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { pageDigest } from '../../src/search/core/page-digest.js';
import { SearchError } from '../../src/search/errors.js';
import { openKnowledgeBase } from '../../src/search/open.js';
import { DOCS } from './fixtures.js';

const QUERIES = ['函数计费', '上传 大文件', 'putObject', 'scf_bootstrap', '健康检查', '存储桶 名称 限制', 'on-call 告警', '运行环境'];

describe('index file', () => {
  let dir: string;
  let engine: EmbeddedEngine;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kb-file-'));
    engine = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example', synonyms: '星河函数 = XFN' });
    await engine.index(DOCS);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips: a loaded index answers exactly like the one that wrote it', async () => {
    const file = path.join(dir, 'kb.idx');
    const size = await engine.save(file);
    expect(size).toBeGreaterThan(0);
    const loaded = EmbeddedEngine.load(file);
    const fromBuffer = EmbeddedEngine.fromBuffer(engine.toBuffer());
    try {
      for (const q of QUERIES) {
        const want = engine.searchSync(q, { limit: 5 });
        expect(want.length, q).toBeGreaterThan(0);
        expect(loaded.searchSync(q, { limit: 5 }), q).toEqual(want);
        expect(fromBuffer.searchSync(q, { limit: 5 }), q).toEqual(want);
      }
      expect(loaded.stats()).toEqual(engine.stats());
      // The configuration travels with the file: synonyms work without passing them again.
      expect(loaded.config.synonyms).toEqual([['星河函数', 'xfn']]);
    } finally {
      await loaded.close();
    }
  });

  it('updates a loaded index incrementally and saves it again', async () => {
    const file = path.join(dir, 'kb2.idx');
    await engine.save(file);
    const loaded = EmbeddedEngine.load(file);
    await loaded.index([{ path: 'new.md', content: '# 灰度发布\n\n按权重切流量。' }]);
    await loaded.remove(['函数/计费说明.md']);
    expect(loaded.searchSync('灰度发布')[0]!.path).toBe('new.md');
    expect(loaded.searchSync('函数计费').map((h) => h.path)).not.toContain('函数/计费说明.md');
    // Statistics match an index built from scratch with the same pages.
    const fresh = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example', synonyms: '星河函数 = XFN' });
    await fresh.index([...DOCS.filter((d) => d.path !== '函数/计费说明.md'), { path: 'new.md', content: '# 灰度发布\n\n按权重切流量。' }]);
    expect(loaded.stats()).toEqual(fresh.stats());
    expect(loaded.kb.df('函数')).toBe(fresh.kb.df('函数'));
    expect(loaded.kb.totalDf).toBe(fresh.kb.totalDf);
    for (const q of ['函数 日志', '上传', '灰度']) {
      expect(loaded.searchSync(q).map((h) => [h.path, h.score])).toEqual(fresh.searchSync(q).map((h) => [h.path, h.score]));
    }
    const again = path.join(dir, 'kb3.idx');
    await loaded.save(again);
    await loaded.close();
    const reloaded = EmbeddedEngine.load(again);
    expect(reloaded.searchSync('灰度发布')[0]!.path).toBe('new.md');
    expect(reloaded.stats()).toEqual(fresh.stats());
    await reloaded.close();
  });

  it('scores with the stored impacts, and from field counts when the ranking parameters change', async () => {
    const file = path.join(dir, 'kb-params.idx');
    await engine.save(file);
    const stored = EmbeddedEngine.load(file);
    const params = { k1: 2, weights: [1, 3, 1, 2] as [number, number, number, number] };
    const reweighted = EmbeddedEngine.load(file, { params });
    const fresh = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example', synonyms: '星河函数 = XFN', params });
    await fresh.index(DOCS);
    try {
      // The stored block is what the scorer gets: impact steps as a view, with the largest step.
      const fileNorms = stored.sectionNorms().norms;
      const p = stored.kb.scoredPosting('函数', fileNorms, stored.config.params.k1)!;
      expect(p.steps).toBeInstanceOf(Uint16Array);
      expect(p.ids).toBeInstanceOf(Int32Array);
      expect(p.steps!.length).toBe(p.ids.length);
      expect(p.maxStep).toBe(Math.max(...p.steps!));
      // The same steps the in-memory index computes from field counts.
      const memory = engine.kb.posting('函数')!;
      expect([...p.ids]).toEqual([...memory.ids]);
      for (const q of QUERIES) {
        expect(
          reweighted.searchSync(q, { limit: 5 }).map((h) => [h.path, h.score]),
          q,
        ).toEqual(fresh.searchSync(q, { limit: 5 }).map((h) => [h.path, h.score]));
      }
      // Different parameters rank differently, so the comparison above could fail.
      expect(
        QUERIES.some(
          (q) => JSON.stringify(stored.searchSync(q).map((h) => h.score)) !== JSON.stringify(reweighted.searchSync(q).map((h) => h.score)),
        ),
      ).toBe(true);
    } finally {
      await stored.close();
      await reweighted.close();
    }
  });

  it('fingerprints a page by everything indexing reads from it', () => {
    const page = engine.toPage(DOCS[0]!);
    const digest = pageDigest(page);
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    expect(pageDigest(structuredClone(page))).toBe(digest);
    const section = page.sections[0]!;
    const variants = [
      { ...page, title: `${page.title}!` },
      { ...page, url: `${page.url}x` },
      { ...page, sections: [{ ...section, text: `${section.text} ` }, ...page.sections.slice(1)] },
      { ...page, sections: [{ ...section, heading: `${section.heading}。` }, ...page.sections.slice(1)] },
      { ...page, sections: [{ ...section, path: [...section.path, 'x'] }, ...page.sections.slice(1)] },
      { ...page, sections: page.sections.slice(1) },
    ];
    const digests = new Set(variants.map((v) => pageDigest(v)));
    expect(digests.size).toBe(variants.length);
    expect(digests.has(digest)).toBe(false);
  });

  it('re-analyzes only the pages whose content changed', async () => {
    const file = path.join(dir, 'kb-digest.idx');
    await engine.save(file);
    const loaded = EmbeddedEngine.load(file);
    const { createIndexAnalyzer } = await import('../../src/search/text/analyzer.js');
    const analyzer = await createIndexAnalyzer();
    const analyzed: string[] = [];
    const counting = { ...analyzer, terms: (text: string) => (analyzed.push(text), analyzer.terms(text)) };
    const pages = DOCS.map((d) => engine.toPage(d));
    try {
      expect(loaded.indexWith(pages, counting)).toBe(0);
      expect(analyzed).toEqual([]);
      const edited = { ...pages[0]!, sections: pages[0]!.sections.map((s, i) => (i === 0 ? { ...s, text: `${s.text} 灰度发布` } : s)) };
      expect(loaded.indexWith([...pages.slice(1), edited], counting)).toBe(1);
      expect(loaded.searchSync('灰度发布')[0]!.path).toBe(edited.path);
      // The same index as one built from the edited pages.
      const fresh = new EmbeddedEngine(undefined, { baseUrl: 'https://d.example', synonyms: '星河函数 = XFN' });
      fresh.indexWith([...pages.slice(1), edited], analyzer);
      expect(loaded.stats()).toEqual(fresh.stats());
      for (const q of QUERIES)
        expect(
          loaded.searchSync(q).map((h) => [h.path, h.score]),
          q,
        ).toEqual(fresh.searchSync(q).map((h) => [h.path, h.score]));
    } finally {
      await loaded.close();
    }
  });

  it('opens through openKnowledgeBase with a path', async () => {
    const file = path.join(dir, 'kb4.idx');
    await engine.save(file);
    const kb = await openKnowledgeBase(file);
    expect((await kb.search('函数计费'))[0]!.section).toBe('计费方式');
    await kb.close();
  });

  it('rejects files that are not indexes, truncated, or missing', async () => {
    const junk = path.join(dir, 'junk.idx');
    await writeFile(junk, 'hello world, not an index');
    expect(() => EmbeddedEngine.load(junk)).toThrow(expect.objectContaining({ code: 'kb_index_format' }));
    const full = engine.toBuffer();
    expect(() => EmbeddedEngine.fromBuffer(full.subarray(0, Math.floor(full.length / 2)))).toThrow(SearchError);
    const truncated = path.join(dir, 'truncated.idx');
    await writeFile(truncated, full.subarray(0, 200));
    expect(() => EmbeddedEngine.load(truncated)).toThrow(SearchError);
    expect(() => EmbeddedEngine.load(path.join(dir, 'missing.idx'))).toThrow(expect.objectContaining({ code: 'kb_index_read' }));
  });

  it('reports a damaged scored posting as a format error, not a crash', async () => {
    const buffer = Buffer.from(engine.toBuffer());
    const headerLength = buffer.readUInt32LE(8);
    const header = JSON.parse(buffer.subarray(12, 12 + headerLength).toString('utf8')) as { regions: Record<string, [number, number]> };
    const bodyStart = 12 + headerLength + ((4 - ((12 + headerLength) % 4)) % 4);
    // Every term's scored block now seems to end 4 bytes early.
    const [at, length] = header.regions.scoredEnds!;
    for (let i = 0; i < length; i += 4) buffer.writeUInt32LE(Math.max(0, buffer.readUInt32LE(bodyStart + at + i) - 4), bodyStart + at + i);
    const file = path.join(dir, 'damaged.idx');
    await writeFile(file, buffer);
    const damaged = EmbeddedEngine.load(file);
    try {
      expect(() => damaged.searchSync('函数计费')).toThrow(expect.objectContaining({ code: 'kb_index_format' }));
    } finally {
      await damaged.close();
    }
  });

  it('carries what indexing learned', async () => {
    const e = new EmbeddedEngine();
    await e.index([
      { path: '星河对象仓库/简介.md', content: '# 简介\n\n星河对象仓库（Star Object Warehouse，SOW）是分布式存储。' },
      { path: '星河对象仓库/常见问题.md', content: '# 常见问题\n\n## 如何计费？\n\n按存储量计费。' },
    ]);
    const file = path.join(dir, 'learned.idx');
    await e.save(file);
    const loaded = EmbeddedEngine.load(file);
    try {
      expect(loaded.config.learned.aliases).toContainEqual(['sow', '星河对象仓库']);
      expect(loaded.config.learned.names).toContain('星河对象仓库');
      expect(loaded.searchSync('sow 怎么收钱')[0]!.section).toBe('如何计费？');
    } finally {
      await loaded.close();
    }
  });

  it('names the format of an index written by another version, with the way out', async () => {
    const older = Buffer.from(engine.toBuffer());
    older.write('WKBIDX04', 0, 'latin1');
    const file = path.join(dir, 'older.idx');
    await writeFile(file, older);
    let error: unknown;
    try {
      EmbeddedEngine.load(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SearchError);
    expect((error as SearchError).code).toBe('kb_index_format');
    expect((error as SearchError).message).toMatch(/format 4 is not the one this wecombot reads \(6\)/);
    expect((error as SearchError).hint).toMatch(/wecombot kb index/);
  });
});
