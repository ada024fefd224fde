import { BIGRAM_MARK } from './analyzer.js';
import { normalize } from './normalize.js';
import { findSynonyms, type SynonymGroups } from './synonyms.js';
import { MAX_PIECE_CHARS } from './segment.js';
import { runs, wordTerms } from './tokenize.js';

/**
 * Every term {@link parseQuery} might look up for a query: words and their parts, every CJK
 * substring up to `maxChars` characters, and CJK bigrams; synonym members included. A remote
 * index (PostgreSQL) answers these in one round trip before segmentation runs locally.
 */
export function queryCandidates(query: string, synonyms: SynonymGroups, maxChars = MAX_PIECE_CHARS): string[] {
  const text = normalize(query).replace(/\s+/g, ' ').trim();
  const texts = [text];
  for (const m of findSynonyms(text, synonyms)) texts.push(...m.group);
  const out = new Set<string>();
  for (const t of texts) {
    for (const run of runs(t)) {
      if (run.kind === 'word') {
        for (const w of wordTerms(run)) out.add(w);
        continue;
      }
      const chars = Array.from(run.text);
      for (let i = 0; i < chars.length; i++) {
        let piece = '';
        for (let j = i; j < chars.length && j - i < maxChars; j++) {
          piece += chars[j]!;
          out.add(piece);
        }
        if (i + 1 < chars.length) out.add(BIGRAM_MARK + chars[i]! + chars[i + 1]!);
      }
    }
  }
  return [...out];
}
