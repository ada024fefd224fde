import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../src/protocol/limits.js';
import { splitMessage } from '../../../src/protocol/text/split.js';
import { utf8ByteLength } from '../../../src/protocol/text/utf8.js';
import { Random, randomMarkdown, randomText } from './random.js';

/** True when the string has no lone surrogate (it survives a UTF-8 round trip). */
function wellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

/** Parts appear in order in `content`, separated only by whitespace (the dropped blank lines). */
function expectPreserved(content: string, parts: readonly string[]): void {
  let at = 0;
  let rebuilt = '';
  for (const part of parts) {
    const found = content.indexOf(part, at);
    expect(found).toBeGreaterThanOrEqual(at);
    const gap = content.slice(at, found);
    expect(gap.trim()).toBe('');
    rebuilt += gap + part;
    at = found + part.length;
  }
  expect(content.slice(at).trim()).toBe('');
  expect(rebuilt + content.slice(at)).toBe(content);
}

function fenceBalanced(part: string): boolean {
  let open: string | undefined;
  for (const line of part.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    if (open === undefined) open = m[1];
    else if (line.trim() === open) open = undefined;
  }
  return open === undefined;
}

describe('splitMessage basics', () => {
  it('returns short content unchanged', () => {
    expect(splitMessage('hello\n\n', 2048)).toEqual(['hello\n\n']);
    expect(splitMessage('', 2048)).toEqual(['']);
  });

  it('refuses a limit below 16 bytes or not an integer', () => {
    expect(() => splitMessage('x', 15)).toThrow(/at least 16 bytes/);
    expect(() => splitMessage('x', 100.5)).toThrow();
  });

  it('prefers paragraph boundaries and packs paragraphs greedily', () => {
    const p = (c: string): string => c.repeat(40); // 40 bytes each
    expect(splitMessage(`${p('a')}\n\n${p('b')}\n\n${p('c')}`, 100)).toEqual([`${p('a')}\n\n${p('b')}`, p('c')]);
  });

  it('falls back to line boundaries inside a long paragraph', () => {
    const lines = Array.from({ length: 6 }, (_, i) => `第${i}行${'内容'.repeat(10)}`); // 3+3+... bytes
    const parts = splitMessage(lines.join('\n'), 150);
    expect(parts.every((part) => part.split('\n').every((line) => lines.includes(line)))).toBe(true);
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('cuts a single long Chinese line at the exact byte limit without breaking a character', () => {
    const content = '企业微信'.repeat(1000); // 12000 bytes, no spaces or punctuation
    const parts = splitMessage(content, LIMITS.textContentBytes);
    expect(parts.join('')).toBe(content);
    for (const part of parts.slice(0, -1)) {
      expect(utf8ByteLength(part)).toBeLessThanOrEqual(2048);
      expect(utf8ByteLength(part)).toBeGreaterThan(2048 - 3);
    }
  });

  it('prefers breaking after punctuation or a space inside a long line', () => {
    const sentence = '这是一个句子，包含标点。';
    const parts = splitMessage(sentence.repeat(200), 500);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('。') || part.endsWith('，')).toBe(true);
  });

  it('never splits a surrogate pair or, when avoidable, an emoji cluster', () => {
    const family = '👨‍👩‍👧'; // 18 bytes, one grapheme
    const content = family.repeat(100);
    const parts = splitMessage(content, 64);
    expect(parts.join('')).toBe(content);
    for (const part of parts) {
      expect(wellFormed(part)).toBe(true);
      expect(part.length % family.length).toBe(0);
      expect(utf8ByteLength(part)).toBeLessThanOrEqual(64);
    }
  });
  it('keeps flag pairs and combining accents whole', () => {
    const flags = '🇨🇳🇺🇸🇯🇵'.repeat(60); // each flag: 2 regional indicators, 4 UTF-16 units, 8 bytes
    const flagParts = splitMessage(flags, 30);
    expect(flagParts.join('')).toBe(flags);
    for (const part of flagParts) expect(part.length % 4).toBe(0);
    const accents = 'e\u0301'.repeat(100); // é as e + combining acute, 3 bytes per cluster
    for (const part of splitMessage(accents, 16)) expect(part.startsWith('e')).toBe(true);
  });
});

describe('splitMessage markdown', () => {
  it('keeps a fenced code block whole when it fits in the next part', () => {
    const code = ['```js', 'const a = 1;', 'const b = 2;', '```'].join('\n');
    const content = `${'介绍'.repeat(20)}\n\n${code}\n\n结尾`;
    const parts = splitMessage(content, 130, { kind: 'markdown' });
    expect(parts).toEqual(['介绍'.repeat(20), `${code}\n\n结尾`]);
  });

  it('splits an oversize code block by lines, closing and re-opening the fence', () => {
    const body = Array.from({ length: 200 }, (_, i) => `console.log("第 ${i} 行");`);
    const content = ['前言', '', '```js', ...body, '```', '', '后记'].join('\n');
    const parts = splitMessage(content, 1024, { kind: 'markdown' });
    const codeParts = parts.filter((part) => part.includes('console.log'));
    expect(codeParts.length).toBeGreaterThan(3);
    for (const part of codeParts) {
      expect(part.split('\n').filter((l) => l === '```js')).toHaveLength(1);
      expect(fenceBalanced(part)).toBe(true);
      expect(utf8ByteLength(part)).toBeLessThanOrEqual(1024);
    }
    const seen = codeParts.flatMap((part) => part.split('\n').filter((l) => l.startsWith('console.log')));
    expect(seen).toEqual(body);
  });

  it('splits an oversize table by rows, repeating the header', () => {
    const header = ['| 姓名 | 尺寸 | 地址 |', '| :--- | :---: | ---: |'];
    const rows = Array.from({ length: 150 }, (_, i) => `| 用户${i} | L | 广州市天河区${i}号 |`);
    const parts = splitMessage([...header, ...rows].join('\n'), 800, { kind: 'markdown' });
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      const lines = part.split('\n');
      expect(lines.slice(0, 2)).toEqual(header);
      for (const line of lines.slice(2)) expect(rows).toContain(line);
    }
    expect(parts.flatMap((p) => p.split('\n').slice(2))).toEqual(rows);
  });

  it('treats an unclosed fence as running to the end and still closes every part', () => {
    const content = ['```', ...Array.from({ length: 100 }, (_, i) => `line ${i}`)].join('\n');
    const parts = splitMessage(content, 200, { kind: 'markdown' });
    for (const part of parts) expect(fenceBalanced(part)).toBe(true);
  });

  it('in text mode a fence is just text', () => {
    const content = ['```', ...Array.from({ length: 100 }, (_, i) => `line ${i}`), '```'].join('\n');
    const parts = splitMessage(content, 200);
    expect(parts.join('\n')).toBe(content);
  });
});

