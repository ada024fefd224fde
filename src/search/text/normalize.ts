/**
 * Text normalization shared by the indexer, the query parser and the highlighter, so all
 * three agree on what "the same term" means: full-width forms become half-width (NFKC per
 * code point), letters are case-folded, and the ideographic space becomes a space.
 */

// Everything that may change: ASCII capitals and any code point outside ASCII and the common CJK block.
const FOLDABLE = /[A-Z]|[^\x00-\x7f\u4e00-\u9fff]/gu;
// Text without these needs ASCII lower-casing only, which toLowerCase does in one native pass
// (a replace callback per capital costs more than the rest of a snippet).
const BEYOND_ASCII_AND_CJK = /[^\x00-\x7f\u4e00-\u9fff]/;

// NFKC of the Latin-1 characters that have a compatibility decomposition (index: code - 0xa0).
const LATIN1_COMPAT: Array<string | undefined> = [];
for (const [code, value] of [
  [0xa0, ' '],
  [0xa8, ' \u0308'],
  [0xaa, 'a'],
  [0xaf, ' \u0304'],
  [0xb2, '2'],
  [0xb3, '3'],
  [0xb4, ' \u0301'],
  [0xb5, 'μ'],
  [0xb8, ' \u0327'],
  [0xb9, '1'],
  [0xba, 'o'],
  [0xbc, '1⁄4'],
  [0xbd, '1⁄2'],
  [0xbe, '3⁄4'],
] as const)
  LATIN1_COMPAT[code - 0xa0] = value;

// Results for code points outside ASCII and the CJK block; documents reuse few of them
// (punctuation mostly), and String#normalize is comparatively slow.
const folded = new Map<string, string>();

/** Normalizes one code point; returns the input when nothing changes. */
function foldChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : ch;
  // Full-width ASCII variants (！ to ～) map 1:1 onto ASCII; the ideographic space onto a space.
  if (cp >= 0xff01 && cp <= 0xff5e) return foldChar(String.fromCharCode(cp - 0xfee0));
  if (cp === 0x3000) return ' ';
  if (cp >= 0x4e00 && cp <= 0x9fff) return ch; // common CJK ideographs are already normal
  // Latin-1 (·, ×, é…) without ICU: only these few have compatibility forms there. Loading
  // ICU's normalization data on a cold start's first snippet costs milliseconds.
  if (cp <= 0xff) return LATIN1_COMPAT[cp - 0xa0] ?? ch.toLowerCase();
  let out = folded.get(ch);
  if (out === undefined) {
    out = ch.normalize('NFKC').toLowerCase();
    if (folded.size < 4096) folded.set(ch, out);
  }
  return out;
}

/**
 * Normalizes a string for indexing and matching.
 *
 * @example normalize('ＳＣＦ函数') // 'scf函数'
 */
export function normalize(text: string): string {
  return BEYOND_ASCII_AND_CJK.test(text) ? text.replace(FOLDABLE, foldChar) : text.toLowerCase();
}

// What can change in text that is only searched for words: punctuation (general, CJK and
// full-width) never belongs to a word, so it is left alone; full-width letters and digits fold.
const MATCH_FOLDABLE = /[A-Z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|[^\x00-\x7f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/gu;

const MATCH_ONE = new RegExp(`^(?:${MATCH_FOLDABLE.source})$`, 'u');
// Foldable in word matching, but not by ASCII lower-casing alone (see BEYOND_ASCII_AND_CJK).
// toLowerCase leaves the punctuation blocks as they are: none of their characters has a case.
// No `u` flag: it only slows the scan, and a surrogate (half of an astral character) is outside
// every listed range, so such text takes the general path as it should.
const MATCH_BEYOND_ASCII = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]|[^\x00-\x7f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

/** A normalized string plus, for each of its UTF-16 units, the offset of its source in the original. */
export interface MappedText {
  text: string;
  /**
   * `map[i]` is the original offset of normalized unit `i`; `map[text.length]` is the original
   * length. Undefined when every unit kept its place (the usual case): offsets are the same.
   */
  map: Uint32Array | undefined;
}

/** The original offset of normalized offset `i`. */
export function originalOffset(mapped: MappedText, i: number): number {
  return mapped.map ? mapped.map[i]! : i;
}

/**
 * Normalizes words like {@link normalize} (punctuation is left as is: no word contains it) and
 * remembers where each output unit came from, so a match found in the normalized text can be
 * highlighted in the original one.
 */
export function normalizeWithMap(text: string): MappedText {
  if (!MATCH_BEYOND_ASCII.test(text)) return { text: text.toLowerCase(), map: undefined };
  let shifted = false;
  const fast = text.replace(MATCH_FOLDABLE, (ch) => {
    const folded = foldChar(ch);
    if (folded.length !== ch.length) shifted = true;
    return folded;
  });
  if (!shifted) return { text: fast, map: undefined };
  const parts: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    const folded = ch.match(MATCH_ONE) ? foldChar(ch) : ch;
    parts.push(folded);
    for (let k = 0; k < folded.length; k++) offsets.push(i);
    i += ch.length;
  }
  offsets.push(text.length);
  return { text: parts.join(''), map: Uint32Array.from(offsets) };
}
