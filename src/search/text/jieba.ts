/**
 * Lazy access to @node-rs/jieba. Loading its dictionary costs 100–200 ms, so only the indexer
 * calls this; the query path segments against the index vocabulary instead (see segment.ts).
 */

/** The part of jieba the indexer uses. */
export interface Segmenter {
  cutForSearch(sentence: string, hmm?: boolean): string[];
  cut(sentence: string, hmm?: boolean): string[];
}

let pending: Promise<Segmenter> | undefined;

/** Loads jieba with its default dictionary once per process. */
export function loadJieba(): Promise<Segmenter> {
  pending ??= (async () => {
    const [{ Jieba }, { dict }] = await Promise.all([import('@node-rs/jieba'), import('@node-rs/jieba/dict.js')]);
    return Jieba.withDict(dict);
  })();
  return pending;
}
