import { loadJieba, type Segmenter } from './jieba.js';
import { nameMatcher } from './name-terms.js';
import { normalize } from './normalize.js';
import { runs, wordTerms, type Run } from './tokenize.js';

/** Marks CJK character-bigram terms so they never collide with jieba words of two characters. */
export const BIGRAM_MARK = '\u0001';

/** Turns field text into index terms (with repetitions: term frequency counts). */
export interface IndexAnalyzer {
  terms(text: string): string[];
  /**
   * Splits text into words without sub-words (jieba's default mode), for learning names at
   * index time; analyzers without it learn names at spaces and script changes only.
   */
  words?(text: string): string[];
}

/** Index-time analysis options. */
export interface AnalyzerOptions {
  /** Also index CJK character bigrams, a fallback for words jieba splits differently (default false). */
  bigrams?: boolean;
}

/** CJK character bigrams of a run, marked with {@link BIGRAM_MARK}. */
export function bigramsOf(run: string): string[] {
  const chars = Array.from(run);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(BIGRAM_MARK + chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Builds the index-time analyzer: normalization, word runs kept whole and split at `.`, `-`
 * and `_`, CJK runs cut by jieba in search mode (words plus their dictionary sub-words, HMM on
 * for unknown words). jieba loads here, never on the query path.
 */
export async function createIndexAnalyzer(options: AnalyzerOptions = {}): Promise<IndexAnalyzer> {
  return analyzerWith(await loadJieba(), options);
}

/** The analyzer over a given segmenter (tests inject their own). */
export function analyzerWith(jieba: Segmenter, options: AnalyzerOptions = {}): IndexAnalyzer {
  const cjkTerms = (text: string): string[] => {
    const out: string[] = [];
    for (const t of jieba.cutForSearch(text, true)) if (t.trim()) out.push(t);
    return out;
  };
  return {
    words: (text) => jieba.cut(text, true),
    terms(text) {
      const rs: Run[] = runs(normalize(text));
      const out: string[] = [];
      const cjk: string[] = [];
      for (const r of rs) {
        if (r.kind === 'word') out.push(...wordTerms(r));
        else {
          cjk.push(r.text);
          if (options.bigrams) out.push(...bigramsOf(r.text));
        }
      }
      // One native call per field instead of one per run: spaces separate the runs and jieba
      // never joins across them.
      if (cjk.length > 0) out.push(...cjkTerms(cjk.join(' ')));
      return out;
    },
  };
}

/**
 * An analyzer that also emits learned names found in CJK runs as whole terms (see
 * name-terms.ts), next to what `base` makes of the text.
 */
export function withNames(base: IndexAnalyzer, names: readonly string[]): IndexAnalyzer {
  const matcher = nameMatcher(names);
  if (!matcher) return base;
  return {
    words: base.words?.bind(base),
    terms(text) {
      const out = base.terms(text);
      for (const r of runs(normalize(text))) if (r.kind === 'cjk') matcher.find(r.text, out);
      return out;
    },
  };
}
