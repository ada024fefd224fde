import { describe, expect, it } from 'vitest';
import { FaqIndex } from '../../../src/bots/faq/faq-index.js';
import { FaqMatcher } from '../../../src/bots/faq/matcher.js';
import { kindAgreement, questionKinds } from '../../../src/bots/faq/question-kind.js';
import { faqSynonyms } from '../../../src/bots/faq/synonym-groups.js';
import type { FaqEntry } from '../../../src/bots/faq/entry.js';

const entry = (id: number, question: string, answer: string, group = '会员'): FaqEntry => ({
  id,
  question,
  phrasings: [],
  answer,
  group,
  line: id,
});

describe('question kinds', () => {
  it('recognizes the same kind in a chat message and in an FAQ heading', () => {
    expect(questionKinds('会员卡为啥扣钱了')).toBe(questionKinds('为什么会员卡扣费？'));
    expect(kindAgreement(questionKinds('年卡能不能退'), questionKinds('年卡是否可以退？'))).toBe(1);
    expect(kindAgreement(questionKinds('年卡怎么退'), questionKinds('为什么年卡退不了？'))).toBeLessThan(1);
  });

  it('agrees on nothing when the message asks no recognizable kind', () => {
    expect(questionKinds('年卡 退款')).toBe(0);
    expect(kindAgreement(0, questionKinds('如何退款？'))).toBe(0);
  });
});

describe('FaqMatcher ranking', () => {
  // Two questions on the same words that differ in what they ask: without a question word the
  // shorter first entry wins, so the second comes first only when the kind of question decides.
  const entries = [
    entry(1, '年卡如何退款？', '在「我的订单」里申请，审核后原路退回。'),
    entry(2, '年卡是否支持退款？', '开通 7 天内未使用的年卡支持。'),
    entry(3, '茶叶怎么保存？', '绿茶密封冷藏，红茶常温避光。', '冲泡'),
  ];

  it('puts the entry asking the same kind of question first', async () => {
    const matcher = new FaqMatcher(await FaqIndex.build({ entries }, faqSynonyms(), 'test'));
    expect(matcher.match('年卡退款').candidates[0]?.entry.id).toBe(1);
    expect(matcher.match('年卡可以退款不').candidates[0]?.entry.id).toBe(2);
    expect(matcher.match('年卡咋退款').candidates[0]?.entry.id).toBe(1);
  });

  it('keeps the decision on the confidence, not on the reordered score', async () => {
    const matcher = new FaqMatcher(await FaqIndex.build({ entries }, faqSynonyms(), 'test'));
    const match = matcher.match('年卡可以退款不');
    const best = match.candidates[0]!;
    expect(best.confidence).toBeCloseTo(Math.sqrt(best.coverage * best.questionCoverage), 10);
    expect(matcher.match('今天天气怎么样').kind).not.toBe('answer');
  });
});
