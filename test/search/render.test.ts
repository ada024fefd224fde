import { describe, expect, it } from 'vitest';
import { escapeMarkdownText, renderHitsMarkdown } from '../../src/search/render-markdown.js';
import { makeSnippet } from '../../src/search/snippet.js';
import type { SearchHit } from '../../src/search/types.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function hit(i: number, snippet: string, highlights: Array<[number, number]>, extra: Partial<SearchHit> = {}): SearchHit {
  return {
    title: `第 ${i} 篇：函数计费说明`,
    url: `https://docs.example.com/kb/${encodeURIComponent('函数计费')}/${i}.html#${encodeURIComponent('计费方式')}`,
    path: `kb/${i}.md`,
    section: '计费方式',
    score: 10 - i,
    snippet,
    highlights,
    ...extra,
  };
}

describe('snippets', () => {
  it('cuts a window around the keywords and marks them', () => {
    const text = `${'无关的介绍文字。'.repeat(40)}函数计费包含调用次数费用和资源使用量费用。${'其他说明。'.repeat(40)}`;
    const s = makeSnippet(text, [['函数'], ['计费']], 40);
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text).toContain('函数计费包含');
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['函数计费']);
  });

  it('matches case- and width-insensitively but shows the original text', () => {
    const s = makeSnippet('调用 ＣＯＳ.putObject 上传，cosfs 不算', [['cos.putobject', 'cos', 'putobject']], 100);
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['ＣＯＳ.putObject']);
  });

  it('matches Latin words whole and falls back to later surface forms', () => {
    const s = makeSnippet('cosfs 挂载时，cos 桶需要授权', [['cos'], ['大文件', '文件']], 100);
    expect(s.highlights.map(([a, b]) => s.text.slice(a, b))).toEqual(['cos']);
    const t = makeSnippet('上传大量的文件', [['大量文件', '大量', '文件']], 100);
    expect(t.highlights.map(([a, b]) => t.text.slice(a, b))).toEqual(['大量']);
  });

  it('collapses whitespace and keeps the start when nothing matches', () => {
    const s = makeSnippet('第一行\n\n  第二行\t第三行', [['不存在']], 100);
    expect(s).toEqual({ text: '第一行 第二行 第三行', highlights: [] });
  });
});

describe('renderHitsMarkdown', () => {
  const snippet = '函数计费包含调用次数费用、资源使用量费用和公网出流量费用。';
  const hl: Array<[number, number]> = [
    [0, 2],
    [2, 4],
  ];

  it('renders linked titles, sections and bold keywords', () => {
    const md = renderHitsMarkdown('函数计费', [hit(1, snippet, hl)]);
    expect(md).toBe(
      [
        '🔍 函数计费',
        '',
        `1. [第 1 篇：函数计费说明](${hit(1, '', []).url}) · 计费方式`,
        '> **函数计费**包含调用次数费用、资源使用量费用和公网出流量费用。',
      ].join('\n'),
    );
  });

  it('highlights with the warning colour', () => {
    const md = renderHitsMarkdown('函数', [hit(1, snippet, [[0, 2]])], { highlight: 'warning', header: '' });
    expect(md).toContain('> <font color="warning">函数</font>计费包含');
    expect(md.startsWith('1. [')).toBe(true);
  });

  it('neutralizes markup in titles and snippets', () => {
    // Markup-like spans become code spans, keeping the page's characters; the rest is left alone.
    expect(escapeMarkdownText('a*b [c](d) <font> `x`\nnext')).toBe('`a*b` `[c](d)` `<font>` ˋxˋ next');
    expect(escapeMarkdownText('错误码 [45009] 表示 a => b, 3 > 2, #1')).toBe('错误码 [45009] 表示 a => b, 3 > 2, #1');
    expect(escapeMarkdownText('每天 8 点：0 0 8 * * * 运行')).toBe('每天 8 点：`0 0 8 * * *` 运行');
    expect(escapeMarkdownText('a lone ` backtick')).toBe('a lone ˋ backtick');
    const md = renderHitsMarkdown('q', [hit(1, '**not bold** <b>', [], { title: '[x](y)' })], { header: '' });
    expect(md).toContain('[`［x］(y)`](');
    expect(md).toContain('> `**not` `bold**` `<b>`');
  });

  it('a highlight touching a code span covers the whole span, never splitting it', () => {
    const text = '每天 0 0 8 * * * 运行';
    const start = text.indexOf('8');
    const md = renderHitsMarkdown('8', [hit(1, text, [[start, start + 1]])], { header: '' });
    expect(md).toContain('> 每天 **`0 0 8 * * *`** 运行');
  });

  it('stays within 4096 bytes, shortening snippets before dropping hits', () => {
    const long = '函数计费'.repeat(300);
    const hits = Array.from({ length: 10 }, (_, i) =>
      hit(i + 1, long, [
        [0, 2],
        [4, 6],
        [1196, 1200],
      ]),
    );
    for (const highlight of ['bold', 'warning'] as const) {
      const md = renderHitsMarkdown('函数计费', hits, { highlight });
      expect(bytes(md)).toBeLessThanOrEqual(4096);
      expect(md).toContain('1. [');
      expect(md).not.toContain('\uFFFD');
      // Tags and bold markers come in pairs: nothing was cut in half.
      expect(md.split('<font color="warning">').length).toBe(md.split('</font>').length);
      for (const line of md.split('\n')) expect((line.match(/\*\*/g) ?? []).length % 2).toBe(0);
    }
  });

  it('fits any small budget on character and tag boundaries', () => {
    const hits = [hit(1, snippet, hl), hit(2, snippet, hl)];
    for (let max = 20; max <= 700; max += 7) {
      const md = renderHitsMarkdown('函数计费', hits, { maxBytes: max, highlight: 'warning' });
      expect(bytes(md), `max ${max}`).toBeLessThanOrEqual(max);
      expect(md).not.toContain('\uFFFD');
      expect(md.split('<font').length).toBe(md.split('</font>').length);
    }
  });

  it('says so when nothing was found', () => {
    expect(renderHitsMarkdown('量子计算', [])).toBe('没有找到与「量子计算」相关的内容。');
    expect(renderHitsMarkdown('x', [], { emptyText: 'No results for {query}.' })).toBe('No results for x.');
  });
});
