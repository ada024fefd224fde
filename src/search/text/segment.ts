/**
 * Query-time segmentation against the index's own vocabulary. jieba's dictionary costs
 * 100–200 ms to load, which a cold start cannot afford; the index already knows every word
 * jieba produced for the documents and how common each is, which is what a segmenter needs.
 */

/** What segmentation needs from an index: how many sections contain a term. */
export interface Vocabulary {
  df(term: string): number;
  /** Sum of all document frequencies (the probability denominator). */
  readonly totalDf: number;
  /** Longest term in UTF-16 units. */
  readonly maxTermLength: number;
  /** Number of sections, when known: it lets {@link subwords} leave out the commonest pieces. */
  readonly liveSections?: number;
}

/**
 * A sub-word found in more sections than this share (and more than {@link COMMON_SUBWORD_MIN})
 * is left out: its weight is small (IDF under 1.7), its posting long, and on the benchmark
 * corpus leaving such pieces out changed no ranking measure while it cut the slowest queries.
 */
const COMMON_SUBWORD_SHARE = 0.2;
/** Below this many sections a posting is cheap whatever its share (small knowledge bases). */
const COMMON_SUBWORD_MIN = 1000;

/** Pieces longer than this are never looked up, whatever the vocabulary holds. */
export const MAX_PIECE_CHARS = 12;

/** A segmented piece; `known` is false for characters the vocabulary does not hold. */
export interface Piece {
  text: string;
  known: boolean;
}

/**
 * Splits a CJK run into the most probable sequence of vocabulary terms (maximum product of
 * `df / totalDf`, as jieba's route search does with its dictionary counts). Characters no term
 * covers come out one by one with `known: false`.
 *
 * @example segmentRun('函数计费', vocab) // [{text:'函数',known:true},{text:'计费',known:true}]
 */
export function segmentRun(run: string, vocab: Vocabulary): Piece[] {
  const chars = Array.from(run);
  const n = chars.length;
  const total = Math.max(vocab.totalDf, 1);
  const logTotal = Math.log(total);
  // An unknown character costs more than any known term, so known words always win.
  const unknownCost = Math.log(0.1) - logTotal;
  const best = new Float64Array(n + 1).fill(-Infinity);
  const from = new Int32Array(n + 1);
  const known = new Uint8Array(n + 1);
  best[0] = 0;
  const maxChars = Math.min(MAX_PIECE_CHARS, Math.max(1, vocab.maxTermLength));
  for (let end = 1; end <= n; end++) {
    let piece = '';
    for (let len = 1; len <= maxChars && len <= end; len++) {
      piece = chars[end - len] + piece;
      if (best[end - len] === -Infinity) continue;
      const df = vocab.df(piece);
      let score: number;
      if (df > 0) score = best[end - len]! + Math.log(df) - logTotal;
      else if (len === 1) score = best[end - 1]! + unknownCost;
      else continue;
      if (score > best[end]!) {
        best[end] = score;
        from[end] = end - len;
        known[end] = df > 0 ? 1 : 0;
      }
    }
  }
  const out: Piece[] = [];
  for (let end = n; end > 0; end = from[end]!) {
    out.push({ text: chars.slice(from[end]!, end).join(''), known: known[end] === 1 });
  }
  return out.reverse();
}

/**
 * Sub-words of a word, as jieba's search mode emits them: its known two-character pieces and,
 * for words longer than three characters, its known three-character pieces. A piece found
 * (almost) only inside the word itself (务器 in 服务器) adds no recall, only cost, and so does
 * a piece in a large share of all sections: both are left out.
 */
export function subwords(word: string, vocab: Vocabulary): string[] {
  const chars = Array.from(word);
  const own = vocab.df(word);
  const common = commonDf(vocab);
  const out: string[] = [];
  for (const size of [2, 3]) {
    if (chars.length <= size) continue;
    for (let i = 0; i + size <= chars.length; i++) {
      const piece = chars.slice(i, i + size).join('');
      const df = vocab.df(piece);
      if (df > own * 1.2 && df <= common && !out.includes(piece)) out.push(piece);
    }
  }
  return out;
}

/** Document frequency above which a term is common (see {@link COMMON_SUBWORD_SHARE}). */
function commonDf(vocab: Vocabulary): number {
  return Math.max(COMMON_SUBWORD_SHARE * (vocab.liveSections ?? Infinity), COMMON_SUBWORD_MIN);
}

/** True for a term in a large share of a large index's sections: little weight, a long posting. */
export function isCommon(term: string, vocab: Vocabulary): boolean {
  return vocab.df(term) > commonDf(vocab);
}
