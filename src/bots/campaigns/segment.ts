/**
 * Segments: boolean expressions over tag names — `VIP and 上海 and not 已购`, `(VIP or SVIP) and
 * not 退订`. `not` binds tightest, then `and`, then `or`; parentheses group. Keywords are
 * case-insensitive (`AND`, `Not`); a tag is any run of characters without spaces or
 * parentheses (tag names are checked to fit, see tags/book.ts). An expression that does not
 * parse is refused with its 1-based position and a caret under it, at start-up.
 */
import { WecombotError } from '../../errors.js';

export type Segment = { kind: 'tag'; name: string } | { kind: 'not'; of: Segment } | { kind: 'and' | 'or'; left: Segment; right: Segment };

export class SegmentError extends WecombotError {
  /** 1-based character position of the problem. */
  readonly position: number;
  constructor(expression: string, position: number, problem: string) {
    const caret = `${' '.repeat(Math.max(0, position - 1))}^`;
    super('segment_invalid', `segment "${expression}" at position ${position}: ${problem}\n  ${expression}\n  ${caret}`, {
      hint: 'write tags joined by and / or / not, with parentheses: VIP and 上海 and not 已购',
    });
    this.position = position;
  }
}

interface Token {
  kind: 'tag' | 'and' | 'or' | 'not' | '(' | ')' | 'end';
  text: string;
  /** 1-based. */
  at: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const chars = [...src];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i] as string;
    if (/\s/u.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === '（' || c === '）') {
      out.push({ kind: c === '(' || c === '（' ? '(' : ')', text: c, at: i + 1 });
      i++;
      continue;
    }
    const start = i;
    while (i < chars.length && !/[\s()（）]/u.test(chars[i] as string)) i++;
    const text = chars.slice(start, i).join('');
    const word = text.toLowerCase();
    const kind = word === 'and' || word === 'or' || word === 'not' ? word : 'tag';
    out.push({ kind, text, at: start + 1 });
  }
  out.push({ kind: 'end', text: '', at: chars.length + 1 });
  return out;
}

/**
 * Parses a segment expression.
 *
 * @example parseSegment('VIP and 上海 and not 已购')
 * @throws SegmentError with the position: parseSegment('VIP and') // position 8: a tag is missing
 */
export function parseSegment(expression: string): Segment {
  if (typeof expression !== 'string' || !expression.trim()) throw new SegmentError(String(expression ?? ''), 1, 'the expression is empty');
  const tokens = tokenize(expression);
  let p = 0;
  const peek = () => tokens[p] as Token;
  const fail = (t: Token, problem: string): never => {
    throw new SegmentError(expression, t.at, problem);
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'the end' : `"${t.text}"`);

  function or(): Segment {
    let left = and();
    while (peek().kind === 'or') {
      p++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }
  function and(): Segment {
    let left = unary();
    while (peek().kind === 'and') {
      p++;
      left = { kind: 'and', left, right: unary() };
    }
    // Two operands side by side (`VIP 上海`) almost always mean a forgotten and/or.
    const next = peek();
    if (next.kind === 'tag' || next.kind === 'not' || next.kind === '(') fail(next, `expected and, or or ")" before ${describe(next)}`);
    return left;
  }
  function unary(): Segment {
    const t = peek();
    if (t.kind === 'not') {
      p++;
      return { kind: 'not', of: unary() };
    }
    if (t.kind === '(') {
      p++;
      const inner = or();
      if (peek().kind !== ')') fail(peek(), `expected ")" to close the "(" at position ${t.at}, found ${describe(peek())}`);
      p++;
      return inner;
    }
    if (t.kind === 'tag') {
      p++;
      return { kind: 'tag', name: t.text };
    }
    return fail(t, `expected a tag, not or "(", found ${describe(t)}`);
  }

  const tree = or();
  if (peek().kind !== 'end') fail(peek(), `unexpected ${describe(peek())}`);
  return tree;
}

/** True when a subject with `tags` is in the segment. */
export function inSegment(segment: Segment, tags: ReadonlySet<string>): boolean {
  switch (segment.kind) {
    case 'tag':
      return tags.has(segment.name);
    case 'not':
      return !inSegment(segment.of, tags);
    case 'and':
      return inSegment(segment.left, tags) && inSegment(segment.right, tags);
    case 'or':
      return inSegment(segment.left, tags) || inSegment(segment.right, tags);
  }
}

/** The tag names a segment mentions (preview warns about those no one carries). */
export function segmentTags(segment: Segment, out = new Set<string>()): Set<string> {
  if (segment.kind === 'tag') out.add(segment.name);
  else if (segment.kind === 'not') segmentTags(segment.of, out);
  else {
    segmentTags(segment.left, out);
    segmentTags(segment.right, out);
  }
  return out;
}
