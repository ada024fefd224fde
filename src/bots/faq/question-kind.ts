/**
 * What kind of question a text asks: why, how, whether, what is, which, a difference, a cost,
 * a duration, a limit, a failure. The search engine drops question words (怎么, 为什么, 是否…)
 * because they say nothing about the topic, and for a knowledge base that is right. An FAQ is
 * a list of questions, several on one topic (`SCF 如何计费？`, `SCF 是否收费？`, `为什么 SCF
 * 扣费了？`), and the kind of question is what tells them apart: `scf为啥扣钱了` asks the third.
 * Customers and FAQ writers use different words for the same kind (为啥 / 为什么, 能…吗 / 是否),
 * so each kind is a set of patterns, not a word.
 */
import { normalize } from '../../search/text/normalize.js';

/** The kinds, each with the ways a chat message or an FAQ heading asks it. */
const KINDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['why', /为什么|为何|为啥|怎么回事|咋回事|原因/],
  ['how', /如何|怎么|怎样|咋|方法|步骤|教程/],
  ['whether', /是否|能否|能不能|可否|可不可以|可以|支持|会不会|要不要|吗|么$/],
  ['what', /什么是|是什么|是啥|干嘛|干什么|介绍|作用|用途|含义|意思|概念|有什么用|啥用/],
  ['which', /哪些|哪个|哪几|哪种|哪里|哪儿|什么样|有啥/],
  ['difference', /区别|差别|不同|差异|对比|差在哪|不一样|相比|比较|优势|好处|强在哪/],
  ['cost', /计费|收费|价格|费用|多少钱|怎么卖|付费|扣费|钱/],
  ['duration', /多久|多长时间|时长|有效期|多少天|几天/],
  ['limit', /多少|上限|最多|最大|限制|几个|数量|配额/],
  ['failure', /无法|(?<!能)不能|失败|报错|错误|不了|不上|打不开|怎么办|咋办|异常/],
];

/** The kinds of question a text asks, as a bit set (0: none recognized). */
export function questionKinds(text: string): number {
  const t = normalize(text);
  let bits = 0;
  KINDS.forEach(([, pattern], i) => {
    if (pattern.test(t)) bits |= 1 << i;
  });
  return bits;
}

/** Share of the kinds either text asks that both ask (Jaccard), 0 when the customer's has none. */
export function kindAgreement(asked: number, entry: number): number {
  const union = asked | entry;
  return asked === 0 || union === 0 ? 0 : bitCount(asked & entry) / bitCount(union);
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
