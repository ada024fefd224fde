import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../src/search/text/normalize.js';
import type { RankingParams } from '../../src/search/core/fields.js';
import type { SearchEngine, SearchHit } from '../../src/search/types.js';
import { DOCS } from './fixtures.js';

/** Options every engine under test accepts. */
export interface ConformanceOptions {
  baseUrl: string;
  synonyms?: string;
  bigrams?: boolean;
  customerWords?: boolean;
  learn?: boolean;
  params?: Partial<RankingParams>;
}

export type EngineFactory = (options: ConformanceOptions) => Promise<SearchEngine & { close(): Promise<void> }>;

const BASE = 'https://docs.example.com/kb';
const enc = (s: string) => encodeURIComponent(s);

/**
 * The behaviour every knowledge-base engine shares (design: one conformance suite for all
 * backends): ranking on crafted cases, anchors, highlights, limits and incremental updates.
 */
export function engineConformance(name: string, make: EngineFactory, enabled: () => boolean = () => true): void {
  describe(`${name}: conformance`, () => {
    let engine: SearchEngine & { close(): Promise<void> };
    const top = async (q: string): Promise<SearchHit> => {
      const hits = await engine.search(q);
      expect(hits.length, `no hit for ${q}`).toBeGreaterThan(0);
      return hits[0]!;
    };

    beforeAll(async () => {
      if (!enabled()) return;
      engine = await make({ baseUrl: BASE });
      await engine.index(DOCS);
    });
    afterAll(async () => {
      await engine?.close();
    });

    it.runIf(enabled())('finds an unspaced Chinese keyword and points at the section', async () => {
      const hit = await top('函数计费');
      expect(hit.path).toBe('函数/计费说明.md');
      expect(hit.title).toBe('计费说明');
      expect(hit.section).toBe('计费方式');
      expect(hit.url).toBe(`${BASE}/${enc('函数')}/${enc('计费说明.md')}#${enc('计费方式')}`);
    });

    it.runIf(enabled())('prefers a question heading to a passing mention', async () => {
      const hit = await top('上传 大文件');
      expect(hit.path).toBe('存储/常见问题.md');
      expect(hit.section).toBe('如何上传大文件？');
      const logs = await top('函数 日志');
      expect(logs.section).toBe('如何查看函数日志？');
    });

    it.runIf(enabled())('matches code identifiers whole and by their parts', async () => {
      expect((await top('putObject')).section).toBe('putObject');
      const boot = await top('scf_bootstrap');
      expect(boot.url).toBe(`https://docs.example.com/xfn/quickstart#${enc('编写代码')}`);
      expect((await top('xfn.invokeFunction')).section).toBe('调用函数');
      expect((await top('invokeFunction')).section).toBe('调用函数');
    });

    it.runIf(enabled())('normalizes full-width input and searches HTML pages', async () => {
      expect((await top('ＸＯＳ　ｐｕｔＯｂｊｅｃｔ')).section).toBe('putObject');
      const html = await top('健康检查');
      expect(html.path).toBe('网络/负载均衡.html');
      expect(html.url.endsWith('#health')).toBe(true);
    });

    it.runIf(enabled())('marks the query keywords in the snippet', async () => {
      const hit = await top('分块 上传');
      expect(hit.snippet).toContain('分块上传');
      expect(hit.highlights.length).toBeGreaterThan(0);
      for (const [s, e] of hit.highlights) expect(['分块', '上传', '分块上传']).toContain(normalize(hit.snippet.slice(s, e)));
    });

    it.runIf(enabled())('honours the limit and returns nothing for unknown words', async () => {
      expect((await engine.search('函数', { limit: 2 })).length).toBe(2);
      expect(await engine.search('zzqqxx')).toEqual([]);
      expect(await engine.search('   ')).toEqual([]);
    });

    it.runIf(enabled())('adds, replaces and removes pages incrementally', async () => {
      expect(await engine.index([{ path: 'new/灰度发布.md', content: '# 灰度发布\n\n按权重把流量切到新版本。' }])).toBe(1);
      expect((await top('灰度发布')).path).toBe('new/灰度发布.md');
      // The same content again is left alone; a change is analyzed.
      expect(await engine.index([...DOCS, { path: 'new/灰度发布.md', content: '# 灰度发布\n\n按权重把流量切到新版本。' }])).toBe(0);
      expect(await engine.index([{ path: 'new/灰度发布.md', content: '# 蓝绿部署\n\n两套环境切换。' }])).toBe(1);
      expect(await engine.search('灰度发布')).toEqual([]);
      expect((await top('蓝绿部署')).title).toBe('蓝绿部署');
      await engine.remove(['new/灰度发布.md', 'not/indexed.md']);
      expect(await engine.search('蓝绿部署')).toEqual([]);
      expect((await top('函数计费')).path).toBe('函数/计费说明.md');
    });
  });

  describe(`${name}: bigram fallback`, () => {
    it.runIf(enabled())('finds a string jieba never produced as a word only with bigrams', async () => {
      const plain = await make({ baseUrl: BASE });
      const grams = await make({ baseUrl: BASE, bigrams: true });
      try {
        await plain.index(DOCS);
        await grams.index(DOCS);
        // 自动恢复 is cut 自动|恢复: 动恢 is no word of the index, but a bigram of its text.
        expect(await plain.search('动恢')).toEqual([]);
        expect((await grams.search('动恢')).map((h) => h.path)).toEqual(['函数/计费说明.md']);
        expect((await grams.search('函数计费'))[0]!.section).toBe('计费方式');
      } finally {
        await plain.close();
        await grams.close();
      }
    });
  });

  describe(`${name}: synonyms`, () => {
    it.runIf(enabled())('expands configured synonyms at query time', async () => {
      const docs = [
        { path: 'a.md', content: '# 云函数冷启动\n\n云函数的冷启动优化。' },
        { path: 'b.md', content: '# SCF 日志\n\nSCF 的日志投递。' },
      ];
      const plain = await make({ baseUrl: BASE });
      const withSynonyms = await make({ baseUrl: BASE, synonyms: '云函数 = SCF' });
      try {
        await plain.index(docs);
        await withSynonyms.index(docs);
        expect((await plain.search('SCF')).map((h) => h.path)).toEqual(['b.md']);
        expect((await withSynonyms.search('SCF')).map((h) => h.path).sort()).toEqual(['a.md', 'b.md']);
        expect((await withSynonyms.search('云函数 日志'))[0]!.path).toBe('b.md');
      } finally {
        await plain.close();
        await withSynonyms.close();
      }
    });
  });

  describe(`${name}: the customer's words`, () => {
    // A made-up product line filed by product, as documentation sites are: the abbreviations
    // are defined once, on one page, and the FAQ page never spells them.
    const docs = [
      { path: '星河对象仓库/产品简介.md', content: '# 产品简介\n\n星河对象仓库（Star Object Warehouse，SOW）是一种分布式存储服务。' },
      {
        path: '星河对象仓库/常见问题.md',
        content:
          '# 常见问题\n\n## 如何计费？\n\n按存储量计费，每月结算。\n\n## 如何找回删除的文件？\n\n开启版本控制后，删除的文件可以恢复。',
      },
      { path: '星河对象仓库/操作指南/恢复文件.md', content: '# 恢复文件\n\n在控制台恢复历史版本：选择对象，点击恢复。' },
      { path: '星河弹性主机/常见问题.md', content: '# 常见问题\n\n## 如何计费？\n\n弹性主机按小时计费。' },
      { path: '星河弹性主机/计费说明.md', content: '# 计费说明\n\n星河弹性主机（Star Elastic Host，SEH）按配置和时长计费，存储另计。' },
    ];

    it.runIf(enabled())('learns abbreviations from definitions and folder names at index time', async () => {
      const e = await make({ baseUrl: BASE });
      try {
        await e.index(docs);
        // 收钱 is no word of these pages: the built-in vocabulary searches 计费 for it.
        const hits = await e.search('sow 怎么收钱');
        expect(hits[0]!.path).toBe('星河对象仓库/常见问题.md');
        expect(hits[0]!.section).toBe('如何计费？');
      } finally {
        await e.close();
      }
    });

    it.runIf(enabled())('keeps what it learned for pages indexed later', async () => {
      const e = await make({ baseUrl: BASE });
      try {
        await e.index(docs.slice(0, 1));
        await e.index(docs.slice(1));
        expect((await e.search('sow 怎么收钱'))[0]!.section).toBe('如何计费？');
      } finally {
        await e.close();
      }
    });

    it.runIf(enabled())('steers towards question headings, the FAQ entries', async () => {
      const pages = [
        {
          path: '仓库/常见问题.md',
          content: '# 常见问题\n\n## 删除的文件能找回吗？\n\n开启版本控制后可以。\n\n## 如何计费？\n\n按存储量计费。',
        },
        { path: '仓库/操作指南/版本控制.md', content: '# 版本控制\n\n## 恢复已删除的文件\n\n在控制台选择文件的历史版本，点击恢复。' },
      ];
      const lexical = await make({ baseUrl: BASE, params: { questionBonus: 0, questionPrior: 0 } });
      const steered = await make({ baseUrl: BASE });
      try {
        await lexical.index(pages);
        await steered.index(pages);
        // The how-to heading holds the very words; the FAQ heading says 找回 for 恢复.
        expect((await lexical.search('恢复 删除 文件'))[0]!.section).toBe('恢复已删除的文件');
        expect((await steered.search('恢复 删除 文件'))[0]!.section).toBe('删除的文件能找回吗？');
      } finally {
        await lexical.close();
        await steered.close();
      }
    });

    it.runIf(enabled())('puts the overview of what was asked before a section that names it in passing', async () => {
      // A product's billing overview against a status table whose heading holds the very
      // words: the overview's folders and title hold the whole query (see topic.ts).
      const pages = [
        {
          path: '星云函数/购买指南/计费概述.md',
          content: '## 免费额度\n\n每月赠送调用次数。\n\n## 计费方式\n\n按调用次数和运行时长计费，函数每小时结算一次。',
        },
        {
          path: '星云函数/开发指南/函数状态说明.md',
          content: '# 函数状态说明\n\n## 函数运行状态\n\n函数可用、部署中。\n\n## 函数计费状态\n\n欠费时函数不可用。',
        },
      ];
      const lexical = await make({ baseUrl: BASE, params: { topicBonus: 0 } });
      const steered = await make({ baseUrl: BASE });
      try {
        await lexical.index(pages);
        await steered.index(pages);
        expect((await lexical.search('函数计费'))[0]!.section).toBe('函数计费状态');
        const hit = (await steered.search('函数计费'))[0]!;
        expect([hit.path, hit.section]).toEqual(['星云函数/购买指南/计费概述.md', '计费方式']);
      } finally {
        await lexical.close();
        await steered.close();
      }
    });

    it.runIf(enabled())('turns the built-in vocabulary and learning off on request', async () => {
      const e = await make({ baseUrl: BASE, customerWords: false, learn: false });
      try {
        await e.index(docs);
        // Only the page that spells SOW out is found; 收钱 finds nothing.
        expect((await e.search('sow 怎么收钱')).map((h) => h.path)).toEqual(['星河对象仓库/产品简介.md']);
      } finally {
        await e.close();
      }
    });
  });
}
