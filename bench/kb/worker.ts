// One engine, one fresh process: build the index from the corpus, write it to disk, reopen it
// as a server would, then run the dev queries (`keywords` and `short` of queries-dev.jsonl,
// `colloquial` and `terse` of faq-paraphrase-dev.jsonl) and the demo queries. Prints one JSON line.
// Usage: node --expose-gc --import tsx bench/kb/worker.ts <engine> <corpus> <workdir> [pg-url]
import { writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { firstRelevantRank, percentile, queryText, type EvalQuery } from '../../src/search/eval.js';
import { parseDocument } from '../../src/search/ingest/document.js';
import type { Page } from '../../src/search/types.js';
import { DEMO_QUERIES, findCorpus, readCorpus, readParaphrases, readQueries } from './corpus.js';

export interface FieldScore {
  recallAt5: number;
  mrrAt10: number;
}

export interface WorkerResult {
  engine: string;
  pages: number;
  indexMs: number;
  sizeBytes: number;
  heapBytes: number;
  /** Over the keywords and short queries, as before the paraphrase sets. */
  latencyMs: { p50: number; p95: number };
  /** Over the paraphrases. */
  paraphraseLatencyMs: { p50: number; p95: number };
  keywords: FieldScore;
  short: FieldScore;
  colloquial: FieldScore;
  terse: FieldScore;
  /** Top page of each demo query. */
  demo: Record<string, string | null>;
  /** wecombot only: the same sets with questionPrior 0 (the ranking without the FAQ prior). */
  withoutPrior?: Record<'keywords' | 'short' | 'colloquial' | 'terse', FieldScore>;
}

type Search = (query: string) => Promise<string[]> | string[];

interface Built {
  sizeBytes: number;
  /** Reopens the written index as a fresh server would and returns a search function. */
  open(): Promise<Search>;
  /** The written index reopened with other ranking parameters (wecombot only). */
  openWith?(params: object): Promise<Search>;
}

const [engine, corpusDir, work, pgUrl] = process.argv.slice(2) as [string, string, string, string | undefined];

async function buildWecombot(pages: Page[]): Promise<Built> {
  const { EmbeddedEngine } = await import('../../src/search/backends/embedded.js');
  const { createIndexAnalyzer } = await import('../../src/search/text/analyzer.js');
  const file = path.join(work, 'wecombot.idx');
  let built: InstanceType<typeof EmbeddedEngine> | undefined = new EmbeddedEngine();
  built.indexWith(pages, await createIndexAnalyzer());
  const sizeBytes = await built.save(file);
  built = undefined;
  return {
    sizeBytes,
    async open() {
      const e = EmbeddedEngine.load(file);
      return (q) => e.searchSync(q, { limit: 10 }).map((h) => h.path);
    },
    async openWith(params) {
      const e = EmbeddedEngine.load(file, { params });
      return (q) => e.searchSync(q, { limit: 10 }).map((h) => h.path);
    },
  };
}

async function buildPostgres(pages: Page[]): Promise<Built> {
  const { PostgresEngine } = await import('../../src/search/backends/postgres.js');
  const { parsePostgresSpec } = await import('../../src/search/open.js');
  const spec = parsePostgresSpec(pgUrl!);
  const e = new PostgresEngine(spec);
  await e.drop();
  await e.index(pages);
  const t = e.tables;
  const pool = new (await import('pg')).default.Pool({ connectionString: spec.connectionString, max: 1 });
  const [row] = (
    await pool.query<{ size: string }>(
      `SELECT (${[t.pages, t.sections, t.postings, t.terms, t.meta].map((x) => `pg_total_relation_size('${x.replace(/'/g, "''")}')`).join(' + ')})::text AS size`,
    )
  ).rows;
  await pool.end();
  await e.close();
  return {
    sizeBytes: Number(row!.size),
    async open() {
      const fresh = new PostgresEngine(spec);
      return async (q) => (await fresh.search(q, { limit: 10 })).map((h) => h.path);
    },
  };
}

async function buildFlexsearch(pages: Page[]): Promise<Built> {
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = await import('@node-rs/jieba/dict.js');
  const { default: FlexSearch } = await import('flexsearch');
  const { jiebaTokens, sectionDocs, toPages } = await import('./baseline-text.js');
  const jieba = Jieba.withDict(dict);
  const encode = (s: string) => jiebaTokens((t, h) => jieba.cutForSearch(t, h), s);
  const index = new FlexSearch.Index({ tokenize: 'strict', encode });
  const sections = sectionDocs(pages);
  for (const s of sections) index.add(s.id, `${s.heading}\n${s.text}`);
  const parts: Record<string, string> = {};
  index.export((key: string | number, data: string) => {
    parts[String(key)] = data;
  });
  const file = path.join(work, 'flexsearch.json');
  const saved = { paths: pages.map((p) => p.path), pageOf: sections.map((s) => s.page), parts };
  writeFileSync(file, JSON.stringify(saved));
  return {
    sizeBytes: (await stat(file)).size,
    async open() {
      const { readFileSync } = await import('node:fs');
      const data = JSON.parse(readFileSync(file, 'utf8')) as typeof saved;
      const loaded = new FlexSearch.Index({ tokenize: 'strict', encode });
      for (const [key, value] of Object.entries(data.parts)) loaded.import(key, value);
      return (q) => toPages(loaded.search(q, { limit: 50, suggest: true }) as number[], data.pageOf, data.paths, 10);
    },
  };
}

