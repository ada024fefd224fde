import { existsSync, readFileSync } from 'node:fs';
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

export function readQueries(corpus: Corpus): EvalQuery[] {
  return parseQueries(readFileSync(corpus.queriesFile, 'utf8'));
}
