// Cold start of the minisearch + jieba baseline: load jieba's dictionary and the JSON index,
// answer one query. Prints one JSON line (see cold-wecombot.ts).
// A function, not top-level await: the entry is bundled as CommonJS, as deployed functions are.
async function main(): Promise<void> {
  const t0 = performance.now();
  const { readFileSync } = await import('node:fs');
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = await import('@node-rs/jieba/dict.js');
  const { default: MiniSearch } = await import('minisearch');
  const { miniSearchOptions } = await import('./minisearch-options.js');

  const [file, query] = process.argv.slice(2) as [string, string];
  const jieba = Jieba.withDict(dict);
  const ms0 = MiniSearch.loadJSON(
    readFileSync(file, 'utf8'),
    miniSearchOptions((t, h) => jieba.cutForSearch(t, h)),
  );
  const hits = ms0.search(query).slice(0, 50);
  const ms = performance.now();
  const mem = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ ms, own: ms - t0, rss: mem.rss, heap: mem.heapUsed, top: hits.length > 0 ? String(hits[0]!.id) : null })}\n`,
  );
}

void main();
