import type { Section } from '../types.js';
import { decodeEntities } from './entities.js';
import { createSlugger } from './slug.js';

/** Result of parsing an HTML page. */
export interface ParsedHtml {
  /** `<title>`, else the first `<h1>`. */
  title: string | undefined;
  sections: Section[];
}

const DROP = /<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const HEADING = /<h([1-6])\b([^>]*)>([\s\S]*?)<\/h\1\s*>/gi;
const BLOCK = /<\/?(?:p|div|br|li|ul|ol|tr|table|section|article|pre|blockquote|dd|dt|hr|header|footer|main|nav)\b[^>]*>/gi;

function plain(html: string): string {
  return decodeEntities(html.replace(BLOCK, '\n').replace(/<[^>]*>/g, ' '))
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/**
 * Splits an HTML page at `<h1>`–`<h6>`, dropping scripts, styles and tags. A heading's `id`
 * attribute is its anchor; otherwise a GitHub-style slug of its text.
 */
export function parseHtml(html: string): ParsedHtml {
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const bodyMatch = /<body\b[^>]*>([\s\S]*)<\/body\s*>/i.exec(html);
  const body = (bodyMatch ? bodyMatch[1]! : html).replace(DROP, ' ');
  const nextSlug = createSlugger();
  const sections: Section[] = [];
  const stack: Array<{ level: number; text: string }> = [];
  let h1: string | undefined;
  let heading = '';
  let anchor = '';
  let path: string[] = [];
  let last = 0;
  const push = (end: number, isHeadingSection: boolean) => {
    const text = plain(body.slice(last, end));
    if (isHeadingSection || text) sections.push({ heading, path, anchor, text });
  };
  for (const m of body.matchAll(HEADING)) {
    push(m.index, heading !== '' || anchor !== '');
    const level = Number(m[1]);
    heading = plain(m[3] ?? '').replace(/\s+/g, ' ');
    const id = /\bid\s*=\s*["']([^"']+)["']/i.exec(m[2] ?? '')?.[1];
    anchor = id ?? nextSlug(heading);
    if (level === 1 && h1 === undefined && heading) h1 = heading;
    while (stack.length > 0 && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, text: heading });
    path = stack.map((s) => s.text).filter(Boolean);
    last = m.index + m[0].length;
  }
  push(body.length, heading !== '' || anchor !== '');
  const title = titleTag ? plain(titleTag[1] ?? '').replace(/\s+/g, ' ') : undefined;
  return { title: title || h1, sections };
}
