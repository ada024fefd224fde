import { mergeGroups, parseSynonyms, type SynonymGroups } from '../../search/text/synonyms.js';
import { DEFAULT_SYNONYMS } from './default-synonyms.js';

/**
 * The synonym groups of one FAQ: the default customer words, the Q&A file's own and the
 * options' (`synonyms`), merged so that groups sharing a word become one group (`收费` in the
 * default list and `收费 = 月费` of the user's both mean all of them).
 *
 * @example faqSynonyms([['云函数', 'scf']], { defaults: false }) // [['云函数', 'scf']]
 */
type SynonymList = string | readonly string[] | readonly (readonly string[])[];

export function faqSynonyms(...lists: Array<SynonymList | { defaults: boolean }>): SynonymGroups {
  const useDefaults = !lists.some((l) => typeof l === 'object' && !Array.isArray(l) && (l as { defaults: boolean }).defaults === false);
  const groups: SynonymGroups = useDefaults ? parseSynonyms(DEFAULT_SYNONYMS) : [];
  for (const list of lists) {
    if (typeof list === 'string' || Array.isArray(list)) groups.push(...parseSynonyms(list as SynonymList));
  }
  return mergeGroups(groups);
}

export { mergeGroups };
