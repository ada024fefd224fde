import { SearchError } from './errors.js';
import type { SearchHit } from './types.js';

/** One known-answer line: the pages (paths relative to the indexed folder) that answer it, and any fields. */
export interface EvalQuery {
  relevant: string[];
  /** The question, in the usual files; any other string field can be the question (see {@link evaluate}). */
  query?: string;
  [field: string]: unknown;
}

/** Ranking quality over a set of questions. */
export interface EvalScores {
  /** Questions with at least one relevant page. */
  queries: number;
  /** Share of questions with a relevant page first, in the top 3, in the top 5. */
  recallAt1: number;
  recallAt3: number;
  recallAt5: number;
  /** Mean reciprocal rank of the first relevant page within the top 10 (0 beyond). */
  mrrAt10: number;
}

/** Quality and latency of a search source over a query set. */
export interface EvalResult extends EvalScores {
  /** The field the questions were read from. */
  field: string;
  /** Lines without relevant pages (out-of-scope questions): not scored. */
  outOfScope: number;
  latencyMs: { p50: number; p95: number; mean: number };
  /** The same scores per value of the grouping field (`product` by default), when lines have it. */
  byGroup?: Record<string, EvalScores>;
}

/** What {@link evaluate} reads from each line. */
export interface EvalOptions {
  /** The field holding the question (default `query`). */
  field?: string;
  /** The field to break the scores down by (default `product`; lines without it are not grouped). */
  groupBy?: string;
}

type Search = (query: string, limit: number) => Promise<readonly Pick<SearchHit, 'path'>[]> | readonly Pick<SearchHit, 'path'>[];

// Line numbers of parsed queries, for messages about a line (kept off the objects: a line may
// have a `line` field of its own).
const lineOf = new WeakMap<EvalQuery, number>();

/** Parses JSON lines of `{relevant: [paths], …}` (a question field of any name). */
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
    if (!q || typeof q !== 'object' || !Array.isArray(q.relevant) || !q.relevant.every((p) => typeof p === 'string')) {
      throw new SearchError('kb_queries', `queries line ${i + 1} lacks "relevant"`, {
        hint: 'each line needs {"query": "...", "relevant": ["path/relative/to/indexed/dir.md"]} (the question field can have another name: --field)',
      });
    }
    lineOf.set(q as EvalQuery, i + 1);
    out.push(q as EvalQuery);
  });
  return out;
}

/** The value of the chosen field (`query` by default), falling back to `query`. */
export function queryText(q: EvalQuery, field = 'query'): string {
  const v = q[field];
  return typeof v === 'string' && v.trim() ? v : (q.query ?? '');
}

/** The question of a scored line: the field's string, else `query`'s, else an error naming the line. */
function questionOf(q: EvalQuery, field: string): string {
  const v = queryText(q, field);
  if (v.trim()) return v;
  const line = lineOf.get(q);
  throw new SearchError('kb_queries', `queries line ${line ?? '?'} has no "${field}" text`, {
    hint: `pick the question field with --field (a string on every line with relevant pages)`,
  });
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

/** Scores of a list of first-relevant ranks (0 = not in the top 10). */
export function scoreRanks(ranks: readonly number[]): EvalScores {
  const n = Math.max(ranks.length, 1);
  const within = (k: number) => ranks.filter((r) => r >= 1 && r <= k).length / n;
  return {
    queries: ranks.length,
    recallAt1: within(1),
    recallAt3: within(3),
    recallAt5: within(5),
    mrrAt10: ranks.reduce((a, r) => a + (r >= 1 ? 1 / r : 0), 0) / n,
  };
}

function resultOf(ranks: number[], times: number[], groups: Array<string | undefined>, field: string, outOfScope: number): EvalResult {
  const sorted = [...times].sort((a, b) => a - b);
  const result: EvalResult = {
    field,
    ...scoreRanks(ranks),
    outOfScope,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      mean: times.reduce((a, b) => a + b, 0) / Math.max(times.length, 1),
    },
  };
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g === undefined) return;
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(ranks[i]!);
  });
  if (byGroup.size > 0) {
    result.byGroup = Object.fromEntries(
      [...byGroup].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).map(([g, r]) => [g, scoreRanks(r)]),
    );
  }
  return result;
}

/**
 * Runs every question (top 10) against each search source and scores them: recall@1/3/5,
 * MRR@10, latency, and per group. With several sources, each question goes to all of them in
 * turn, so their latencies are measured in the same conditions. Questions run one at a time.
 */
export async function evaluateAll(
  sources: readonly Search[],
  queries: readonly EvalQuery[],
  options: EvalOptions = {},
): Promise<EvalResult[]> {
  const field = options.field ?? 'query';
  const groupBy = options.groupBy ?? 'product';
  const scored = queries.filter((q) => q.relevant.length > 0);
  const ranks = sources.map(() => [] as number[]);
  const times = sources.map(() => [] as number[]);
  const groups = scored.map((q) => (typeof q[groupBy] === 'string' && q[groupBy] ? (q[groupBy] as string) : undefined));
  for (const q of scored) {
    const text = questionOf(q, field);
    for (const [s, search] of sources.entries()) {
      const t0 = performance.now();
      const hits = await search(text, 10);
      times[s]!.push(performance.now() - t0);
      ranks[s]!.push(firstRelevantRank(hits, q.relevant));
    }
  }
  return sources.map((_, s) => resultOf(ranks[s]!, times[s]!, groups, field, queries.length - scored.length));
}

/**
 * {@link evaluateAll} with one source.
 *
 * @example await evaluate((q, n) => kb.search(q, { limit: n }), parseQueries(text), { field: 'keywords' })
 */
export async function evaluate(search: Search, queries: readonly EvalQuery[], options: EvalOptions | string = {}): Promise<EvalResult> {
  const [result] = await evaluateAll([search], queries, typeof options === 'string' ? { field: options } : options);
  return result!;
}
