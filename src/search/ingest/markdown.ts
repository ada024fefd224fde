import type { Section } from '../types.js';
import { continuesCjk } from './cjk-lines.js';
import { explicitAnchor, stripInline } from './inline.js';
import { createSlugger } from './slug.js';

/** Result of parsing a Markdown body (front matter already removed). */
export interface ParsedMarkdown {
  /** The first `#` heading, if any. */
  h1: string | undefined;
  sections: Section[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// ATX headings. Chinese documentation often omits the space after the hashes (`###如何…`),
// so a heading also starts when the next character is not a space, `#` or `!` (shebangs).
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+|(?=[^\s#!]))(.*?)(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const ANCHOR_ONLY = /^\s*<(?:a|span)\s[^>]*\b(?:id|name)\s*=\s*["'][^"']+["'][^>]*>\s*(?:<\/(?:a|span)>)?\s*$/i;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
const LIST_OR_QUOTE = /^\s*(?:>\s?)*(?:[-*+]\s+|\d{1,3}[.)]\s+)?/;
/** A line that starts a list item or a quote rather than continuing the text above. */
const BLOCK_START = /^\s*(?:>|[-*+]\s|\d{1,3}[.)]\s)/;

interface Builder {
  heading: string;
  level: number;
  path: string[];
  anchor: string;
  lines: string[];
}

/**
 * Splits Markdown into sections at ATX and setext headings. Code blocks stay in the text (so
 * identifiers are searchable) but never start a heading; inline markup and HTML tags go.
 */
export function parseMarkdown(body: string): ParsedMarkdown {
  const sections: Section[] = [];
  const nextSlug = createSlugger();
  const stack: Array<{ level: number; text: string }> = [];
  let h1: string | undefined;
  let current: Builder = { heading: '', level: 0, path: [], anchor: '', lines: [] };
  let fence: string | undefined;
  // The last stored line is paragraph text a next line may continue (not a table row or blank).
  let joinable = false;
  let pendingAnchor: string | undefined;

  const flush = () => {
    const text = current.lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (current.level > 0 || text.length > 0) {
      sections.push({ heading: current.heading, path: current.path, anchor: current.anchor, text });
    }
  };
  const open = (level: number, raw: string) => {
    const heading = stripInline(raw.replace(/\{#[^}\s]+\}\s*$/, ''))
      .replace(/\s+/g, ' ')
      .trim();
    const anchor = explicitAnchor(raw) ?? pendingAnchor ?? nextSlug(heading);
    pendingAnchor = undefined;
    if (level === 1 && h1 === undefined && heading) h1 = heading;
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, text: heading });
    flush();
    current = { heading, level, path: stack.map((s) => s.text).filter(Boolean), anchor, lines: [] };
  };

  const lines = body.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/);
  for (const line of lines) {
    // Only a text line right after another may continue it: fences, headings and anchors break.
    const canJoin = joinable;
    joinable = false;
    if (fence !== undefined) {
      if (line.trimStart().startsWith(fence)) fence = undefined;
      else current.lines.push(line);
      continue;
    }
    const f = FENCE.exec(line);
    if (f) {
      fence = f[1]!.slice(0, 3);
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      open(atx[1]!.length, atx[2] ?? '');
      continue;
    }
    const setext = SETEXT.exec(line);
    const previous = current.lines[current.lines.length - 1];
    if (setext && previous !== undefined && previous.trim() !== '' && !previous.includes('|')) {
      current.lines.pop();
      open(setext[1]![0] === '=' ? 1 : 2, previous);
      continue;
    }
    if (ANCHOR_ONLY.test(line)) {
      pendingAnchor = explicitAnchor(line);
      continue;
    }
    if (TABLE_RULE.test(line) && line.includes('-')) continue;
    if (line.trim() !== '') pendingAnchor = undefined;
    let text = line.replace(LIST_OR_QUOTE, '');
    const row = text.includes('|');
    if (row) text = text.replace(/\s*\|\s*/g, ' ').trim();
    // A raw setext candidate needs its original form; everything else is stored plain.
    const plain = SETEXT.test(text) ? '' : stripInline(text).trimEnd();
    // A paragraph or list item wrapped inside CJK text goes on as one line (see cjk-lines.ts).
    const last = current.lines.length - 1;
    const start = plain.trimStart();
    if (canJoin && !row && !BLOCK_START.test(line) && continuesCjk(current.lines[last]!, start)) current.lines[last] += start;
    else current.lines.push(plain);
    joinable = plain !== '' && !row;
  }
  flush();
  return { h1, sections };
}
