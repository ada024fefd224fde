import { DEFAULT_PARAMS, type RankingParams } from './fields.js';
import { CUSTOMER_WORDS } from '../text/customer-words.js';
import type { LearnedAliases } from '../text/learn-aliases.js';
import { mergeGroups, parseSynonyms, type SynonymGroups } from '../text/synonyms.js';

/** Options shared by the engines. */
export interface EngineOptions {
  /** Ranking parameters to override (the defaults were tuned on a Chinese documentation corpus). */
  params?: Partial<RankingParams>;
  /** Synonym groups, as text (`云函数 = SCF` a line) or arrays; expanded at query time. */
  synonyms?: string | readonly string[] | readonly (readonly string[])[];
  /**
   * The built-in customer vocabulary (`多少钱` for 价格, `删不掉` for 无法删除, see
   * customer-words.ts) under your own synonyms; default true.
   */
  customerWords?: boolean;
  /**
   * Learn product names and their abbreviations from the pages at index time (folder names,
   * `云服务器（Cloud Virtual Machine，CVM）`); default true. See learn-aliases.ts.
   */
  learn?: boolean;
  /** Index CJK character bigrams as a fallback for unseen words (bigger index; default false). */
  bigrams?: boolean;
  /** Snippet length in characters (default 100). */
  snippetChars?: number;
}

/** Resolved engine settings: what an index file or the PostgreSQL meta table stores. */
export interface EngineConfig {
  params: RankingParams;
  /** The user's synonym groups. */
  synonyms: SynonymGroups;
  customerWords: boolean;
  learn: boolean;
  /** What indexing learned from the pages so far (empty without `learn`). */
  learned: LearnedAliases;
  bigrams: boolean;
  snippetChars: number;
}

const NOTHING_LEARNED: LearnedAliases = { names: [], aliases: [] };

/** Fills defaults; `base` (e.g. what an index file was built with) comes before the defaults. */
export function resolveConfig(options: EngineOptions = {}, base?: Partial<EngineConfig>): EngineConfig {
  return {
    params: { ...DEFAULT_PARAMS, ...base?.params, ...options.params },
    synonyms: options.synonyms !== undefined ? parseSynonyms(options.synonyms) : (base?.synonyms ?? []),
    customerWords: options.customerWords ?? base?.customerWords ?? true,
    learn: options.learn ?? base?.learn ?? true,
    learned: base?.learned ?? NOTHING_LEARNED,
    bigrams: options.bigrams ?? base?.bigrams ?? false,
    snippetChars: options.snippetChars ?? base?.snippetChars ?? 100,
  };
}

let builtIn: SynonymGroups | undefined;
const expanded = new WeakMap<EngineConfig, SynonymGroups>();

/**
 * The synonym groups queries expand with: the customer vocabulary, the learned aliases and the
 * user's groups, merged where they share a word (the user's `收费 = 月费` joins the built-in
 * money group; `cvm` joins `云服务器 = 云主机`).
 */
export function querySynonyms(config: EngineConfig): SynonymGroups {
  let groups = expanded.get(config);
  if (!groups) {
    builtIn ??= parseSynonyms(CUSTOMER_WORDS);
    groups = mergeGroups([...(config.customerWords ? builtIn : []), ...config.learned.aliases, ...config.synonyms]);
    expanded.set(config, groups);
  }
  return groups;
}
