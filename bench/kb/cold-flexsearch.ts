// Cold start of the flexsearch + jieba baseline: load jieba's dictionary, import the exported
// index, answer one query (jieba cuts the query too). Prints one JSON line (see cold-wecombot.ts).
// A function, not top-level await: the entry is bundled as CommonJS, as deployed functions are.
async function main(): Promise<void> {
  const t0 = performance.now();
  const { readFileSync } = await import('node:fs');
  const { Jieba } = await import('@node-rs/jieba');
  const { dict } = await import('@node-rs/jieba/dict.js');
  const { default: FlexSearch } = await import('flexsearch');
  const { jiebaTokens } = await import('./baseline-text.js');

  const [file, query] = process.argv.slice(2) as [string, string];
  const jieba = Jieba.withDict(dict);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { paths: string[]; pageOf: number[]; parts: Record<string, string> };
  const index = new FlexSearch.Index({ tokenize: 'strict', encode: (s: string) => jiebaTokens((t, h) => jieba.cutForSearch(t, h), s) });
  for (const [key, data] of Object.entries(saved.parts)) index.import(key, data);
  const ids = index.search(query, { limit: 50, suggest: true }) as number[];
  const ms = performance.now();
  const mem = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({ ms, own: ms - t0, rss: mem.rss, heap: mem.heapUsed, top: saved.paths[saved.pageOf[ids[0] ?? -1] ?? -1] ?? null })}\n`,
  );
}

void main();
