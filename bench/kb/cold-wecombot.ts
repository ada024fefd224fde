// Cold start of wecombot (bundled by esbuild, run in a fresh process): open the index
// (a file or a postgres:// URL) and answer one query. Prints one JSON line.
import { openKnowledgeBase } from '../../src/search/open.js';

const [spec, query] = process.argv.slice(2) as [string, string];
const kb = await openKnowledgeBase(spec);
const hits = await kb.search(query, { limit: 5 });
const ms = performance.now();
const mem = process.memoryUsage();
await kb.close();
process.stdout.write(`${JSON.stringify({ ms, rss: mem.rss, heap: mem.heapUsed, top: hits[0]?.path ?? null })}\n`);
