import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listDocuments, readDocument } from '../../src/search/ingest/walk.js';
import { parseQueries, type EvalQuery } from '../../src/search/eval.js';
import type { SourceDocument } from '../../src/search/types.js';

/** The shared benchmark corpus: documents folder and dev queries. */
export interface Corpus {
  root: string;
  docsDir: string;
  queriesFile: string;
}

/** Locates the corpus (default ../shared/kb-corpus from the repository root), or undefined. */
export function findCorpus(arg?: string): Corpus | undefined {
  const root = path.resolve(arg ?? path.join(process.cwd(), '..', 'shared', 'kb-corpus'));
  const docsDir = path.join(root, 'qcloud-documents');
  const queriesFile = path.join(root, 'queries-dev.jsonl');
  if (!existsSync(docsDir) || !existsSync(queriesFile)) return undefined;
  return { root, docsDir, queriesFile };
}

/** Reads every document of the corpus. */
export async function readCorpus(corpus: Corpus): Promise<SourceDocument[]> {
  const paths = await listDocuments(corpus.docsDir);
  return Promise.all(paths.map((p) => readDocument(corpus.docsDir, p)));
}

/** Bytes of the documents an index is built from: the yardstick of the index size. */
export async function sourceBytes(corpus: Corpus): Promise<number> {
  const paths = await listDocuments(corpus.docsDir);
  return paths.reduce((sum, p) => sum + statSync(path.join(corpus.docsDir, p)).size, 0);
}

export function readQueries(corpus: Corpus): EvalQuery[] {
  return parseQueries(readFileSync(corpus.queriesFile, 'utf8'));
}

/** The demo queries: both must put the SCF billing overview first. */
export const DEMO_QUERIES = ['函数计费', '云函数怎么收费'];

/** Where the demo queries should lead (a page of the corpus). */
export const DEMO_PAGE = 'product/计算与网络/无服务器云函数/购买指南/计费概述.md';

/**
 * The paraphrase dev set (faq-paraphrase-dev.jsonl) as eval queries: the in-scope lines, with
 * the FAQ heading as `query` and the colloquial and terse forms as fields. Empty when absent.
 */
export function readParaphrases(corpus: Corpus): EvalQuery[] {
  const file = path.join(corpus.root, 'faq-paraphrase-dev.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { question: string | null; relevant: string[]; [k: string]: unknown })
    .filter((l) => l.question !== null && l.relevant.length > 0)
    .map((l) => ({ ...l, query: l.question! }));
}
