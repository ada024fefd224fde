import { normalize } from '../text/normalize.js';
import type { ParsedQuery } from '../text/query.js';
import { isQuestionHeading } from '../text/intent.js';
import type { RankingParams } from './fields.js';
import type { RankedPage } from './scorer.js';
import { isTopicOverview } from './topic.js';

/** Characters allowed between two query words for them to count as a phrase (`分块上传的方式`). */
const MAX_GAP = 3;

function occurrences(text: string, surfaces: readonly string[]): Array<[number, number]> {
  // [start, end] of each occurrence of the clause's first surface form that occurs.
  for (const s of surfaces) {
    if (!s) continue;
    const out: Array<[number, number]> = [];
    for (let at = text.indexOf(s); at >= 0 && out.length < 64; at = text.indexOf(s, at + 1)) out.push([at, at + s.length]);
    if (out.length > 0) return out;
  }
  return [];
}

/**
 * Share of consecutive query words (as typed) that the text holds next to each other, in
 * order, at most {@link MAX_GAP} characters apart: 1 when the query reads as a phrase of the
 * text, 0 when its words are scattered.
 */
export function phraseShare(text: string, clauses: readonly (readonly string[])[]): number {
  if (clauses.length < 2) return 0;
  const found = clauses.map((c) => occurrences(text, c));
  let near = 0;
  for (let i = 0; i + 1 < found.length; i++) {
    const a = found[i]!;
    const b = found[i + 1]!;
    if (a.some(([, end]) => b.some(([start]) => start >= end && start - end <= MAX_GAP))) near++;
  }
  return near / (clauses.length - 1);
}

/** How many pages to rank before the phrase bonus reorders them. */
export function candidateCount(limit: number): number {
  return Math.max(limit * 3, 30);
}

/**
 * Multiplies each candidate's score by `1 + bonus × phraseShare` of its best section's heading,
 * then keeps the best `limit`. Cheap: only the candidates' headings are read.
 */
export function rerankByPhrase(
  ranked: readonly RankedPage[],
  query: ParsedQuery,
  sectionText: (section: number) => string,
  bonus: number,
  limit: number,
): RankedPage[] {
  if (bonus <= 0 || query.clauses.length < 2) return ranked.slice(0, limit);
  const surfaces = query.clauses.map((c) => c.surface);
  return ranked
    .map((r) => ({ ...r, score: r.score * (1 + bonus * phraseShare(sectionText(r.section), surfaces)) }))
    .sort((a, b) => b.score - a.score || a.page - b.page)
    .slice(0, limit);
}

/** The bonuses of {@link rerank}, from the ranking parameters (`topicBonus` 0 when absent). */
export type RerankParams = Pick<RankingParams, 'phraseBonus' | 'questionBonus' | 'questionPrior'> &
  Partial<Pick<RankingParams, 'topicBonus'>>;

/** The page of a candidate section, as the overview prior reads it (see topic.ts). */
export type PageOfSection = (section: number) => { path: string; title: string };

/**
 * Reorders the candidates by what their best section's heading says: `1 + phraseBonus ×
 * phraseShare` for the query's words next to each other there, times `1 + questionBonus` (or
 * `questionPrior` when the query has no question words) when the heading is a question, times
 * `1 + topicBonus` when the page is an overview of everything asked (given `pageOf`, see
 * topic.ts). All read only the candidates' headings and page addresses, so every backend
 * applies them the same way to the same candidates; then the best `limit` stay.
 */
export function rerank(
  ranked: readonly RankedPage[],
  query: ParsedQuery,
  headingText: (section: number) => string,
  params: RerankParams,
  limit: number,
  pageOf?: PageOfSection,
): RankedPage[] {
  const question = query.intent ? params.questionBonus : params.questionPrior;
  const phrase = query.clauses.length >= 2 ? params.phraseBonus : 0;
  const topic = pageOf ? (params.topicBonus ?? 0) : 0;
  if (phrase <= 0 && question <= 0 && topic <= 0) return ranked.slice(0, limit);
  const surfaces = query.clauses.map((c) => c.surface);
  return ranked
    .map((r) => {
      const heading = headingText(r.section);
      const p = phrase > 0 ? 1 + phrase * phraseShare(heading, surfaces) : 1;
      const q = question > 0 && isQuestionHeading(heading) ? 1 + question : 1;
      let t = 1;
      if (topic > 0) {
        const page = pageOf!(r.section);
        if (isTopicOverview(page.path, page.title, surfaces)) t = 1 + topic;
      }
      return { ...r, score: r.score * p * q * t };
    })
    .sort((a, b) => b.score - a.score || a.page - b.page)
    .slice(0, limit);
}

/**
 * What the phrase bonus reads of a section: its heading (the page title for the lead section),
 * normalized. Headings say what a section is about; measured on the corpus, a phrase in the
 * heading predicts the answer better than one anywhere in the text, and costs far less.
 */
export function sectionPhraseText(heading: string, pageTitle: string): string {
  return normalize(heading || pageTitle);
}
