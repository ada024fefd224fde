// Cold start of wecombot (bundled by esbuild, run in a fresh process): open the index (a file
// or a postgres:// URL) and answer one query. Prints one JSON line: `ms` since the process
// started (Node's own start-up included), `own` since this script began (import, open, query).
// A function, not top-level await: the entry is bundled as CommonJS, as deployed functions are.
async function main(): Promise<void> {
  const t0 = performance.now();
  const { openKnowledgeBase } = await import('../../src/search/open.js');
  const [spec, query] = process.argv.slice(2) as [string, string];
  const kb = await openKnowledgeBase(spec);
  const hits = await kb.search(query, { limit: 5 });
  const ms = performance.now();
  const mem = process.memoryUsage();
  await kb.close();
  process.stdout.write(`${JSON.stringify({ ms, own: ms - t0, rss: mem.rss, heap: mem.heapUsed, top: hits[0]?.path ?? null })}\n`);
}

void main();
