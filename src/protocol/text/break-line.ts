/**
 * The last resort of splitting: cut one line that alone exceeds the limit, preferring a space
 * or sentence punctuation, never inside a grapheme cluster when avoidable, never inside a code
 * point or surrogate pair.
 */
import { utf8PrefixIndex } from './utf8.js';

// Made on the first line that needs it: constructing a Segmenter loads ICU's break rules, ~5 ms
// of every cold start (this module is in every bundle) for a path few messages take.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (text: string) => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(text);

// Break after these (CJK and ASCII sentence/clause punctuation, whitespace).
const BREAK_AFTER = /[\s。！？；，、：,.!?;:)）」』】》]/u;

/** Cut `line` into pieces of at most `maxBytes` UTF-8 bytes; `pieces.join('') === line`. */
export function breakLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  for (;;) {
    // utf8PrefixIndex stops after maxBytes, so each round costs O(maxBytes), not O(rest).
    const hard = utf8PrefixIndex(rest, maxBytes);
    if (hard >= rest.length) break;
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
  if (obviousBoundary(rest, index)) return index;
  // Segment only from the nearest obvious boundary before `index`: Intl.Segmenter is slow, and
  // cluster rules (regional-indicator pairs) need context from a real boundary.
  let from = index - 1;
  while (from > 0 && index - from < 512 && !obviousBoundary(rest, from)) from--;
  if (from > 0 && !obviousBoundary(rest, from)) from = 0;
  let best = from;
  for (const { index: start } of graphemes(rest.slice(from, Math.min(rest.length, index + 32)))) {
    if (from + start > index) break;
    best = from + start;
  }
  return best;
}

/**
 * True when a cluster boundary at `i` is certain without segmenting: both neighbours are
 * characters that never join a cluster (ASCII/Latin text, CJK ideographs, kana, full-width forms).
 */
function obviousBoundary(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return true;
  const before = text.charCodeAt(i - 1);
  const after = text.charCodeAt(i);
  return standalone(before) && standalone(after);
}

function standalone(unit: number): boolean {
  return (
    unit === 0x0a ||
    (unit >= 0x20 && unit < 0x300) ||
    (unit >= 0x3000 && unit <= 0x3029) ||
    (unit >= 0x3030 && unit <= 0x3098) ||
    (unit >= 0x309b && unit <= 0x30ff) ||
    (unit >= 0x4e00 && unit <= 0x9fff) ||
    (unit >= 0xff01 && unit <= 0xff60)
  );
}
