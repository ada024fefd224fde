import { describe, expect, it } from 'vitest';
import { packagedDocsDir } from '../../src/cli/dev/demo-kb.js';
import { parseDocument } from '../../src/search/ingest/document.js';
import { listDocuments, readDocument } from '../../src/search/ingest/walk.js';
import { escapeMarkdownText, renderHitsMarkdown } from '../../src/search/render-markdown.js';
import type { Page } from '../../src/search/types.js';

/**
 * What a WeCom client shows for markdown: code spans literally, bold, font colours and links by
 * their text, mentions as @id, other tags dropped. A stray `*`, `<tag>` or `[t](u)` in running
 * text would be eaten here as it is there, so a round trip through it proves nothing was.
 */
function shown(markdown: string): string {
  return markdown.replace(
    /`([^`\n]+)`|\*\*|<font color="\w+">|<\/font>|\[([^\]\n]*)\]\([^)\n]*\)|<@([^>\n]+)>|<[A-Za-z/!][^<>\n]*>/g,
    (_m, code?: string, label?: string, user?: string) => code ?? (label !== undefined ? shown(label) : user ? `@${user}` : ''),
  );
}

/** The text a user would copy from the answer: what the page said, newlines as spaces. */
const copied = (text: string) => text.replace(/[\r\n]/g, ' ');

let pages: Page[] | undefined;
async function demoPages(): Promise<Page[]> {
  const dir = packagedDocsDir();
  pages ??= await Promise.all((await listDocuments(dir)).map(async (p) => parseDocument(await readDocument(dir, p))));
  return pages;
}

describe('knowledge-base rendering round trip over every page of the demo KB (docs/)', () => {
  it('every section text, heading and title shows exactly as the page wrote it', async () => {
    const all = await demoPages();
    expect(all.length).toBeGreaterThan(10);
    let checked = 0;
    for (const page of all) {
      for (const text of [page.title, ...page.sections.flatMap((s) => [s.heading, s.text])]) {
        if (!text) continue;
        // A literal backtick (code blocks) is the one substitution (ˋ): WeCom markdown cannot escape it.
        expect(shown(escapeMarkdownText(text)).replace(/ˋ/g, '`'), `${page.path}`).toBe(copied(text));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the answer message shows each snippet as the page wrote it, highlights included', async () => {
    for (const page of await demoPages()) {
      for (const section of page.sections) {
        const snippet = Array.from(section.text).slice(0, 160).join('');
        if (!snippet.trim()) continue;
        const word = /[A-Za-z]{4,}|[\u4e00-\u9fff]{2}/.exec(snippet);
        const highlights: [number, number][] = word ? [[word.index, word.index + word[0].length]] : [];
        const md = renderHitsMarkdown(
          'q',
          [{ title: page.title, url: `https://docs.test/${page.path}`, path: page.path, section: '', score: 1, snippet, highlights }],
          { header: '' },
        );
        const quote = md.split('\n').find((l) => l.startsWith('> '));
        expect(quote, page.path).toBeDefined();
        expect(shown(quote!.slice(2)).replace(/ˋ/g, '`'), `${page.path} § ${section.heading}`).toBe(copied(snippet));
      }
    }
  });

  it('the cases of the issue come out as the page wrote them', () => {
    // As the indexer hands them over: the page's inline code without its backticks.
    for (const text of ['0 0 8 * * *', '运行 wecombot send 发送', '错误码 [45009]', '(a) => a', 'a **b** <@c>']) {
      const md = escapeMarkdownText(text);
      expect(md).not.toMatch(/[＊ˋ［］＞＜]/);
      expect(shown(md)).toBe(text);
    }
  });
});
