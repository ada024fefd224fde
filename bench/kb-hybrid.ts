/**
 * bench:kb-hybrid — the hybrid option (lexical + vector, reciprocal-rank fusion) against the
 * lexical engine alone, in the same run, on the shared corpus's dev sets.
 *
 *   npm run bench:kb-hybrid [-- --corpus ../shared/kb-corpus] [--dims 256] [--json]
 *
 * The vectors come from the deterministic fake embeddings server of wecombot/testing (hashed
 * character n-grams, over HTTP as a real endpoint would be called): the figures measure the
 * transport, the storage and the fusion, not a real model's semantics. Point --url/--model
 * at a real OpenAI-compatible endpoint (key in WECOMBOT_EMBEDDINGS_KEY) to measure one.
 * Skips with a message when the corpus is absent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedEngine } from '../src/search/backends/embedded.js';
import { evaluateAll } from '../src/search/eval.js';
import { startFakeEmbeddings } from '../src/testing/fake-embeddings.js';
import { findCorpus, readCorpus, readParaphrases, readQueries } from './kb/corpus.js';

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const json = argv.includes('--json');

async function main(): Promise<void> {
  const corpus = findCorpus(flag('corpus'));
  if (!corpus) {
    process.stdout.write('bench:kb-hybrid skipped: no corpus (pass --corpus DIR with qcloud-documents/ and queries-dev.jsonl)\n');
    return;
  }
  const fake = flag('url') ? undefined : await startFakeEmbeddings({ dims: Number(flag('dims') ?? 256) });
  const embeddings = { baseUrl: flag('url') ?? fake!.baseUrl, model: flag('model') ?? 'fake-ngram', batchSize: 256 };
  const work = await mkdtemp(path.join(os.tmpdir(), 'wecombot-kb-hybrid-'));
  const log = (s: string) => json || process.stderr.write(`${s}\n`);
  try {
    log('… indexing the corpus');
    const engine = new EmbeddedEngine(undefined, { embeddings });
    await engine.index(await readCorpus(corpus));
    const file = path.join(work, 'kb.idx');
    const lexicalBytes = engine.toBuffer().length;
    log('… embedding every section');
    let started = performance.now();
    const sections = await engine.embed();
    const embedSeconds = (performance.now() - started) / 1000;
    const bytes = await engine.save(file);
    const lexical = EmbeddedEngine.load(file);
    const hybrid = EmbeddedEngine.load(file, { embeddings });
    const sets = [
      { name: 'keywords', queries: readQueries(corpus), field: 'keywords' },
      { name: 'short', queries: readQueries(corpus), field: 'short' },
      { name: 'colloquial', queries: readParaphrases(corpus), field: 'colloquial' },
      { name: 'terse', queries: readParaphrases(corpus), field: 'terse' },
    ];
    const rows: Array<{ set: string; lexical: number[]; hybrid: number[] }> = [];
    started = performance.now();
    for (const s of sets) {
      const [a, b] = await evaluateAll([(q, limit) => lexical.search(q, { limit }), (q, limit) => hybrid.search(q, { limit })], s.queries, {
        field: s.field,
      });
      rows.push({
        set: s.name,
        lexical: [a!.recallAt5, a!.mrrAt10, a!.latencyMs.p95],
        hybrid: [b!.recallAt5, b!.mrrAt10, b!.latencyMs.p95],
      });
    }
    await lexical.close();
    await hybrid.close();
    const meta = {
      sections,
      dims: fake ? Number(flag('dims') ?? 256) : undefined,
      embedSeconds,
      indexBytes: bytes,
      lexicalIndexBytes: lexicalBytes,
      evalSeconds: (performance.now() - started) / 1000,
    };
    if (json) return void process.stdout.write(`${JSON.stringify({ ...meta, rows })}\n`);
    const f = (n: number, d = 3) => n.toFixed(d);
    process.stdout.write(
      '| query set | lexical R@5 / MRR@10 | hybrid R@5 / MRR@10 | lexical p95 (ms) | hybrid p95 (ms, incl. the embeddings call) |\n|---|--:|--:|--:|--:|\n',
    );
    for (const r of rows) {
      process.stdout.write(
        `| ${r.set} | ${f(r.lexical[0]!)} / ${f(r.lexical[1]!)} | ${f(r.hybrid[0]!)} / ${f(r.hybrid[1]!)} | ${f(r.lexical[2]!, 2)} | ${f(r.hybrid[2]!, 2)} |\n`,
      );
    }
    process.stdout.write(
      `\n${sections} sections embedded in ${f(embedSeconds, 1)} s (${fake ? `fake n-gram vectors, ${meta.dims} dims, over loopback HTTP` : embeddings.model}); index ${f(bytes / 1024 / 1024, 1)} MB with vectors, ${f(lexicalBytes / 1024 / 1024, 1)} MB without.\n`,
    );
  } finally {
    await fake?.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
