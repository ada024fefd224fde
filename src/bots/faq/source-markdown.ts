/**
 * Markdown Q&A files and FAQ pages: every heading that ends in `？` or `?` is a question, and
 * what follows it, up to the next heading of its level or above (or the next question), is its
 * answer, kept as markdown. Other headings (`# 账单`, `## 计费类`) name the group of the
 * questions under them. A line `也问：a | b` (or `Also: …`) right under a question gives
 * alternate phrasings. An existing FAQ page imports as it is.
 */
import type { FaqEntry, QaSet } from './entry.js';
import { splitPhrasings } from './source-fields.js';
import { FaqSourceError } from './source-error.js';

/** The alternate-phrasings line under a question heading. */
export const PHRASINGS_LINE = /^\s*(?:也问|相似问法|其他问法|also)\s*[:：]\s*(.*)$/i;

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

export interface MarkdownQaOptions {
  /** Group of every entry (default: the page's non-question headings above it). */
  group?: string;
  /**
   * Leave out question headings without an answer instead of refusing the file (an imported
   * FAQ page may have a few); they are counted in `skipped`.
   */
  lenient?: boolean;
}

interface Heading {
  line: number;
  level: number;
  text: string;
  question: boolean;
}

/** Plain heading text: inline code, emphasis and links reduced to their words. */
function headingText(raw: string): string {
  return raw
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function scanHeadings(lines: readonly string[]): Heading[] {
  const out: Heading[] = [];
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const f = FENCE.exec(line)?.[1];
    if (f) {
      if (fence === undefined) fence = f;
      else if (f === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const m = HEADING.exec(line);
    if (!m) return;
    const text = headingText(m[2]!);
    if (text) out.push({ line: i + 1, level: m[1]!.length, text, question: /[?？]$/.test(text) });
  });
  return out;
}

/** Parses a Markdown Q&A file or FAQ page; `skipped` counts questions left out as empty (lenient only). */
export function parseMarkdownQa(text: string, file: string, options: MarkdownQaOptions = {}): QaSet & { skipped: number } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const headings = scanHeadings(lines);
  const entries: FaqEntry[] = [];
  const groupStack: Heading[] = [];
  let skipped = 0;
  headings.forEach((h, k) => {
    if (!h.question) {
      while (groupStack.length > 0 && groupStack[groupStack.length - 1]!.level >= h.level) groupStack.pop();
      groupStack.push(h);
      return;
    }
    while (groupStack.length > 0 && groupStack[groupStack.length - 1]!.level >= h.level) groupStack.pop();
    let end = lines.length;
    for (const next of headings.slice(k + 1)) {
      if (next.level <= h.level || next.question) {
        end = next.line - 1;
        break;
      }
    }
    const body = lines.slice(h.line, end);
    const firstText = body.findIndex((l) => l.trim() !== '');
    let phrasings: string[] = [];
    const also = firstText >= 0 ? PHRASINGS_LINE.exec(body[firstText]!) : null;
    if (also) {
      phrasings = splitPhrasings(also[1]!);
      body.splice(firstText, 1);
    }
    const answer = body.join('\n').trim();
    if (!answer) {
      if (options.lenient) {
        skipped++;
        return;
      }
      throw new FaqSourceError(file, h.line, `the question "${h.text}" has no answer under it`);
    }
    entries.push({
      id: entries.length + skipped + 1,
      question: h.text,
      phrasings: phrasings.filter((p) => p !== h.text),
      answer,
      group: options.group ?? groupStack.map((g) => g.text).join(' '),
      line: h.line,
    });
  });
  if (entries.length === 0) throw new FaqSourceError(file, 1, 'has no question headings (a heading ending in ？ or ? starts an entry)');
  return { file, format: 'markdown', entries, synonyms: [], skipped };
}
