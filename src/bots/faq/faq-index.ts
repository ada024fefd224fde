/**
 * The FAQ's index: each entry is a page of the knowledge-base engine (src/search), with one
 * section whose fields are the entry's group (title), its question and phrasings (heading) and
 * its answer (body). Matching is the engine's: its analyzer, synonyms, sub-words and character
 * bigrams, BM25F; this file only decides what goes into which field.
 *
 * Building needs jieba (100–200 ms to load), so `wecombot faq index` writes the index to a
 * file that opens in a few milliseconds on a cold start; without one it is built on first use.
 */
import { createHash } from 'node:crypto';
import { EmbeddedEngine } from '../../search/backends/embedded.js';
import { resolveConfig } from '../../search/core/config.js';
import type { RankingParams } from '../../search/core/fields.js';
import { KbIndex, type FieldTerms } from '../../search/core/kb-index.js';
import { withNames, type IndexAnalyzer } from '../../search/text/analyzer.js';
import { splitNames } from '../../search/text/name-terms.js';
import type { SynonymGroups } from '../../search/text/synonyms.js';
import { WecombotError } from '../../errors.js';
import type { FaqEntry, QaSet } from './entry.js';

/**
 * Ranking of FAQ entries. Questions are short and say what an entry is about, so they weigh
 * most; answers are long and add the words customers use that the question lacks (weight and
 * length normalization of a body field); the group (a product name) lifts every entry of it.
 */
export const FAQ_PARAMS: Partial<RankingParams> = {
  weights: [2, 8, 0, 1.5],
  b: [0.3, 0.5, 0, 0.75],
  subwordWeight: 0.5,
  synonymWeight: 0.8,
  bigramWeight: 0.35,
  phraseBonus: 0.3,
};

/** Answer text beyond this many characters adds little topic evidence and grows the index. */
const ANSWER_CHARS = 800;

const MAGIC = 'WFAQIX01';
/** Bumped when what is indexed changes, so older index files are rebuilt (3: engine index format 6). */
const FORMAT = 3;

/** The part of an answer that is matched: words only, no URLs or markup. */
export function answerText(answer: string): string {
  const plain = answer
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#>*_`|~-]+/g, ' ');
  return Array.from(plain).slice(0, ANSWER_CHARS).join('');
}

/** What identifies the content of an index: the Q&A text and the synonyms it was built with. */
export function faqDigest(text: string, synonyms: SynonymGroups): string {
  return createHash('sha256')
    .update(`${FORMAT}\n${JSON.stringify(synonyms)}\n${text}`)
    .digest('hex')
    .slice(0, 32);
}

export const entryPath = (id: number): string => `q-${id}`;

/** The entries of a Q&A set and the engine that ranks them. */
export class FaqIndex {
  private readonly byId: Map<number, FaqEntry>;
  constructor(
    readonly engine: EmbeddedEngine,
    readonly entries: readonly FaqEntry[],
    readonly digest: string,
  ) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  entry(id: number): FaqEntry | undefined {
    return this.byId.get(id);
  }

  /**
   * Indexes a Q&A set. `analyzer` defaults to the engine's (jieba loads here).
   *
   * @example const index = await FaqIndex.build(await loadQaFile('faq.yaml'), faqSynonyms(), digest)
   */
  static async build(set: Pick<QaSet, 'entries'>, synonyms: SynonymGroups, digest: string, analyzer?: IndexAnalyzer): Promise<FaqIndex> {
    // `synonyms` holds the customer vocabulary already (faqSynonyms), under the digest.
    const config = resolveConfig({ params: FAQ_PARAMS, synonyms, bigrams: true, customerWords: false, learn: false });
    const base = analyzer ?? (await (await import('../../search/text/analyzer.js')).createIndexAnalyzer({ bigrams: true }));
    // Groups (product names, mostly) that jieba splits (`云硬盘`) become whole terms, so a
    // question naming one matches it exactly.
    const a = withNames(
      base,
      splitNames(
        set.entries.map((e) => e.group),
        (t) => base.terms(t),
      ),
    );
    const kb = new KbIndex();
    for (const entry of set.entries) {
      const fields: FieldTerms = [
        a.terms(entry.group),
        a.terms([entry.question, ...entry.phrasings].join('\n')),
        [],
        a.terms(answerText(entry.answer)),
      ];
      kb.addPage(
        {
          path: entryPath(entry.id),
          title: entry.group,
          url: '',
          sections: [{ heading: entry.question, path: [entry.question], anchor: '', text: '' }],
        },
        () => fields,
      );
    }
    return new FaqIndex(new EmbeddedEngine(kb, {}, config), set.entries, digest);
  }

  /** The index file: magic, a JSON part (digest and entries), then the engine's index. */
  toBuffer(): Buffer {
    const json = Buffer.from(JSON.stringify({ format: FORMAT, digest: this.digest, entries: this.entries }), 'utf8');
    const head = Buffer.alloc(12);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    // The engine's part must start 4-byte aligned: its arrays are read as typed-array views.
    const pad = Buffer.alloc((4 - ((12 + json.length) % 4)) % 4, 0x20);
    return Buffer.concat([head, json, pad, this.engine.toBuffer()]);
  }

  /** Opens an index file's bytes; throws `faq_index_invalid` for anything else. */
  static fromBuffer(buffer: Uint8Array, source = 'the FAQ index'): FaqIndex {
    const buf = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw invalid(source, 'is not an FAQ index');
    const length = buf.readUInt32LE(8);
    const meta = JSON.parse(buf.toString('utf8', 12, 12 + length)) as { format: number; digest: string; entries: FaqEntry[] };
    if (meta.format !== FORMAT) throw invalid(source, `has format ${meta.format}, this version reads ${FORMAT}`);
    const start = 12 + length + ((4 - ((12 + length) % 4)) % 4);
    // The engine keeps the file's own length norms, so the first question decodes no posting anew.
    const engine = EmbeddedEngine.fromBuffer(buf.subarray(start));
    return new FaqIndex(engine, meta.entries, meta.digest);
  }
}

function invalid(source: string, problem: string): WecombotError {
  return new WecombotError('faq_index_invalid', `${source} ${problem}`, { hint: 'rebuild it with `wecombot faq index <qa-file>`' });
}
