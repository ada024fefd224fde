import { SearchError } from './errors.js';
import type { SearchHit } from './types.js';

/** One known-answer query: the pages (paths relative to the indexed folder) that answer it. */
export interface EvalQuery {
  query: string;
  relevant: string[];
  [field: string]: unknown;
}

/** Quality and latency of a search source over a query set. */
export interface EvalResult {
  queries: number;
  /** Share of queries with a relevant page in the top 5. */
  recallAt5: number;
  /** Mean reciprocal rank of the first relevant page within the top 10 (0 beyond). */
  mrrAt10: number;
  latencyMs: { p50: number; p95: number; mean: number };
}

/** Parses JSON lines of `{query, relevant: [paths], …}`. */
export function parseQueries(jsonl: string): EvalQuery[] {
  const out: EvalQuery[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      throw new SearchError('kb_queries', `queries line ${i + 1} is not JSON`, { hint: 'one JSON object a line', cause });
    }
    const q = value as Partial<EvalQuery> | null;
    if (!q || typeof q.query !== 'string' || !Array.isArray(q.relevant)) {
      throw new SearchError('kb_queries', `queries line ${i + 1} lacks "query" or "relevant"`, {
        hint: 'each line needs {"query": "...", "relevant": ["path/relative/to/indexed/dir.md"]}',
      });
    }
    out.push(q as EvalQuery);
  });
  return out;
}

/** The value of the chosen field (`query` by default), falling back to `query`. */
export function queryText(q: EvalQuery, field = 'query'): string {
  const v = q[field];
  return typeof v === 'string' && v.trim() ? v : q.query;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Rank (1-based) of the first hit whose path is relevant, or 0. */
export function firstRelevantRank(hits: readonly Pick<SearchHit, 'path'>[], relevant: readonly string[]): number {
  const set = new Set(relevant);
  const i = hits.findIndex((h) => set.has(h.path));
  return i + 1;
}

/**
 * Runs every query (top 10) and measures recall@5, MRR@10 and latency. Queries run one at a
 * time, so latency is a single query's.
 */
export async function evaluate(
  search: (query: string, limit: number) => Promise<readonly Pick<SearchHit, 'path'>[]> | readonly Pick<SearchHit, 'path'>[],
  queries: readonly EvalQuery[],
  field = 'query',
): Promise<EvalResult> {
  let found = 0;
  let rr = 0;
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const hits = await search(queryText(q, field), 10);
    times.push(performance.now() - t0);
    const rank = firstRelevantRank(hits, q.relevant);
    if (rank >= 1 && rank <= 5) found++;
    if (rank >= 1) rr += 1 / rank;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const n = Math.max(queries.length, 1);
  return {
    queries: queries.length,
    recallAt5: found / n,
    mrrAt10: rr / n,
    latencyMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: times.reduce((a, b) => a + b, 0) / n },
  };
}