async function buildMinisearch(pages: Page[]): Promise<Built> {
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = await import('@node-rs/jieba/dict.js');
  const { default: MiniSearch } = await import('minisearch');
  const { sectionDocs, toPages } = await import('./baseline-text.js');
  const { miniSearchOptions } = await import('./minisearch-options.js');
  const jieba = Jieba.withDict(dict);
  const options = miniSearchOptions((t, h) => jieba.cutForSearch(t, h));
  const ms = new MiniSearch(options);
  const sections = sectionDocs(pages);
  ms.addAll(sections);
  const file = path.join(work, 'minisearch.json');
  const meta = path.join(work, 'minisearch-pages.json');
  writeFileSync(file, JSON.stringify(ms));
  writeFileSync(meta, JSON.stringify({ paths: pages.map((p) => p.path), pageOf: sections.map((s) => s.page) }));
  return {
    sizeBytes: (await stat(file)).size + (await stat(meta)).size,
    async open() {
      const { readFileSync } = await import('node:fs');
      const loaded = MiniSearch.loadJSON(readFileSync(file, 'utf8'), options);
      const m = JSON.parse(readFileSync(meta, 'utf8')) as { paths: string[]; pageOf: number[] };
      return (q) =>
        toPages(
          loaded
            .search(q)
            .slice(0, 50)
            .map((r) => r.id as number),
          m.pageOf,
          m.paths,
          10,
        );
    },
  };
}

const BUILDERS: Record<string, (pages: Page[]) => Promise<Built>> = {
  wecombot: buildWecombot,
  'wecombot-pg': buildPostgres,
  flexsearch: buildFlexsearch,
  minisearch: buildMinisearch,
};

function score(queries: EvalQuery[], results: string[][]): FieldScore {
  let found = 0;
  let rr = 0;
  queries.forEach((q, i) => {
    const rank = firstRelevantRank(
      results[i]!.map((p) => ({ path: p })),
      q.relevant,
    );
    if (rank >= 1 && rank <= 5) found++;
    if (rank >= 1) rr += 1 / rank;
  });
  return { recallAt5: found / queries.length, mrrAt10: rr / queries.length };
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

const SETS = ['keywords', 'short', 'colloquial', 'terse'] as const;

async function main(): Promise<void> {
  const corpus = findCorpus(corpusDir)!;
  const build = BUILDERS[engine];
  if (!build) throw new Error(`unknown engine ${engine}`);
  const queries = readQueries(corpus);
  const paraphrases = readParaphrases(corpus);
  const setQueries: Record<(typeof SETS)[number], EvalQuery[]> = {
    keywords: queries,
    short: queries,
    colloquial: paraphrases,
    terse: paraphrases,
  };
  const docs = await readCorpus(corpus);
  gc();
  const t0 = performance.now();
  const pages = docs.map((d) => parseDocument(d));
  const built = await build(pages);
  const indexMs = performance.now() - t0;
  const pageCount = pages.length;
  docs.length = 0;
  pages.length = 0;
  gc();
  const search = await built.open();
  // A warm-up, as a running bot would have had, then the measured passes.
  for (const q of queries.slice(0, 200)) await search(queryText(q, 'keywords'));
  // Latency: each query's best of three passes, so that other processes on a shared machine
  // (scheduler noise adds, never subtracts) do not pass for the engine's cost.
  const passes = engine === 'wecombot-pg' ? 1 : 3;
  const best = new Map<string, number>();
  const fields = {} as Record<(typeof SETS)[number], FieldScore>;
  for (let pass = 0; pass < passes; pass++) {
    for (const field of SETS) {
      const results: string[][] = [];
      for (const [i, q] of setQueries[field].entries()) {
        const t = performance.now();
        results.push(await search(queryText(q, field)));
        const ms = performance.now() - t;
        const key = `${field}:${i}`;
        best.set(key, Math.min(best.get(key) ?? Infinity, ms));
      }
      if (pass === 0) fields[field] = score(setQueries[field], results);
    }
  }
  const latency = (forms: readonly string[]) => {
    const times = [...best]
      .filter(([key]) => forms.includes(key.split(':')[0]!))
      .map(([, ms]) => ms)
      .sort((a, b) => a - b);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  };
  const demo: Record<string, string | null> = {};
  for (const q of DEMO_QUERIES) demo[q] = (await search(q))[0] ?? null;
  // The open index stays reachable while the heap is measured (before a second one opens).
  (globalThis as { kbBenchKeep?: unknown }).kbBenchKeep = search;
  gc();
  const heapBytes = process.memoryUsage().heapUsed;
  let withoutPrior: WorkerResult['withoutPrior'];
  if (built.openWith) {
    const lexical = await built.openWith({ questionPrior: 0 });
    withoutPrior = {} as NonNullable<WorkerResult['withoutPrior']>;
    for (const field of SETS) {
      const results: string[][] = [];
      for (const q of setQueries[field]) results.push(await lexical(queryText(q, field)));
      withoutPrior[field] = score(setQueries[field], results);
    }
  }
  const result: WorkerResult = {
    engine,
    pages: pageCount,
    indexMs,
    sizeBytes: built.sizeBytes,
    heapBytes,
    latencyMs: latency(['keywords', 'short']),
    paraphraseLatencyMs: latency(['colloquial', 'terse']),
    ...fields,
    demo,
    ...(withoutPrior ? { withoutPrior } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
