import type { Options } from 'minisearch';
import { jiebaTokens } from './baseline-text.js';

/** minisearch over section documents, with jieba for index and queries; headings count double. */
export function miniSearchOptions(cut: (s: string, hmm: boolean) => string[]): Options {
  return {
    fields: ['heading', 'text'],
    tokenize: (text: string) => jiebaTokens(cut, text),
    processTerm: (term: string) => term || null,
    searchOptions: { boost: { heading: 2 } },
  };
}
