/**
 * The indexed fields of a section. Every section carries its page title (so a page-level match
 * lifts all its sections), its own heading, its context (folders of the page path and the
 * headings above it) and its body.
 */
export const FIELDS = ['title', 'heading', 'context', 'body'] as const;
export type FieldName = (typeof FIELDS)[number];
export const FIELD_COUNT = FIELDS.length;

/** Ranking parameters: BM25F with per-field weight and length normalization. */
export interface RankingParams {
  k1: number;
  /** Weight of a match in each field, in {@link FIELDS} order. */
  weights: [number, number, number, number];
  /** Length normalization strength per field. */
  b: [number, number, number, number];
  /** Score multiplier exponent on the share of query words a section matches. */
  coordination: number;
  /** Weight of sub-words (`文件` inside `大量文件`) relative to the word itself. */
  subwordWeight: number;
  /** Weight of a synonym relative to the word the user typed. */
  synonymWeight: number;
  /** Weight of character bigrams, the fallback for words missing from the vocabulary. */
  bigramWeight: number;
  /** Score bonus for a section holding the query words next to each other, in the order typed. */
  phraseBonus: number;
  /**
   * Score bonus for a section whose heading is a question (an FAQ entry) when the query asks
   * one (`怎么`, `能不能`, `吗`…; see intent.ts).
   */
  questionBonus: number;
  /** The same bonus for queries without question words (`cvm 默认密码`): messages to a bot are questions too. */
  questionPrior: number;
  /**
   * Score bonus for an overview page (`计费概述`, `产品简介`) whose folders and title hold every
   * query word: the page introduces what was asked (see topic.ts).
   */
  topicBonus: number;
}

export const DEFAULT_PARAMS: RankingParams = {
  k1: 1.2,
  weights: [2, 8, 1, 1],
  b: [0.3, 0.3, 0.3, 0.75],
  coordination: 1,
  subwordWeight: 0.5,
  synonymWeight: 1,
  bigramWeight: 0.3,
  phraseBonus: 0.1,
  questionBonus: 0.5,
  questionPrior: 0.3,
  topicBonus: 0.2,
};
