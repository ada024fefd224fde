/**
 * From a customer's question to a decision: answer the best entry, suggest the closest ones,
 * or nothing. The ranking is the search engine's; the decision needs a confidence that means
 * the same for every question, which a BM25 score does not (it grows with the number and
 * rarity of words). The confidence here is the share of the question's meaning the entry
 * covers: each clause of the parsed question weighs its IDF, a clause the FAQ has never seen
 * weighs as a rare word (it is what the customer is asking about, and the FAQ lacks it), and
 * the entry's share is the weight of the clauses it contains.
 */
import { idf, Scorer } from '../../search/core/scorer.js';
import { normalize } from '../../search/text/normalize.js';
import { rerankByPhrase, sectionPhraseText } from '../../search/core/proximity.js';
import type { ParsedQuery } from '../../search/text/query.js';
import { stripFillers } from './default-synonyms.js';
import { kindAgreement, questionKinds } from './question-kind.js';
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

/**
 * The reordering of the engine's candidates by what sets FAQ entries apart from each other
 * (measured on bench:faq, both paraphrase forms; see docs/en/faq.md):
 * - the entry's group (a product) is named in the question: `1 + GROUP_BONUS`;
 * - the kind of question agrees (why, how, whether…, see question-kind.ts): `1 + KIND_BONUS × agreement`;
 * - the share of the entry's own question the customer asked: `× share ^ QUESTION_SHARE_EXPONENT`.
 *   BM25 rewards an entry for the customer's words it holds, not for the words of its question
 *   the customer left out; of two entries on the words asked, the one asking no more is meant.
 */
const GROUP_BONUS = 0.2;
const KIND_BONUS = 0.5;
const QUESTION_SHARE_EXPONENT = 0.25;
/** Keeps an entry none of whose question was asked (only its answer matched) in the ranking. */
const SHARE_FLOOR = 0.001;

/** Entries ranked before the reordering picks the best `limit` (30 measured the same as 20; 15 lost one colloquial question of 100). */
const RANKED = 20;

/** Matches questions against one FAQ index. */
export class FaqMatcher {
  private readonly scorer: Scorer;
  /** Per entry, query-independent: its phrasings parsed, their kinds, its group normalized. */
  private readonly entryFacts = new Map<number, EntryFacts>();
  /** Headings as the phrase bonus reads them, by section (normalizing them was a third of a warm match). */
  private readonly phraseTexts = new Map<number, string>();

  constructor(
    readonly index: FaqIndex,
    readonly thresholds: MatchThresholds = DEFAULT_THRESHOLDS,
  ) {
    this.scorer = new Scorer(index.engine.config.params);
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
    const pool = this.scorer.rank(parsed, kb, this.index.engine.sectionNorms(), Math.max(limit, RANKED));
    // As the engine does: questions holding the customer's words in the order typed come first.
    const phrase = (section: number) => {
      let text = this.phraseTexts.get(section);
      if (text === undefined) this.phraseTexts.set(section, (text = sectionPhraseText(kb.sectionHead(section).heading, '')));
      return text;
    };
    const phrased = rerankByPhrase(pool, parsed, phrase, engine.config.params.phraseBonus, pool.length);
    const asked = termsOf(parsed);
    // Question words are what stripFillers and the parser drop, so the kind is read from the question as typed.
    const kinds = questionKinds(question);
    const named = parsed.clauses.flatMap((c) => c.surface.filter((s) => s.length >= 2));
    const scored: Array<{ entry: FaqEntry; section: number; score: number; questionCoverage: number }> = [];
    for (const r of phrased) {
      const entry = this.index.entry(Number((kb.page(r.page)?.path ?? '').slice(2)));
      if (!entry) continue;
      const facts = this.facts(entry);
      const questionCoverage = Math.max(...facts.phrasings.map((w) => shareOf(w, (term) => asked.has(term))));
      const agreement = Math.max(0, ...facts.kinds.map((k) => kindAgreement(kinds, k)));
      const group = named.some((s) => facts.group.includes(s)) ? 1 + GROUP_BONUS : 1;
      const score = r.score * group * (1 + KIND_BONUS * agreement) * Math.pow(questionCoverage + SHARE_FLOOR, QUESTION_SHARE_EXPONENT);
      scored.push({ entry, section: r.section, score, questionCoverage });
    }
    scored.sort((a, b) => b.score - a.score || a.entry.id - b.entry.id);
    const candidates: FaqCandidate[] = scored.slice(0, limit).map(({ entry, section, score, questionCoverage }) => {
      const coverage = this.coverage(parsed, section);
      return { entry, score, coverage, questionCoverage, confidence: Math.sqrt(coverage * questionCoverage) };
    });
    const best = candidates[0];
    let kind: FaqMatch['kind'] = 'none';
    if (best && best.confidence >= this.thresholds.answer) kind = 'answer';
    else if (best && best.confidence >= this.thresholds.suggest) kind = 'suggest';
    return { kind, candidates, query };
  }

