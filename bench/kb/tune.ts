// Development helper: indexes the corpus once and evaluates ranking variants on the dev
// queries. Usage: node --import tsx bench/kb/tune.ts '[{"k1":1.2}, {"weights":[2,4,1,1]}]'
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { evaluate } from '../../src/search/eval.js';
import { createIndexAnalyzer } from '../../src/search/text/analyzer.js';
import { parseDocument } from '../../src/search/ingest/document.js';
import { findCorpus, readCorpus, readQueries } from './corpus.js';

const corpus = findCorpus(process.env.KB_CORPUS);
if (!corpus) throw new Error('no corpus');
const variants = JSON.parse(process.argv[2] ?? '[{}]') as object[];
const bigrams = process.env.KB_BIGRAMS === '1';
const docs = await readCorpus(corpus);
const queries = readQueries(corpus);
const t0 = performance.now();
const analyzer = await createIndexAnalyzer({ bigrams });
const base = new EmbeddedEngine(undefined, { bigrams });
base.indexWith(docs.map((d) => parseDocument(d)), analyzer);
console.log(`indexed in ${(performance.now() - t0).toFixed(0)} ms`, base.stats());
for (const v of variants) {
  const engine = new EmbeddedEngine(base.kb, { params: v, bigrams, synonyms: process.env.KB_SYNONYMS });
  const row: string[] = [JSON.stringify(v)];
  for (const field of ['keywords', 'short']) {
    const r = await evaluate((q, limit) => engine.searchSync(q, { limit }), queries, field);
    row.push(`${field} R@5 ${r.recallAt5.toFixed(3)} MRR ${r.mrrAt10.toFixed(3)} p95 ${r.latencyMs.p95.toFixed(2)}ms`);
  }
  console.log(row.join(' | '));
}
