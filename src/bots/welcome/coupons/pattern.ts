/**
 * Codes generated from a pattern: literal characters, and `{…}` groups whose characters are
 * random positions: `X` a letter or digit without the look-alikes 0/O and 1/I, `A` a letter
 * (without O and I), `9` a digit. `NEW-{XXXXXX}` gives codes like `NEW-7KQ2ZP`.
 */
import { randomInt } from 'node:crypto';
import { codeProblem } from './code.js';

const ALPHABETS: Record<string, string> = {
  X: '23456789ABCDEFGHJKLMNPQRSTUVWXYZ',
  A: 'ABCDEFGHJKLMNPQRSTUVWXYZ',
  '9': '0123456789',
};

export interface CodePattern {
  readonly source: string;
  /** Literal text, or the alphabet of one random position. */
  readonly parts: readonly ({ literal: string } | { alphabet: string })[];
  /** How many different codes the pattern can make (a float: it may be huge). */
  readonly combinations: number;
}

/**
 * Parses a pattern; a string is the reason it is refused.
 *
 * @example parsePattern('NEW-{XXXXXX}') // { combinations: 1073741824, … }
 */
export function parsePattern(source: string): CodePattern | string {
  const parts: ({ literal: string } | { alphabet: string })[] = [];
  let combinations = 1;
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (const m of source.matchAll(re)) {
    if (m[3]) return `has an unmatched "${m[3]}"`;
    if (m[2] !== undefined) {
      parts.push({ literal: m[2] });
      continue;
    }
    const group = m[1] as string;
    if (group === '') return 'has an empty {} group';
    for (const ch of group) {
      const alphabet = ALPHABETS[ch];
      if (!alphabet) return `has "${ch}" inside {…}; use X (letter or digit), A (letter) or 9 (digit)`;
      parts.push({ alphabet });
      combinations *= alphabet.length;
    }
  }
  if (!parts.some((p) => 'alphabet' in p)) return 'has no random part: add a group such as {XXXXXX}';
  const pattern: CodePattern = { source, parts, combinations };
  const sample = generateCode(pattern);
  const problem = codeProblem(sample);
  if (problem) return `makes invalid codes: ${problem.replace(/^the code/, 'each code')}`;
  return pattern;
}

/** One random code of `pattern`. */
export function generateCode(pattern: CodePattern): string {
  return pattern.parts.map((p) => ('literal' in p ? p.literal : (p.alphabet[randomInt(p.alphabet.length)] as string))).join('');
}

/**
 * Why `pattern` cannot make `count` codes comfortably, or undefined. A pattern must offer a
 * hundred times more codes than are needed, so that codes stay hard to guess and collisions
 * (which cost a retry) stay rare.
 */
export function capacityProblem(pattern: CodePattern, count: number): string | undefined {
  const needed = Math.max(10_000, count * 100);
  if (pattern.combinations >= needed) return undefined;
  return `makes only ${pattern.combinations} different codes; ${count} codes need at least ${needed} (add random positions)`;
}
