import { describe, expect, it } from 'vitest';
import { querySynonyms, resolveConfig } from '../../src/search/core/config.js';
import { rerank } from '../../src/search/core/proximity.js';
import { hasQuestionIntent, isQuestionHeading } from '../../src/search/text/intent.js';
import { parseQuery, type ParsedQuery } from '../../src/search/text/query.js';
import type { Vocabulary } from '../../src/search/text/segment.js';
import { parseSynonyms } from '../../src/search/text/synonyms.js';

function vocab(entries: Record<string, number>): Vocabulary {
  return { df: (t) => entries[t] ?? 0, totalDf: 1_000_000, maxTermLength: 8, liveSections: 10_000 };
}

const weights = { subwordWeight: 0.5, synonymWeight: 1, bigramWeight: 0.3, bigrams: false };
const alternatives = (q: ParsedQuery) => q.clauses.map((c) => c.alternatives.map((a) => a.map((t) => t.term).join('+')));

describe('synonyms at query time', () => {
  const v = vocab({
    计费: 300,
    收费: 200,
    扣费: 50,
    收: 900,
    钱: 400,
    怎么: 5000,
    主内网: 40,
    内网: 800,
    私网: 30,
    ip: 3000,
    地域: 900,
    机房: 40,
  });

  it('searches the documentation words of a group for a colloquial form, not the colloquial form', () => {
    const q = parseQuery('怎么收钱', v, parseSynonyms('计费 = 收费 = 收钱'), weights);
    // 收钱 is 收 + 钱 to this vocabulary: typed, it stays; as a synonym of 收费 it is never searched.
    expect(alternatives(q)).toEqual([['收+钱', '计费', '收费']]);
    expect(alternatives(parseQuery('收费', v, parseSynonyms('计费 = 收费 = 收钱'), weights))).toEqual([['收费', '计费']]);
  });

  it('does not take a group member inside a longer word', () => {
    const q = parseQuery('修改主内网 ip', v, parseSynonyms('内网 = 私网'), weights);
    // 修改 is no word of this vocabulary, 主内网 is one (its sub-word 内网 searched with it).
    expect(alternatives(q)).toEqual([['主内网+内网'], ['ip']]);
  });

  it('keeps a rarer synonym from outweighing the word typed', () => {
    const q = parseQuery('地域', v, parseSynonyms('地域 = 机房'), weights);
    const [typed, synonym] = q.clauses[0]!.alternatives;
    expect(synonym![0]!.term).toBe('机房');
    // weight × IDF of the synonym equals the typed word's, not more.
    const idf = (df: number) => Math.log(1 + (10_000 - df + 0.5) / (df + 0.5));
    expect(synonym![0]!.weight * idf(40)).toBeCloseTo(typed![0]!.weight * idf(900), 9);
  });

  it('lets a synonym carry a typed word the index lacks (an abbreviation no page spells)', () => {
    const q = parseQuery('sow', vocab({ 对象仓库: 12 }), parseSynonyms('sow = 对象仓库'), weights);
    expect(q.clauses[0]!.alternatives[1]).toEqual([{ term: '对象仓库', weight: 1 }]);
  });

  it('expands with the built-in vocabulary, the learned aliases and the user groups, merged', () => {
    const config = resolveConfig({ synonyms: '收费 = 月费' }, { learned: { names: [], aliases: [['sow', '对象仓库']] } });
    const groups = querySynonyms(config);
    expect(groups.find((g) => g.includes('月费'))).toEqual(expect.arrayContaining(['计费', '收费', '收钱', '月费']));
    expect(groups).toContainEqual(['sow', '对象仓库']);
    expect(querySynonyms(resolveConfig({ customerWords: false, synonyms: '收费 = 月费' }))).toEqual([['收费', '月费']]);
  });
});

describe('question intent', () => {
  it('tells questions from keywords', () => {
    for (const q of ['nat网关怎么收钱的', '能不能退款', '为啥连不上', 'cvm 默认密码在哪里', '支持 https 吗', 'eip?'])
      expect(hasQuestionIntent(q), q).toBe(true);
    for (const q of ['cvm 默认密码', '函数计费', 'nat 没用 扣钱']) expect(hasQuestionIntent(q), q).toBe(false);
    expect(parseQuery('怎么计费', vocab({ 计费: 10, 怎么: 100 }), [], weights).intent).toBe(true);
  });

  it('tells question headings from others', () => {
    for (const h of ['如何计费？', 'NAT 网关支持哪些协议?', '什么是安全组', '实例无法启动怎么办'])
      expect(isQuestionHeading(h), h).toBe(true);
    for (const h of ['计费说明', '操作步骤', '购买指南']) expect(isQuestionHeading(h), h).toBe(false);
  });

  it('lifts question headings by questionBonus for a question, by questionPrior otherwise', () => {
    const ranked = [
      { page: 0, section: 0, score: 10 },
      { page: 1, section: 1, score: 8 },
    ];
    const heading = (s: number) => (s === 0 ? '计费说明' : '如何计费?');
    const params = { phraseBonus: 0, questionBonus: 0.5, questionPrior: 0.1 };
    const asked = rerank(ranked, { clauses: [], intent: true }, heading, params, 2);
    expect(asked.map((r) => [r.page, r.score])).toEqual([
      [1, 12],
      [0, 10],
    ]);
    const typed = rerank(ranked, { clauses: [], intent: false }, heading, params, 2);
    expect(typed.map((r) => [r.page, r.score])).toEqual([
      [0, 10],
      [1, 8.8],
    ]);
  });
});
