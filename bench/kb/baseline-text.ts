import type { Page } from '../../src/search/types.js';

/**
 * What the baseline engines index: one document per section (heading and text), the set-up
 * that reproduces the reference figures of the corpus README; hits map back to pages.
 */
export interface SectionDoc {
  id: number;
  page: number;
  heading: string;
  text: string;
}

export function sectionDocs(pages: readonly Page[]): SectionDoc[] {
  const out: SectionDoc[] = [];
  pages.forEach((p, page) => p.sections.forEach((s) => out.push({ id: out.length, page, heading: s.heading, text: s.text })));
  return out;
}

/** Section ids (best first) to the first `limit` distinct page paths. */
export function toPages(sectionIds: readonly number[], pageOf: readonly number[], paths: readonly string[], limit: number): string[] {
  const seen = new Set<number>();
  const out: string[] = [];
  for (const id of sectionIds) {
    const page = pageOf[id]!;
    if (seen.has(page)) continue;
    seen.add(page);
    out.push(paths[page]!);
    if (out.length === limit) break;
  }
  return out;
}

/** jieba search-mode tokens, lower-cased, without blanks and punctuation-only tokens. */
export function jiebaTokens(cutForSearch: (s: string, hmm: boolean) => string[], text: string): string[] {
  const out: string[] = [];
  for (const t of cutForSearch(text.toLowerCase(), true)) if (/[\p{L}\p{N}]/u.test(t)) out.push(t.trim());
  return out;
}
