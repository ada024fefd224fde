/**
 * The benchmark's Q&A set, built from the shared corpus at run time and never written into
 * the repository: every question heading of the corpus's FAQ pages (常见问题 / FAQ) with its
 * answer, imported by the bot's own Markdown importer, the product (the folder under
 * product/<category>/) as each entry's group.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FaqEntry } from '../../src/bots/faq/entry.js';
import { parseMarkdownQa } from '../../src/bots/faq/source-markdown.js';

export interface CorpusQa {
  entries: FaqEntry[];
  /** Corpus path of each entry's page, by entry id. */
  pageOf: Map<number, string>;
  pages: number;
  /** Question headings left out because nothing stood under them. */
  skipped: number;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (name.endsWith('.md')) out.push(full);
  }
  return out;
}

/** True for an FAQ page: a path with 常见问题 or FAQ in it. */
export function isFaqPage(path: string): boolean {
  return /常见问题|faq/i.test(path);
}

/** The product of a corpus path: `product/计算与网络/NAT网关/…` → `NAT网关`. */
export function productOf(path: string): string {
  return path.split('/')[2] ?? '';
}

export function loadCorpusQa(docs: string): CorpusQa {
  const entries: FaqEntry[] = [];
  const pageOf = new Map<number, string>();
  let pages = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (const file of walk(docs).sort()) {
    const path = relative(docs, file).split('\\').join('/');
    if (!isFaqPage(path)) continue;
    let set;
    try {
      set = parseMarkdownQa(readFileSync(file, 'utf8'), path, { lenient: true, group: productOf(path) });
    } catch {
      continue; // a page without question headings
    }
    pages++;
    skipped += set.skipped;
    for (const e of set.entries) {
      // The same heading on two pages of one product is one question to a customer.
      const key = `${e.group}\n${e.question}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const id = entries.length + 1;
      entries.push({ ...e, id });
      pageOf.set(id, path);
    }
  }
  return { entries, pageOf, pages, skipped };
}
