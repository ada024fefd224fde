import { describe, expect, it } from 'vitest';
import { rerank } from '../../src/search/core/proximity.js';
import { addressHoldsQuery, isOverviewTitle, isTopicOverview, pageAddress } from '../../src/search/core/topic.js';

describe('the overview prior', () => {
  it('reads a page address from its folders and title, normalized', () => {
    expect(pageAddress('星云函数/购买指南/billing.md', '计费ＯＶＥＲＶＩＥＷ')).toBe('星云函数 购买指南 计费overview');
    expect(pageAddress('top.md', '概述')).toBe(' 概述');
  });

  it('tells overview titles from others', () => {
    for (const t of ['计费概述', '产品简介', '原理介绍', '功能概览', 'API Overview', 'Introduction'])
      expect(isOverviewTitle(t), t).toBe(true);
    for (const t of ['计费方式', '概述与限制', '删除快照', '常见问题']) expect(isOverviewTitle(t), t).toBe(false);
  });

  it('needs every clause in the address, by the word typed or a synonym', () => {
    const address = pageAddress('星云函数/购买指南/计费概述.md', '计费概述');
    expect(addressHoldsQuery(address, [['函数'], ['计费']])).toBe(true);
    expect(addressHoldsQuery(address, [['函数'], ['收费', '计费']])).toBe(true);
    expect(addressHoldsQuery(address, [['函数'], ['状态']])).toBe(false);
    expect(addressHoldsQuery(address, [])).toBe(false);
    expect(isTopicOverview('星云函数/购买指南/计费方式.md', '计费方式', [['函数'], ['计费']])).toBe(false);
  });

  it('lifts a topic overview by topicBonus, and only with the pages at hand', () => {
    const ranked = [
      { page: 0, section: 0, score: 10 },
      { page: 1, section: 1, score: 9 },
    ];
    const pages = [
      { path: '星云函数/开发指南/状态说明.md', title: '状态说明' },
      { path: '星云函数/购买指南/计费概述.md', title: '计费概述' },
    ];
    const query = {
      clauses: [
        { alternatives: [], surface: ['函数'] },
        { alternatives: [], surface: ['计费'] },
      ],
    };
    const params = { phraseBonus: 0, questionBonus: 0, questionPrior: 0, topicBonus: 0.2 };
    const lifted = rerank(
      ranked,
      query,
      () => '',
      params,
      2,
      (s) => pages[s]!,
    );
    expect(lifted.map((r) => [r.page, r.score])).toEqual([
      [1, 9 * 1.2],
      [0, 10],
    ]);
    expect(rerank(ranked, query, () => '', params, 2).map((r) => r.page)).toEqual([0, 1]);
    expect(
      rerank(
        ranked,
        query,
        () => '',
        { ...params, topicBonus: 0 },
        2,
        (s) => pages[s]!,
      ).map((r) => r.page),
    ).toEqual([0, 1]);
  });
});
