/**
 * The product nicknames bench:faq gives the bot as its `synonyms`, learned from the corpus the
 * way a reader learns them. Two learners, each kept to the names it is sure of:
 * - the knowledge-base engine's own (learnAliases: folder names, spelled English names), the
 *   one that indexing the corpus as a knowledge base would use;
 * - the bench's older one (mineNicknames: the commonest name before an abbreviation's brackets);
 *   each finds names the other misses (measured together: colloquial top-1 0.63 against 0.60
 *   with the engine's alone, see docs/en/faq.md).
 * Of either, a name that two abbreviations claim is dropped: it is a phrase of a sentence, not a
 * product (`扩展分区及文件系统（Linux）` and `（Windows）`, which would make linux a synonym of
 * windows once groups sharing a word are merged).
 */
import { listDocuments, readDocument } from '../../src/search/ingest/walk.js';
import { parseDocument } from '../../src/search/ingest/document.js';
import { loadJieba } from '../../src/search/text/jieba.js';
import { learnAliases } from '../../src/search/text/learn-aliases.js';
import { mineNicknames } from './nicknames.js';

/** `[abbreviation, name]` pairs of one learner, without the names two abbreviations claim. */
export function unambiguous(pairs: readonly (readonly [string, string])[]): string[][] {
  const claims = new Map<string, Set<string>>();
  for (const [abbr, name] of pairs) {
    let set = claims.get(name);
    if (!set) claims.set(name, (set = new Set()));
    set.add(abbr);
  }
  return pairs.filter(([, name]) => claims.get(name)!.size === 1).map(([abbr, name]) => [abbr, name]);
}

/** Nickname groups `[abbreviation, name]` learned from every page of the corpus. */
export async function corpusAliases(docs: string): Promise<string[][]> {
  const jieba = await loadJieba();
  const files = await listDocuments(docs);
  const pages = [];
  const texts: string[] = [];
  for (const file of files) {
    const doc = await readDocument(docs, file);
    texts.push(doc.content);
    pages.push(parseDocument(doc, {}));
  }
  const learned = learnAliases(pages, (t) => jieba.cut(t, true)).aliases.map(([a, n]) => [a!, n!] as const);
  const mined = mineNicknames(texts).map(([n, a]) => [a!, n!] as const);
  return [...unambiguous(mined), ...unambiguous(learned)];
}
