import type { RankedPage } from '../core/scorer.js';

/**
 * Reciprocal-rank fusion of the lexical and the vector ranking of pages:
 *
 *   score(page) = 1 / (k + rank_lexical) + vectorWeight / (k + rank_vector)
 *
 * with ranks from 1, and a page missing from a list contributing nothing from it. Ranks, not
 * scores, are fused because BM25F scores and cosine similarities are on unrelated scales that
 * change with every query; k = 60 (the usual choice) keeps one list's top page from
 * outweighing agreement between both. A tie keeps the lexical order, then the vector order.
 * The section shown for a page is the lexical one when it has one (its snippet has the
 * query's words), else the nearest section.
 */
export interface FusionOptions {
  k?: number;
  vectorWeight?: number;
  /**
   * Sections whose cosine similarity to the query is at or below this take no part (default 0).
   * Raise it (0.3–0.5 for most models) so that a query about nothing in the knowledge base
   * gets no vector-only hits.
   */
  minSimilarity?: number;
}

export function fuseRankings(
  lexical: readonly RankedPage[],
  vector: readonly RankedPage[],
  limit: number,
  options: FusionOptions = {},
): RankedPage[] {
  const k = options.k ?? 60;
  const vectorWeight = options.vectorWeight ?? 1;
  const fused = new Map<number, { page: number; section: number; score: number; order: number }>();
  lexical.forEach((r, i) => fused.set(r.page, { page: r.page, section: r.section, score: 1 / (k + i + 1), order: i }));
  vector.forEach((r, i) => {
    const add = vectorWeight / (k + i + 1);
    const seen = fused.get(r.page);
    if (seen) seen.score += add;
    else fused.set(r.page, { page: r.page, section: r.section, score: add, order: lexical.length + i });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map(({ page, section, score }) => ({ page, section, score }));
}

/** Pages in the order of their nearest sections: each page once, with its best section. */
export function pagesOfSections(sections: ReadonlyArray<[section: number, similarity: number]>, pageOf: ArrayLike<number>): RankedPage[] {
  const seen = new Set<number>();
  const out: RankedPage[] = [];
  for (const [section, similarity] of sections) {
    const page = pageOf[section]!;
    if (seen.has(page)) continue;
    seen.add(page);
    out.push({ page, section, score: similarity });
  }
  return out;
}
