/**
 * The comparison engines of bench:faq, over the same Q&A set: nlp.js (node-nlp, Chinese, an
 * intent per entry trained on its question and phrasings) and flexsearch with jieba tokens
 * over the question headings. Each ranks entry ids for a question.
 */
import type { FaqEntry } from '../../src/bots/faq/entry.js';
import { loadJieba } from '../../src/search/text/jieba.js';

export interface RankingEngine {
  name: string;
  /** Entry ids, best first. */
  rank(question: string, limit: number): Promise<number[]>;
  /** True when the engine would answer (its own confidence), for the out-of-scope rate. */
  answers(question: string): Promise<boolean>;
}

/** nlp.js: one intent per entry; it answers when its best intent scores at least `threshold`. */
export async function nlpjsEngine(entries: readonly FaqEntry[], threshold = 0.5): Promise<RankingEngine & { trainMs: number }> {
  const { NlpManager } = (await import('node-nlp')) as unknown as { NlpManager: new (o: object) => NlpLike };
  const manager = new NlpManager({ languages: ['zh'], forceNER: false, nlu: { log: false }, autoSave: false });
  for (const e of entries) for (const text of [e.question, ...e.phrasings]) manager.addDocument('zh', text, `q-${e.id}`);
  const started = Date.now();
  await manager.train();
  const trainMs = Date.now() - started;
  const classify = async (q: string) => ((await manager.process('zh', q)).classifications ?? []).filter((c) => c.intent !== 'None');
  return {
    name: 'nlp.js (node-nlp, zh)',
    trainMs,
    async rank(q, limit) {
      return (await classify(q)).slice(0, limit).map((c) => Number(c.intent.slice(2)));
    },
    async answers(q) {
      return ((await classify(q))[0]?.score ?? 0) >= threshold;
    },
  };
}

interface NlpLike {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ classifications?: { intent: string; score: number }[] }>;
}

/** flexsearch Index over the headings with jieba search-mode tokens; it answers any hit. */
export async function flexsearchEngine(entries: readonly FaqEntry[]): Promise<RankingEngine> {
  const jieba = await loadJieba();
  const { default: FlexSearch } = (await import('flexsearch')) as unknown as { default: { Index: new (o: object) => FlexLike } };
  const tokens = (text: string) => jieba.cutForSearch(text.toLowerCase(), true).filter((t) => t.trim() && !/^[\p{P}\s]+$/u.test(t));
  const index = new FlexSearch.Index({ tokenize: 'strict', encode: (s: string) => tokens(s) });
  for (const e of entries) index.add(e.id, e.question);
  return {
    name: 'flexsearch + jieba (headings)',
    rank: async (q, limit) => index.search(q, { limit, suggest: true }).map(Number),
    answers: async (q) => index.search(q, { limit: 1 }).length > 0,
  };
}

interface FlexLike {
  add(id: number, text: string): void;
  search(q: string, o: { limit: number; suggest?: boolean }): Array<number | string>;
}