describe('splitMessage properties (randomised, seeded)', () => {
  it('text: every part fits, is well formed, and the parts rebuild the content', () => {
    const r = new Random(20240601);
    for (let run = 0; run < 300; run++) {
      const content = randomText(r);
      const max = r.pick([16, 17, 31, 64, 100, 257, 2048]);
      const parts = splitMessage(content, max);
      for (const part of parts) {
        expect(utf8ByteLength(part)).toBeLessThanOrEqual(max);
        expect(wellFormed(part)).toBe(true);
      }
      expectPreserved(content, parts);
    }
  });

  it('markdown: parts fit, fences balance, tables keep whole rows under their header, lines survive in order', () => {
    const r = new Random(7);
    for (let run = 0; run < 200; run++) {
      const max = r.pick([256, 512, 1024, 4096]);
      // keep every line well under the budget so no line needs a hard cut
      const content = randomMarkdown(r, Math.floor(max / 40));
      const parts = splitMessage(content, max, { kind: 'markdown' });
      const originalLines = content.split('\n');
      const synthetic = new Set(['```ts', '```', '| 名称 | 值 |', '| :--- | ---: |']);
      for (const part of parts) {
        expect(utf8ByteLength(part)).toBeLessThanOrEqual(max);
        expect(wellFormed(part)).toBe(true);
        expect(fenceBalanced(part)).toBe(true);
        const lines = part.split('\n');
        lines.forEach((line, i) => {
          expect(originalLines).toContain(line);
          // a table row in a part is always preceded, in that part, by the table header
          if (line.startsWith('| ') && !synthetic.has(line)) expect(lines.slice(0, i)).toContain('| :--- | ---: |');
        });
      }
      const keep = (line: string): boolean => line.trim() !== '' && !synthetic.has(line);
      expect(parts.flatMap((p) => p.split('\n')).filter(keep)).toEqual(originalLines.filter(keep));
    }
  });
});
