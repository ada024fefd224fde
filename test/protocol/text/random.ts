/** A small seeded PRNG and generators of Chinese/emoji-heavy text for property-style tests. */
export class Random {
  constructor(private seed: number) {}

  next(): number {
    // mulberry32
    let t = (this.seed = (this.seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
}

const PIECES = [
  '中',
  '文',
  '企',
  '业',
  '微',
  '信',
  '机',
  '器',
  '人',
  '。',
  '，',
  '！',
  '？',
  'a',
  'b',
  'c',
  'hello',
  'world',
  ' ',
  ' ',
  ' ',
  '😀',
  '🚀',
  '👍🏽',
  '👨‍👩‍👧',
  '🇨🇳',
  'é',
  'e\u0301',
  '𠮷',
  '\u3000',
  '—',
  '…',
];

/** A line of `n` random pieces (no newline). */
export function randomLine(r: Random, n: number): string {
  let line = '';
  for (let i = 0; i < n; i++) line += r.pick(PIECES);
  return line;
}

/** Plain text: paragraphs of lines, sometimes with very long lines. */
export function randomText(r: Random): string {
  const paragraphs: string[] = [];
  const count = r.int(1, 12);
  for (let p = 0; p < count; p++) {
    const lines: string[] = [];
    const lineCount = r.int(1, 6);
    for (let l = 0; l < lineCount; l++) lines.push(randomLine(r, r.next() < 0.1 ? r.int(200, 900) : r.int(1, 60)));
    paragraphs.push(lines.join('\n'));
  }
  return paragraphs.join(r.next() < 0.5 ? '\n\n' : '\n\n\n');
}

/** Markdown with headings, paragraphs, fenced code and tables; every line at most `maxLine` pieces. */
export function randomMarkdown(r: Random, maxLine: number): string {
  const blocks: string[] = [];
  const count = r.int(2, 14);
  for (let b = 0; b < count; b++) {
    const kind = r.int(0, 3);
    if (kind === 0) {
      blocks.push(`## ${randomLine(r, r.int(1, 8))}`);
    } else if (kind === 1) {
      const rows = r.int(1, 40);
      const body = Array.from({ length: rows }, () => `  ${randomLine(r, r.int(0, maxLine))}`.replace(/```/g, ''));
      if (r.next() < 0.3) body.splice(r.int(0, body.length), 0, '');
      blocks.push(['```ts', ...body, '```'].join('\n'));
    } else if (kind === 2) {
      const rows = r.int(1, 40);
      const row = (): string => `| ${randomLine(r, r.int(1, Math.max(1, maxLine / 2)))} | ${randomLine(r, r.int(1, 4))} |`;
      blocks.push(['| 名称 | 值 |', '| :--- | ---: |', ...Array.from({ length: rows }, row)].join('\n'));
    } else {
      blocks.push(Array.from({ length: r.int(1, 5) }, () => randomLine(r, r.int(1, maxLine))).join('\n'));
    }
  }
  return blocks.join('\n\n');
}
