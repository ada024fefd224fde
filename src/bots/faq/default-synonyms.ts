import { CUSTOMER_WORDS } from '../../search/text/customer-words.js';

/**
 * The default synonym list: the search engine's customer vocabulary (how customers say common
 * things in a chat, next to the words an FAQ is written in), shared with the kb-search bot.
 * A user's own list (product nicknames, their jargon) comes on top.
 */
export const DEFAULT_SYNONYMS = CUSTOMER_WORDS;

/**
 * Words that carry no question: greetings, particles, politeness (single characters only
 * where no word of a synonym group or a common term contains them: not 么 of 什么, 哈 of 哈希). They are taken out of the
 * question before matching, so they neither match an entry nor count as unmatched words.
 */
export const FILLERS = [
  '请问',
  '你好',
  '您好',
  '麻烦',
  '帮忙',
  '帮我',
  '一下',
  '谢谢',
  '大佬',
  '老师',
  '在吗',
  '在不在',
  '能不能',
  '可不可以',
  '行不行',
  '是不是',
  '有没有',
  '怎么办',
  '咋办',
  '咋整',
  '呀',
  '哦',
  '吧',
  '呢',
  '啊',
  '吗',
];

const FILLER_RE = new RegExp(FILLERS.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

/** The question without {@link FILLERS} (spaces keep the words around them apart). */
export function stripFillers(text: string): string {
  return text.replace(FILLER_RE, ' ').replace(/\s+/g, ' ').trim();
}
