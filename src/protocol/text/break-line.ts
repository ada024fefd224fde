/**
 * The last resort of splitting: cut one line that alone exceeds the limit, preferring a space
 * or sentence punctuation, never inside a grapheme cluster when avoidable, never inside a code
 * point or surrogate pair.
 */
import { utf8ByteLength, utf8PrefixIndex } from './utf8.js';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// Break after these (CJK and ASCII sentence/clause punctuation, whitespace).
const BREAK_AFTER = /[\s。！？；，、：,.!?;:)）」』】》]/u;

/** Cut `line` into pieces of at most `maxBytes` UTF-8 bytes; `pieces.join('') === line`. */
export function breakLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (utf8ByteLength(rest) > maxBytes) {
    const hard = utf8PrefixIndex(rest, maxBytes);
    let cut = softBreak(rest, hard);
    if (cut === 0) cut = graphemeBoundary(rest, hard);
    if (cut === 0) cut = hard;
    if (cut === 0) break; // maxBytes below one code point: callers prevent this
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** The last break opportunity in the second half of rest[0, hard), as an index after it; 0 if none. */
function softBreak(rest: string, hard: number): number {
  const floor = Math.floor(hard / 2);
  for (let i = hard - 1; i >= floor && i > 0; i--) {
    const ch = rest[i] as string;
    if (BREAK_AFTER.test(ch)) {
      const after = i + 1;
      // Do not land inside a surrogate pair or before a combining mark / ZWJ continuation.
      if (after <= hard && graphemeBoundary(rest, after) === after) return after;
    }
  }
  return 0;
}

/** The last grapheme cluster boundary at or before `index` (0 if none besides the start). */
function graphemeBoundary(rest: string, index: number): number {
  let best = 0;
  for (const { index: start } of segmenter.segment(rest.slice(0, Math.min(rest.length, index + 32)))) {
    if (start > index) break;
    best = start;
  }
  // `index` itself may be the end of the window's last cluster.
  return best;
}
