import { idf } from '../core/scorer.js';
import { BIGRAM_MARK } from './analyzer.js';
import { hasQuestionIntent } from './intent.js';
import { normalize } from './normalize.js';
import { isCommon, segmentRun, subwords, type Vocabulary } from './segment.js';
import { findSynonyms, type SynonymGroups } from './synonyms.js';
import { isCjk, runs, wordTerms } from './tokenize.js';

/** A term of a query with its weight. */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/**
 * One unit of meaning the user asked for: a word, with alternatives (the word itself, its
 * synonyms). A section scores the best alternative; an alternative scores the sum of its terms.
 */
export interface Clause {
  alternatives: WeightedTerm[][];
  /** Normalized strings to mark in snippets, best first. */
  surface: string[];
}

/** A query ready for scoring. */
export interface ParsedQuery {
  clauses: Clause[];
  /** The query asks a question (see intent.ts): FAQ sections are what it wants. */
  intent?: boolean;
}

/** Weights used while parsing, and whether the index holds character bigrams. */
export interface QueryWeights {
  subwordWeight: number;
  synonymWeight: number;
  bigramWeight: number;
  bigrams: boolean;
}

// Function and question words that carry no topic; dropped when the query has anything else.
const STOP = new Set(
  (
    '的 了 吗 呢 吧 啊 是 在 和 与 及 或 把 被 对 从 向 于 为 以 就 都 也 还 很 又 要 会 能 该 请 请问 ' +
    '如何 怎么 怎样 怎么样 什么 为什么 为何 哪些 哪个 哪里 是否 可以 能否 有没有 有 没有 吗？ 呀 么 ' +
    'a an the of to is are be do does how what why which when where can i you it in on for and or with'
  ).split(' '),
);

function clauseOf(terms: WeightedTerm[], surface: string[]): Clause {
  return { alternatives: [terms], surface };
}

/** Clauses of a text span without synonyms: words, CJK words from the vocabulary, bigram fallbacks. */
function spanClauses(text: string, vocab: Vocabulary, w: QueryWeights, bigrams: boolean): Clause[] {
  const out: Clause[] = [];
  for (const run of runs(text)) {
    if (run.kind === 'word') {
      const [whole, ...parts] = wordTerms(run);
      const terms = [{ term: whole!, weight: 1 }, ...parts.map((p) => ({ term: p, weight: w.subwordWeight }))];
      out.push(clauseOf(terms, [whole!, ...parts]));
      continue;
    }
    const pieces = segmentRun(run.text, vocab);
    const chars = Array.from(run.text);
    let at = 0;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      const size = Array.from(piece.text).length;
      if (piece.known) {
        const subs = w.subwordWeight > 0 ? subwords(piece.text, vocab) : [];
        out.push(
          clauseOf([{ term: piece.text, weight: 1 }, ...subs.map((s) => ({ term: s, weight: w.subwordWeight }))], [piece.text, ...subs]),
        );
        at += size;
        continue;
      }
      // A span of characters the vocabulary lacks: match it by the bigrams around it.
      let end = i;
      let spanSize = size;
      while (end + 1 < pieces.length && !pieces[end + 1]!.known) spanSize += Array.from(pieces[++end]!.text).length;
      const from = Math.max(0, at - 1);
      const to = Math.min(chars.length, at + spanSize + 1);
      const grams: WeightedTerm[] = [];
      if (bigrams) {
        for (let k = from; k + 2 <= to; k++) grams.push({ term: BIGRAM_MARK + chars[k]! + chars[k + 1]!, weight: w.bigramWeight });
      }
      const surface = chars.slice(at, at + spanSize).join('');
      if (grams.length > 0) out.push(clauseOf(grams, [surface]));
      at += spanSize;
      i = end;
    }
  }
  return out;
}

/** Synonyms searched for one typed word at most: each costs a posting scan. */
const MAX_SYNONYMS = 8;

/**
 * True when a synonym is worth searching: the index has words for it, one of them at least
 * two characters long (or Latin), none a stop word. `收钱` is `收` + `钱` to a documentation
 * vocabulary: typed, it finds its group; searched, it would match every `收` and `钱`.
 * `云函数` (`云` + `函数`) is searched.
 */
function searchable(clauses: Clause[]): boolean {
  let word = false;
  for (const c of clauses) {
    const first = c.alternatives[0]?.[0];
    if (!first || first.term.charCodeAt(0) === 1 || STOP.has(first.term)) return false;
    if (first.term.length >= 2 || !isCjk(first.term)) word = true;
  }
  return word;
}

