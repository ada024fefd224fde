import { normalizeWithMap, originalOffset } from './text/normalize.js';
import type { Range } from './types.js';

/** A snippet with the ranges of matched keywords in it. */
export interface Snippet {
  text: string;
  highlights: Range[];
}

interface Match {
  start: number;
  end: number;
  clause: number;
}

const WORDISH = /[\p{L}\p{N}_]/u;
/** A letter, digit or `_` below the CJK blocks: what a Latin word is made of. */
function isWordish(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  // ASCII without a regular expression: most boundaries in documentation are ASCII.
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  return c < 0x3000 && WORDISH.test(ch);
}

/** All occurrences of each clause's best matching surface form in normalized text. */
function findMatches(text: string, clauses: readonly string[][]): Match[] {
  const out: Match[] = [];
  clauses.forEach((surfaces, clause) => {
    for (const surface of surfaces) {
      if (!surface) continue;
      let found = false;
      const asciiEdges = isWordish(surface[0]) || isWordish(surface[surface.length - 1]);
      for (let at = text.indexOf(surface); at >= 0; at = text.indexOf(surface, at + 1)) {
        const end = at + surface.length;
        // Latin words match whole: `cos` is not highlighted inside `cosfs`.
        if (
          asciiEdges &&
          ((isWordish(text[at - 1]) && isWordish(surface[0])) || (isWordish(text[end]) && isWordish(surface[surface.length - 1])))
        )
          continue;
        out.push({ start: at, end, clause });
        found = true;
      }
      if (found) break;
    }
  });
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** Picks the window of `size` units that covers the most distinct clauses (then the most matches). */
function bestWindow(matches: Match[], size: number, clauses: number): [number, number] {
  let best: [number, number] = [0, 0];
  let bestKey = -1;
  const limit = Math.min(matches.length, 400);
  // `seen[clause] === i + 1`: the clause is in window i (no set allocated per window).
  const seen = new Int32Array(clauses);
  for (let i = 0; i < limit; i++) {
    const start = matches[i]!.start;
    let distinct = 0;
    let count = 0;
    let end = start;
    for (let j = i; j < limit && matches[j]!.start < start + size; j++) {
      const m = matches[j]!;
      if (m.end > start + size) continue;
      if (seen[m.clause] !== i + 1) {
        seen[m.clause] = i + 1;
        distinct++;
      }
      count++;
      if (m.end > end) end = m.end;
    }
    const key = distinct * 1000 + count;
    if (key > bestKey) {
      bestKey = key;
      best = [start, end];
    }
  }
  return best;
}

/**
 * Cuts a snippet of about `size` characters from a section text around the densest cluster
 * of query keywords (each clause lists its surface forms, best first), with the keywords as
 * ranges. Whitespace runs collapse to one space; cut ends get `…`.
 */
export function makeSnippet(text: string, clauses: readonly string[][], size = 100): Snippet {
  // Long sections: look for the keywords in their first part only, which keeps a hit cheap.
  const source = text.length > 3000 ? text.slice(0, 3000) : text;
  const mapped = normalizeWithMap(source);
  const matches = findMatches(mapped.text, clauses);
  let from = 0;
  let to = Math.min(source.length, size);
  if (matches.length > 0) {
    const [ws, we] = bestWindow(matches, size, clauses.length);
    // Centre the matched stretch in the window, then snap to original offsets.
    const slack = Math.max(0, size - (we - ws));
    const nStart = Math.max(0, ws - Math.floor(slack / 3));
    from = originalOffset(mapped, nStart);
    to = Math.min(source.length, from + size);
    if (to - from < size) from = Math.max(0, to - size);
  }
  // Never cut a surrogate pair in two.
  if (from > 0 && isLowSurrogate(source.charCodeAt(from))) from--;
  if (to < source.length && isLowSurrogate(source.charCodeAt(to))) to++;
  const ranges: Range[] = [];
  for (const m of matches) {
    const s = originalOffset(mapped, m.start);
    const e = originalOffset(mapped, m.end);
    if (s < from || e > to) continue;
    const last = ranges[ranges.length - 1];
    // Touching matches (函数|计费) become one highlight: `**函数计费**`, not `**函数****计费**`.
    if (last && s <= last[1]) {
      if (e > last[1]) last[1] = e;
      continue;
    }
    ranges.push([s, e]);
  }
  return collapse(source, from, to, ranges, text.length > source.length);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Copies `source[from, to)` with whitespace collapsed and ellipses, moving ranges along. */
function collapse(source: string, from: number, to: number, ranges: Range[], more: boolean): Snippet {
  let out = from > 0 ? '…' : '';
  const shifted: Range[] = [];
  let r = 0;
  let open = -1;
  let pendingSpace = false;
  for (let i = from; i < to; i++) {
    if (open >= 0 && i === ranges[r]![1]) {
      shifted.push([open, out.length]);
      open = -1;
      r++;
    }
    const ch = source[i]!;
    const blank = ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || ch === '\u00a0';
    if (open < 0 && r < ranges.length && i === ranges[r]![0]) {
      if (pendingSpace) {
        out += ' ';
        pendingSpace = false;
      }
      open = out.length;
    }
    if (blank) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += ch;
  }
  if (open >= 0) shifted.push([open, out.length]);
  if (to < source.length || more) out += '…';
  return { text: out, highlights: shifted.filter(([s, e]) => e > s) };
}
