/**
 * Opening the FAQ at run time: the index file from `wecombot faq index` when it matches the
 * Q&A file (a few milliseconds, no jieba), else an index built from the Q&A file.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { bundleDir } from '../../bot/module.js';
import type { SynonymGroups } from '../../search/text/synonyms.js';
import type { FaqConfig } from './config.js';
import { faqDigest, FaqIndex } from './faq-index.js';
import { FaqMatcher } from './matcher.js';
import { loadQaFile } from './source.js';
import { faqSynonyms } from './synonym-groups.js';

/** What the digest of an index covers besides the Q&A text: the options' synonyms. */
function optionSynonyms(config: Pick<FaqConfig, 'synonyms' | 'defaultSynonyms'>): SynonymGroups {
  return faqSynonyms(config.synonyms, { defaults: config.defaultSynonyms });
}

/** A relative path of the options, resolved against the bundle (FaaS) or the working directory. */
export function runtimePath(file: string): string {
  return isAbsolute(file) ? file : resolve(bundleDir(), file);
}

/**
 * Builds the index of a Q&A file (jieba loads here): what `wecombot faq index` writes, and
 * what the bot uses without an index file.
 */
export async function buildFaqIndex(
  config: Pick<FaqConfig, 'source' | 'synonyms' | 'defaultSynonyms'>,
  sourcePath = config.source,
): Promise<FaqIndex> {
  const set = await loadQaFile(sourcePath);
  const base = optionSynonyms(config);
  const synonyms = faqSynonyms(base, set.synonyms, { defaults: false });
  return FaqIndex.build(set, synonyms, faqDigest(set.text, base));
}

/** Why the index file was not used, for the log; undefined when it was. */
export type IndexNote = undefined | 'no index configured' | 'index is stale' | `index unreadable: ${string}`;

/** Opens the FAQ of the options. */
export async function openFaq(config: FaqConfig): Promise<{ matcher: FaqMatcher; note: IndexNote }> {
  const sourcePath = runtimePath(config.source);
  let note: IndexNote = 'no index configured';
  if (config.index) {
    try {
      const [text, bytes] = await Promise.all([readFile(sourcePath, 'utf8'), readFile(runtimePath(config.index))]);
      const index = FaqIndex.fromBuffer(bytes, config.index);
      if (index.digest === faqDigest(text, optionSynonyms(config)))
        return { matcher: new FaqMatcher(index, config.thresholds), note: undefined };
      note = 'index is stale';
    } catch (err) {
      note = `index unreadable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return { matcher: new FaqMatcher(await buildFaqIndex(config, sourcePath), config.thresholds), note };
}