/**
 * Parses a query: normalization, synonym groups found first (their members become alternatives
 * of one clause), words kept whole and split at `.`/`-`/`_`, CJK segmented against the index
 * vocabulary with sub-words, unknown characters matched through bigrams when the index has them.
 * Stop words are dropped unless nothing else is left.
 */
export function parseQuery(query: string, vocab: Vocabulary, synonyms: SynonymGroups, w: QueryWeights): ParsedQuery {
  const text = normalize(query).replace(/\s+/g, ' ').trim();
  const bigrams = w.bigrams;
  const clauses: Clause[] = [];
  let last = 0;
  let cuts: Set<number> | undefined;
  for (const m of findSynonyms(text, synonyms)) {
    // A group member inside a word is not that word (`内网` of `主内网`).
    cuts ??= wordBoundaries(text, vocab);
    if (!cuts.has(m.start) || !cuts.has(m.end)) continue;
    clauses.push(...spanClauses(text.slice(last, m.start), vocab, w, bigrams));
    const typed = text.slice(m.start, m.end);
    const alternatives: WeightedTerm[][] = [];
    const typedClauses = spanClauses(typed, vocab, w, bigrams);
    const typedTerms = typedClauses.flatMap((c) => c.alternatives[0] ?? []);
    if (typedTerms.length > 0) alternatives.push(typedTerms);
    // A synonym may be rarer than the word typed; it must not outweigh it (`机房` for `地域`).
    // A typed word the index lacks (an abbreviation no page spells) sets no ceiling.
    const typedStrength = searchable(typedClauses) ? strength(typedTerms, vocab) : 0;
    const ceiling = typedStrength > 0 ? typedStrength : Infinity;
    for (const member of m.group) {
      if (member === typed || alternatives.length > MAX_SYNONYMS) continue;
      const memberClauses = spanClauses(member, vocab, w, bigrams);
      if (!searchable(memberClauses)) continue;
      // The words only, not their sub-words: a synonym stands for the word the user typed,
      // and its parts would add up to more than the typed word's own match. A common single
      // character (`云` of `云 hdfs`) carries next to no evidence and has one of the longest
      // postings: it stays out. (`加` of `加配置` stays in: without it the synonym is `配置`.
      // Leaving out common words too measured 2 colloquial questions of 100 worse.)
      const terms = memberClauses
        .map((c) => c.alternatives[0]![0]!.term)
        .filter((t) => t.length >= 2 || !isCjk(t) || !isCommon(t, vocab))
        .map((term) => ({ term, weight: w.synonymWeight }));
      if (terms.length === 0) continue;
      const scale = Math.min(1, ceiling / Math.max(strength(terms, vocab), 1e-9));
      alternatives.push(terms.map((t) => ({ term: t.term, weight: t.weight * scale })));
    }
    if (alternatives.length > 0) clauses.push({ alternatives, surface: [typed, ...m.group.filter((g) => g !== typed)] });
    last = m.end;
  }
  clauses.push(...spanClauses(text.slice(last), vocab, w, bigrams));
  const isStop = (c: Clause) => c.alternatives.length === 1 && c.alternatives[0]!.length === 1 && STOP.has(c.alternatives[0]![0]!.term);
  const content = clauses.filter((c) => !isStop(c));
  return { clauses: content.length > 0 ? content : clauses, intent: hasQuestionIntent(query) };
}

/** Weight × IDF of terms: what they can add to a section's score, before term frequency. */
function strength(terms: readonly WeightedTerm[], vocab: Vocabulary): number {
  const n = vocab.liveSections ?? vocab.totalDf;
  let sum = 0;
  for (const t of terms) {
    const df = vocab.df(t.term);
    if (df > 0) sum += t.weight * idf(df, n);
  }
  return sum;
}

/**
 * Offsets (UTF-16) in `text` where a word starts or ends: run edges, and the edges of the
 * vocabulary segmentation inside CJK runs.
 */
function wordBoundaries(text: string, vocab: Vocabulary): Set<number> {
  const out = new Set<number>([0, text.length]);
  let at = 0;
  for (const run of runs(text)) {
    const start = text.indexOf(run.text, at);
    if (start < 0) continue;
    out.add(start);
    let end = start;
    if (run.kind === 'cjk') {
      for (const piece of segmentRun(run.text, vocab)) out.add((end += piece.text.length));
    } else out.add((end += run.text.length));
    at = end;
  }
  return out;
}
