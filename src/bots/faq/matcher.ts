/**
 * From a customer's question to a decision: answer the best entry, suggest the closest ones,
 * or nothing. The ranking is the search engine's; the decision needs a confidence that means
 * the same for every question, which a BM25 score does not (it grows with the number and
 * rarity of words). The confidence here is the share of the question's meaning the entry
 * covers: each clause of the parsed question weighs its IDF, a clause the FAQ has never seen
 * weighs as a rare word (it is what the customer is asking about, and the FAQ lacks it), and
 * the entry's share is the weight of the clauses it contains.
 */
import { computeNorms, idf, Scorer, type SectionNorms } from '../../search/core/scorer.js';
import { rerankByPhrase, sectionPhraseText } from '../../search/core/proximity.js';
import type { ParsedQuery } from '../../search/text/query.js';
import { stripFillers } from './default-synonyms.js';
import type { FaqEntry } from './entry.js';
import { entryPath, type FaqIndex } from './faq-index.js';

/** One ranked entry. */
export interface FaqCandidate {
  entry: FaqEntry;
  /** The engine's score. */
  score: number;
  /** Share of the customer's question (its clause weight) the entry covers, 0–1. */
  coverage: number;
  /** Share of the entry's own question (its best phrasing) the customer's words cover, 0–1. */
  questionCoverage: number;
  /** Geometric mean of both: what the thresholds compare. */
  confidence: number;
}

/** What to do with a question. */
export interface FaqMatch {
  /** `answer`: confident; `suggest`: show `candidates` as buttons; `none`: nothing close. */
  kind: 'answer' | 'suggest' | 'none';
  /** The best entries, best first (at most `limit`). */
  candidates: FaqCandidate[];
  /** The question as matched (fillers removed). */
  query: string;
}

/**
 * The two thresholds, on the confidence of the best entry: the geometric mean of how much of
 * the customer's question the entry covers and how much of the entry's question the customer
 * asked. Both ways, because one common word fully covered (`名字` against `设备名有什么要求？`)
 * is no answer, and neither is a long question that merely contains the entry's one word.
 */
export interface MatchThresholds {
  /** Answer at or above this confidence (default 0.7). */
  answer: number;
  /** Suggest at or above this one (default 0.3); below it the question is unanswered. */
  suggest: number;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = { answer: 0.7, suggest: 0.3 };

/** Weight of a clause the FAQ has no word of, in IDF units of a word found once. */
const UNKNOWN_CLAUSE_SHARE = 0.6;

/** Entries ranked before the phrase bonus picks the best `limit` (as the engine does). */
const RANKED = 30;

/** Matches questions against one FAQ index. */
export class FaqMatcher {
  private sectionOf: Map<string, number> | undefined;
  private readonly scorer: Scorer;
  private normsOf: { version: number; value: SectionNorms } | undefined;

  constructor(
    readonly index: FaqIndex,
    readonly thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
  ) {
    this.scorer = new Scorer(index.engine.config.params);
  }

  private norms(): SectionNorms {
    const kb = this.index.engine.kb;
    if (this.normsOf?.version !== kb.version) {
      const norms = computeNorms(kb.lens, kb.lenSums, kb.liveSections, this.index.engine.config.params);
      this.normsOf = { version: kb.version, value: { pageOf: kb.pageOf, norms, pageSlots: kb.pageSlots } };
    }
    return this.normsOf.value;
  }

  /**
   * Ranks the entries for a question and decides.
   *
   * @example matcher.match('云函数怎么收费') // { kind: 'answer', candidates: [{ entry: { question: '云函数如何计费？' … } …}] }
   */
  match(question: string, limit = 3): FaqMatch {
    const query = stripFillers(question);
    const engine = this.index.engine;
    if (!query) return { kind: 'none', candidates: [], query };
    const parsed = engine.parse(query);
    const kb = engine.kb;
    const pool = this.scorer.rank(parsed, kb, this.norms(), Math.max(limit, RANKED));
    // As the engine does: questions holding the customer's words in the order typed come first.
    const phrase = (section: number) => sectionPhraseText(kb.sectionHead(section).heading, '');
    const ranked = rerankByPhrase(pool, parsed, phrase, engine.config.params.phraseBonus, limit);
    const asked = termsOf(parsed);
    const candidates: FaqCandidate[] = [];
    for (const r of ranked) {
      const path = kb.page(r.page)?.path ?? '';
      const entry = this.index.entry(Number(path.slice(2)));
      if (!entry) continue;
      const coverage = this.coverage(parsed, path);
      const questionCoverage = Math.max(
        ...[entry.question, ...entry.phrasings].map((q) => this.coveredBy(engine.parse(stripFillers(q)), asked)),
      );
      candidates.push({ entry, score: r.score, coverage, questionCoverage, confidence: Math.sqrt(coverage * questionCoverage) });
    }
    const best = candidates[0];
    let kind: FaqMatch['kind'] = 'none';
    if (best && best.confidence >= this.thresholds.answer) kind = 'answer';
    else if (best && best.confidence >= this.thresholds.suggest) kind = 'suggest';
    return { kind, candidates, query };
  }

  /** Share of the parsed question's clause weight found in the entry at `path`. */
  coverage(parsed: ParsedQuery, path: string): number {
    const kb = this.index.engine.kb;
    const section = this.section(path);
    return this.share(parsed, (term) => section !== undefined && contains(kb.posting(term)?.ids, section));
  }

  /** Share of a parsed text's clause weight whose terms are among `terms`. */
  coveredBy(parsed: ParsedQuery, terms: ReadonlySet<string>): number {
    return this.share(parsed, (term) => terms.has(term));
  }

  private share(parsed: ParsedQuery, has: (term: string) => boolean): number {
    const kb = this.index.engine.kb;
    const n = Math.max(kb.liveSections, 1);
    const unknownWeight = UNKNOWN_CLAUSE_SHARE * idf(1, n);
    let total = 0;
    let covered = 0;
    for (const clause of parsed.clauses) {
      let weight = 0;
      let found = 0;
      for (const alternative of clause.alternatives) {
        let altWeight = 0;
        let altFound = 0;
        for (const { term, weight: w } of alternative) {
          const df = kb.df(term);
          if (df === 0) continue;
          const termWeight = w * idf(df, n);
          altWeight += termWeight;
          if (has(term)) altFound += termWeight;
        }
        weight = Math.max(weight, altWeight);
        found = Math.max(found, altFound);
      }
      if (weight === 0) weight = unknownWeight;
      total += weight;
      covered += Math.min(found, weight);
    }
    return total > 0 ? covered / total : 0;
  }

  private section(path: string): number | undefined {
    if (!this.sectionOf) {
      this.sectionOf = new Map();
      for (const page of this.index.engine.kb.livePageRecords()) this.sectionOf.set(page.path, page.sections[0]!);
    }
    return this.sectionOf.get(path);
  }
}

/** Every term a parsed question may match: words, sub-words, synonyms, bigrams. */
function termsOf(parsed: ParsedQuery): Set<string> {
  const out = new Set<string>();
  for (const clause of parsed.clauses) for (const alternative of clause.alternatives) for (const { term } of alternative) out.add(term);
  return out;
}

function contains(ids: Int32Array | undefined, id: number): boolean {
  if (!ids) return false;
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export { entryPath };
