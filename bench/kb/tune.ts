// Development helper: indexes the corpus once and evaluates ranking variants on every dev
// query form (keywords, short, and the colloquial and terse paraphrases), with the two demo
// queries' top pages. Index-time options come from the environment (KB_BIGRAMS=1,
// KB_SYNONYMS=file, KB_LEARN=0, KB_CUSTOMER=0); query-time variants from the argument.
//
//   node --import tsx bench/kb/tune.ts '[{}, {"synonymWeight":0.9}]'
import { readFileSync } from 'node:fs';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { evaluate } from '../../src/search/eval.js';
import { createIndexAnalyzer } from '../../src/search/text/analyzer.js';
import { parseDocument } from '../../src/search/ingest/document.js';
import { DEMO_QUERIES, findCorpus, readCorpus, readParaphrases, readQueries } from './corpus.js';

const corpus = findCorpus(process.env.KB_CORPUS);
if (!corpus) throw new Error('no corpus');
// A variant is ranking parameters, plus `customerWords` (a query-time option) when given.
const variants = JSON.parse(process.argv[2] ?? '[{}]') as Array<{ customerWords?: boolean }>;
const bigrams = process.env.KB_BIGRAMS === '1';
const synonyms = process.env.KB_SYNONYMS ? readFileSync(process.env.KB_SYNONYMS, 'utf8') : undefined;
const docs = await readCorpus(corpus);
const sets = [
  { name: 'keywords', queries: readQueries(corpus), field: 'keywords' },
  { name: 'short', queries: readQueries(corpus), field: 'short' },
  { name: 'colloq', queries: readParaphrases(corpus), field: 'colloquial' },
  { name: 'terse', queries: readParaphrases(corpus), field: 'terse' },
];
const t0 = performance.now();
const analyzer = await createIndexAnalyzer({ bigrams });
const learn = process.env.KB_LEARN !== '0';
const customerWords = process.env.KB_CUSTOMER !== '0';
const base = new EmbeddedEngine(undefined, { bigrams, synonyms, learn, customerWords });
base.indexWith(
  docs.map((d) => parseDocument(d)),
  analyzer,
);
console.log(`indexed in ${(performance.now() - t0).toFixed(0)} ms`, base.stats());
for (const v of variants) {
  const { customerWords: words = customerWords, ...params } = v;
  const engine = new EmbeddedEngine(base.kb, { params, bigrams, synonyms, customerWords: words }, base.config);
  const row: string[] = [JSON.stringify(v)];
  for (const set of sets) {
    const r = await evaluate((q, limit) => engine.searchSync(q, { limit }), set.queries, set.field);
    row.push(`${set.name} ${r.recallAt5.toFixed(3)}/${r.mrrAt10.toFixed(3)} p95 ${r.latencyMs.p95.toFixed(2)}`);
  }
  console.log(row.join(' | '));
  for (const q of DEMO_QUERIES)
    console.log(
      `  ${q}: ${engine
        .searchSync(q, { limit: 3 })
        .map((h) => h.path.split('/').slice(-2).join('/'))
        .join(', ')}`,
    );
}
