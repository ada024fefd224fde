import { makeSnippet } from '../snippet.js';
import type { ParsedQuery } from '../text/query.js';
import type { SearchHit } from '../types.js';
import type { RankedPage } from './scorer.js';

/** What a hit needs to know about a ranked page and its best section. */
export interface HitSource {
  page(index: number): { path: string; title: string; url: string };
  section(id: number): { heading: string; anchor: string; text: string };
}

/** A page URL with a section anchor (percent-encoded, safe inside Markdown links). */
export function withAnchor(url: string, anchor: string): string {
  if (!url || !anchor) return url;
  return `${url.replace(/#.*$/, '')}#${encodeURIComponent(anchor)}`;
}

/** Turns ranked pages into hits with snippets around the query keywords. */
export function toHits(ranked: RankedPage[], query: ParsedQuery, source: HitSource, snippetChars: number): SearchHit[] {
  const surfaces = query.clauses.map((c) => c.surface);
  return ranked.map((r) => {
    const page = source.page(r.page);
    const section = source.section(r.section);
    const snippet = makeSnippet(section.text || section.heading, surfaces, snippetChars);
    return {
      title: page.title,
      url: withAnchor(page.url, section.anchor),
      path: page.path,
      section: section.heading,
      score: Math.round(r.score * 1000) / 1000,
      snippet: snippet.text,
      highlights: snippet.highlights,
    };
  });
}
