import { describe, expect, it } from 'vitest';
import { FaqSourceError } from '../../../src/bots/faq/source-error.js';
import { parseQa } from '../../../src/bots/faq/source.js';
import { parseMarkdownQa } from '../../../src/bots/faq/source-markdown.js';
import { TEA_SHOP_CSV, TEA_SHOP_MD, TEA_SHOP_YAML } from './fixture.js';

async function refusal(text: string, file: string): Promise<FaqSourceError> {
  const err = await parseQa(text, file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FaqSourceError);
  return err as FaqSourceError;
}

describe('Q&A files', () => {
  it('reads YAML entries with ids, phrasings, groups and the file’s synonyms', async () => {
    const set = await parseQa(TEA_SHOP_YAML, 'faq.yaml');
    expect(set.entries).toHaveLength(7);
    expect(set.entries[1]).toMatchObject({
      id: 2,
      question: '会员怎么收费？',
      phrasings: ['开会员要多少钱', '年卡价格'],
      group: '会员',
      line: 11,
    });
    expect(set.entries[0]!.answer).toContain('**申请退款**');
    expect(set.synonyms).toEqual([['年卡', '会员卡']]);
  });

  it('reads CSV with a quoted multi-line answer, phrasings split on |', async () => {
    const set = await parseQa(TEA_SHOP_CSV, 'faq.csv');
    expect(set.entries.map((e) => e.question)).toEqual(['怎么申请退款？', '会员怎么收费？']);
    expect(set.entries[0]!.phrasings).toEqual(['退款流程是什么', '买错了能退吗']);
    expect(set.entries[1]).toMatchObject({ answer: '月卡 15 元，\n年卡 128 元。', line: 3 });
  });

  it('imports a Markdown FAQ page: question headings are entries, other headings their group, fences ignored', async () => {
    const set = await parseQa(TEA_SHOP_MD, 'faq.md');
    expect(set.entries.map((e) => [e.question, e.group])).toEqual([
      ['怎么申请退款？', '茶铺常见问题 售后'],
      ['可以开发票吗？', '茶铺常见问题 售后'],
      ['茶叶怎么保存？', '茶铺常见问题 冲泡'],
    ]);
    expect(set.entries[0]).toMatchObject({
      phrasings: ['退款流程是什么', '买错了能退吗'],
      answer: '在「我的订单」里点击**申请退款**。',
      line: 5,
    });
    expect(set.entries[2]!.answer).toContain('# 这不是标题？');
  });

  it('refuses malformed YAML with the file, the line and the reason', async () => {
    expect((await refusal('- question: 怎么退款？\n  answer: [unclosed\n', 'faq.yaml')).message).toMatch(/^faq\.yaml:\d+: YAML syntax/);
    const noAnswer = await refusal('- question: 怎么退款？\n  answer: 在订单页。\n- question: 会员怎么收费？\n', 'faq.yaml');
    expect(noAnswer.message).toBe('faq.yaml:3: entry 2 ("会员怎么收费？") has no answer');
    expect(noAnswer.code).toBe('faq_source_invalid');
    expect((await refusal('- question: a？\n  answr: b\n', 'faq.yaml')).message).toBe(
      'faq.yaml:2: unknown field "answr" (expected question, phrasings, answer, group, id)',
    );
    expect((await refusal('- id: 1\n  q: a？\n  a: b\n- id: 1\n  q: c？\n  a: d\n', 'faq.yaml')).message).toBe(
      'faq.yaml:4: entry 2: id 1 is already used by the entry on line 1',
    );
  });

  it('refuses malformed CSV and Markdown likewise', async () => {
    expect((await refusal('question,answer\n怎么退款？,在订单页,多了一列\n', 'faq.csv')).message).toMatch(
      /^faq\.csv:2: CSV: Invalid Record Length: expect 2, got 3/,
    );
    expect((await refusal('question,reply\na,b\n', 'faq.csv')).message).toBe(
      'faq.csv:1: unknown column "reply" (expected question, phrasings, answer, group, id)',
    );
    expect((await refusal('question,answer\n怎么退款？,\n', 'faq.csv')).message).toBe('faq.csv:2: row 1 ("怎么退款？") has no answer');
    expect((await refusal('# 标题\n\n## 怎么退款？\n\n## 下一个？\n内容\n', 'faq.md')).message).toBe(
      'faq.md:3: the question "怎么退款？" has no answer under it',
    );
    expect((await refusal('# 说明\n\n没有问题。\n', 'faq.md')).message).toMatch(/^faq\.md:1: has no question headings/);
    expect((await refusal('a,b', 'faq.txt')).message).toMatch(/^faq\.txt:1: has an unknown extension/);
  });

  it('leaves out empty questions of an imported page when asked to be lenient', () => {
    const set = parseMarkdownQa('## 空的？\n## 有答案？\n内容\n', 'page.md', { lenient: true, group: '产品' });
    expect(set.skipped).toBe(1);
    expect(set.entries).toMatchObject([{ question: '有答案？', group: '产品', answer: '内容' }]);
  });
});