  private facts(entry: FaqEntry): EntryFacts {
    let facts = this.entryFacts.get(entry.id);
    if (!facts) {
      const phrasings = [entry.question, ...entry.phrasings];
      facts = {
        phrasings: phrasings.map((q) => this.weigh(this.index.engine.parse(stripFillers(q)))),
        kinds: phrasings.map(questionKinds),
        group: normalize(entry.group),
      };
      this.entryFacts.set(entry.id, facts);
    }
    return facts;
  }

  /** Share of the parsed question's clause weight found in the entry of `section`. */
  coverage(parsed: ParsedQuery, section: number): number {
    const kb = this.index.engine.kb;
    return shareOf(this.weigh(parsed), (term) => contains(kb.posting(term)?.ids, section));
  }

  /**
   * The clause weights of a parsed text: each term weighs its query weight × IDF (terms the
   * index lacks weigh nothing), a clause its best alternative, a clause of no known term as a
   * rare word (UNKNOWN_CLAUSE_SHARE). Looking up document frequencies is most of the cost, so
   * entries' questions are weighed once.
   */
  private weigh(parsed: ParsedQuery): WeighedClause[] {
    const kb = this.index.engine.kb;
    const n = Math.max(kb.liveSections, 1);
    const unknownWeight = UNKNOWN_CLAUSE_SHARE * idf(1, n);
    return parsed.clauses.map((clause) => {
      let weight = 0;
      const alternatives = clause.alternatives.map((alternative) => {
        const terms: Array<[string, number]> = [];
        for (const { term, weight: w } of alternative) {
          const df = kb.df(term);
          if (df > 0) terms.push([term, w * idf(df, n)]);
        }
        weight = Math.max(
          weight,
          terms.reduce((sum, [, w]) => sum + w, 0),
        );
        return terms;
      });
      return { weight: weight === 0 ? unknownWeight : weight, alternatives };
    });
  }
}

/** A clause with its weight and its alternatives' terms with theirs (see FaqMatcher.weigh). */
interface WeighedClause {
  weight: number;
  alternatives: Array<Array<[string, number]>>;
}

/** What the matcher keeps of an entry between questions: its phrasings weighed, their kinds, its group. */
interface EntryFacts {
  phrasings: WeighedClause[][];
  kinds: number[];
  group: string;
}

/** Share of the clauses' weight whose terms `has` holds (an alternative counts its terms held). */
function shareOf(clauses: readonly WeighedClause[], has: (term: string) => boolean): number {
  let total = 0;
  let covered = 0;
  for (const clause of clauses) {
    let found = 0;
    for (const alternative of clause.alternatives) {
      let altFound = 0;
      for (const [term, w] of alternative) if (has(term)) altFound += w;
      if (altFound > found) found = altFound;
    }
    total += clause.weight;
    covered += Math.min(found, clause.weight);
  }
  return total > 0 ? covered / total : 0;
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
