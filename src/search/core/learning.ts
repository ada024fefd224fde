import type { IndexAnalyzer } from '../text/analyzer.js';
import { withNames } from '../text/analyzer.js';
import { learnAliases, mergeLearned, type LearnedAliases } from '../text/learn-aliases.js';
import { runs } from '../text/tokenize.js';
import type { Page } from '../types.js';
import type { EngineConfig } from './config.js';

/** Words at spaces and script changes: what an analyzer without `words` offers for learning. */
function plainWords(text: string): string[] {
  return runs(text).map((r) => r.text);
}

/**
 * One indexing run's learning: names and aliases from the pages about to be indexed, merged
 * with what the index learned before, and the analyzer that indexes the names as whole terms.
 * Both engines call it, so the same pages give the same index on either.
 */
export function learnForIndexing(
  config: EngineConfig,
  pages: readonly Page[],
  analyzer: IndexAnalyzer,
): { learned: LearnedAliases; analyzer: IndexAnalyzer } {
  if (!config.learn) return { learned: config.learned, analyzer };
  const found = learnAliases(pages, (text) => (analyzer.words ? analyzer.words(text) : plainWords(text)));
  // A name the analyzer already emits as one term would count twice.
  const names = found.names.filter((n) => !analyzer.terms(n).includes(n));
  const learned = mergeLearned(config.learned, { names, aliases: found.aliases });
  return { learned, analyzer: withNames(analyzer, learned.names) };
}
