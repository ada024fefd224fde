import { DEFAULT_PARAMS, type RankingParams } from './fields.js';
import { parseSynonyms, type SynonymGroups } from '../text/synonyms.js';

/** Options shared by the engines. */
export interface EngineOptions {
  /** Ranking parameters to override (the defaults were tuned on a Chinese documentation corpus). */
  params?: Partial<RankingParams>;
  /** Synonym groups, as text (`云函数 = SCF` a line) or arrays; expanded at query time. */
  synonyms?: string | readonly string[] | readonly (readonly string[])[];
  /** Index CJK character bigrams as a fallback for unseen words (bigger index; default false). */
  bigrams?: boolean;
  /** Snippet length in characters (default 100). */
  snippetChars?: number;
}

/** Resolved engine settings. */
export interface EngineConfig {
  params: RankingParams;
  synonyms: SynonymGroups;
  bigrams: boolean;
  snippetChars: number;
}

/** Fills defaults; `base` (e.g. what an index file was built with) comes before the defaults. */
export function resolveConfig(options: EngineOptions = {}, base?: Partial<EngineConfig>): EngineConfig {
  return {
    params: { ...DEFAULT_PARAMS, ...base?.params, ...options.params },
    synonyms: options.synonyms !== undefined ? parseSynonyms(options.synonyms) : (base?.synonyms ?? []),
    bigrams: options.bigrams ?? base?.bigrams ?? false,
    snippetChars: options.snippetChars ?? base?.snippetChars ?? 100,
  };
}
