// Cold start of the minisearch + jieba baseline: load jieba's dictionary and the JSON index,
// answer one query. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import MiniSearch from 'minisearch';
import { miniSearchOptions } from './minisearch-options.js';

const [file, query] = process.argv.slice(2) as [string, string];
const jieba = Jieba.withDict(dict);
const ms0 = MiniSearch.loadJSON(readFileSync(file, 'utf8'), miniSearchOptions((t, h) => jieba.cutForSearch(t, h)));
const hits = ms0.search(query).slice(0, 50);
const ms = performance.now();
const mem = process.memoryUsage();
process.stdout.write(`${JSON.stringify({ ms, rss: mem.rss, heap: mem.heapUsed, top: hits.length > 0 ? String(hits[0]!.id) : null })}\n`);
