import { describe, expect, it } from 'vitest';
import { withNames } from '../../src/search/text/analyzer.js';
import { loadJieba } from '../../src/search/text/jieba.js';
import { learnAliases, mergeLearned } from '../../src/search/text/learn-aliases.js';
import { nameMatcher, splitNames } from '../../src/search/text/name-terms.js';
import type { Page } from '../../src/search/types.js';

const page = (path: string, ...texts: string[]): Page => ({
  path,
  title: path.split('/').pop()!.replace(/\.md$/, ''),
  url: '',
  sections: texts.map((text) => ({ heading: '', path: [], anchor: '', text })),
});

describe('learning aliases from the pages', () => {
  it('maps an abbreviation to the folder name its definition uses, whatever precedes it', async () => {
    const jieba = await loadJieba();
    const learned = learnAliases(
      [
        page('星河云/对象仓库/简介.md', '星河云对象仓库（Star Object Warehouse，SOW）是分布式存储。'),
        page('星河云/对象仓库/计费.md', '按量计费。'),
        page('星河云/轻量主机/简介.md', '使用轻量主机（Lightbox）搭建网站。'),
      ],
      (t) => jieba.cut(t, true),
    );
    expect(learned.aliases).toEqual([
      ['lightbox', '轻量主机'],
      ['sow', '对象仓库'],
    ]);
    // Folder names become whole index terms (jieba splits them).
    expect(learned.names).toEqual(expect.arrayContaining(['对象仓库', '轻量主机', '星河云']));
  });

  it('takes a name without a folder only when two pages or an English name vouch for it, at a word', async () => {
    const jieba = await loadJieba();
    const cut = (t: string) => jieba.cut(t, true);
    const once = learnAliases([page('a/x.md', '请使用临时凭证（STC）调用。')], cut);
    expect(once.aliases).toEqual([]);
    const spelled = learnAliases([page('a/x.md', '您可以获取临时凭证（Short-Term Credential，STC）。')], cut);
    expect(spelled.aliases).toEqual([['stc', '临时凭证']]);
    const twice = learnAliases([page('a/x.md', '请使用临时凭证（STC）调用。'), page('a/y.md', '获取的临时凭证（STC）有效期一小时。')], cut);
    expect(twice.aliases).toEqual([['stc', '临时凭证']]);
  });

  it('leaves units, generic abbreviations and words that are not brands alone', async () => {
    const jieba = await loadJieba();
    const learned = learnAliases(
      [
        page('产品/存储/a.md', '容量上限为 10 千兆字节（GB），接口（API）见下文，分区扩展（Linux）见下文。'),
        page('产品/存储/b.md', '容量上限为 10 千兆字节（GB），分区扩展（Linux）见下文。'),
      ],
      (t) => jieba.cut(t, true),
    );
    expect(learned.aliases).toEqual([]);
  });

  it('keeps what an index learned before when more pages are indexed', () => {
    const merged = mergeLearned(
      { names: ['对象仓库'], aliases: [['sow', '对象仓库']] },
      {
        names: ['弹性主机'],
        aliases: [
          ['sow', '别的'],
          ['seh', '弹性主机'],
        ],
      },
    );
    expect(merged).toEqual({
      names: ['对象仓库', '弹性主机'],
      aliases: [
        ['seh', '弹性主机'],
        ['sow', '对象仓库'],
      ],
    });
  });
});

describe('names as whole terms', () => {
  it('finds every occurrence, overlapping names included', () => {
    const out: string[] = [];
    nameMatcher(['无服务器云函数', '云函数'])!.find('部署无服务器云函数和云函数', out);
    expect(out).toEqual(['无服务器云函数', '云函数', '云函数']);
    expect(nameMatcher([])).toBeUndefined();
  });

  it('picks the names an analyzer splits, of three to ten CJK characters', () => {
    const terms = (t: string) => (t === '负载均衡' ? ['负载均衡'] : Array.from(t));
    expect(splitNames(['云硬盘', '负载均衡', '网关', 'NAT网关', '云硬盘'], terms)).toEqual(['云硬盘']);
  });

  it('adds names to what the analyzer makes of a text', () => {
    const base = { terms: (t: string) => t.split(/\s+/) };
    expect(withNames(base, ['云函数']).terms('创建 云函数 实例')).toEqual(['创建', '云函数', '实例', '云函数']);
    expect(withNames(base, []).terms('云函数')).toEqual(['云函数']);
  });
});
