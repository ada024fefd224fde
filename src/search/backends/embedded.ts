import { querySynonyms, resolveConfig, type EngineConfig, type EngineOptions } from '../core/config.js';
import { toHits } from '../core/hits.js';
import { writeFile } from 'node:fs/promises';
import { SearchError } from '../errors.js';
import { KbIndex } from '../core/kb-index.js';
import { decodeIndex, encodeIndex, openIndexFile, type DecodedIndex } from '../core/serialize.js';
import { HybridVectors } from '../embeddings/hybrid.js';
import type { EmbeddingsOption } from '../embeddings/embedder.js';
import type { FusionOptions } from '../embeddings/fusion.js';
import { learnForIndexing } from '../core/learning.js';
import { latestWithDigests } from '../core/page-digest.js';
import { sectionTermsWith } from '../core/page-terms.js';
import { candidateCount, rerank, sectionPhraseText } from '../core/proximity.js';
import { computeNorms, Scorer, type RankedPage, type SectionNorms } from '../core/scorer.js';
import { parseDocument, type UrlOptions } from '../ingest/document.js';
import type { IndexAnalyzer } from '../text/analyzer.js';
import { parseQuery, type ParsedQuery } from '../text/query.js';
import type { Page, SearchEngine, SearchHit, SearchOptions, SourceDocument } from '../types.js';

/** Options of the embedded engine. */
export interface EmbeddedOptions extends EngineOptions, UrlOptions {
  /**
   * Hybrid search: an OpenAI-compatible embeddings endpoint (or a function). `embed()` stores
   * section vectors in the index; `search()` then fuses the lexical ranking with the nearest
   * sections of the query's vector (see embeddings/fusion.ts). Without it nothing changes, and
   * an index's vectors are never read.
   */
  embeddings?: EmbeddingsOption;
  /** How the two rankings are fused (reciprocal-rank fusion; k 60, vector weight 1). */
  fusion?: FusionOptions;
}

/**
 * The default engine: an in-memory inverted index over page sections, BM25F ranking, query
 * segmentation against its own vocabulary. Save it with `serializeIndex` and open it with
 * `loadEmbedded` (no jieba on that path).
 */
export class EmbeddedEngine implements SearchEngine {
  /** The settings; `learned` grows as pages are indexed. */
  config: EngineConfig;
  private analyzer: IndexAnalyzer | undefined;
  private readonly scorer: Scorer;
  private normsCache: { version: number; value: SectionNorms } | undefined;
  /** Section vectors and the embedder, when hybrid search is on (or the index has vectors). */
  private hybrid: HybridVectors;

  constructor(
    readonly kb: KbIndex = new KbIndex(),
    options: EmbeddedOptions = {},
    base?: Partial<EngineConfig>,
    private readonly urlOptions: UrlOptions = { baseUrl: options.baseUrl, urlExtension: options.urlExtension },
  ) {
    this.config = resolveConfig(options, base);
    this.scorer = new Scorer(this.config.params);
    this.hybrid = new HybridVectors(kb, options.embeddings, options.fusion);
  }

  /**
   * Opens an index buffer (see serialize.ts). Options override what the file was built with
   * (ranking parameters, synonyms, snippet length); `bigrams` always follows the file.
   */
  static fromBuffer(buffer: Uint8Array, options: EmbeddedOptions = {}): EmbeddedEngine {
    return EmbeddedEngine.fromDecoded(decodeIndex(buffer), options);
  }

  /**
   * Opens an index file synchronously (a cold start has nothing else to wait for). Section
   * texts stay in the file and are read when a hit shows them; `close()` releases the file.
   */
  static load(file: string, options: EmbeddedOptions = {}): EmbeddedEngine {
    let decoded: ReturnType<typeof openIndexFile>;
    try {
      decoded = openIndexFile(file);
    } catch (cause) {
      if (cause instanceof SearchError) throw cause;
      throw new SearchError('kb_index_read', `cannot read index file ${file}`, {
        hint: 'build one with `wecombot kb index <dir> --out <file>`',
        cause,
      });
    }
    const engine = EmbeddedEngine.fromDecoded(decoded, options);
    engine.closeFile = decoded.close;
    return engine;
  }

  private static fromDecoded(decoded: DecodedIndex, options: EmbeddedOptions): EmbeddedEngine {
    const engine = new EmbeddedEngine(decoded.kb, { ...options, bigrams: decoded.config.bigrams }, decoded.config);
    if (decoded.vectors) engine.hybrid.attachStored(decoded.vectors);
    // The file carries the length norms of its own ranking parameters: reuse them unless
    // the caller changed weights or length normalization.
    const p = engine.config.params;
    const f = decoded.config.params;
    if (p.weights.every((w, i) => w === f.weights[i]) && p.b.every((b, i) => b === f.b[i])) {
      engine.normsCache = {
        version: decoded.kb.version,
        value: { pageOf: decoded.kb.pageOf, norms: decoded.norms, pageSlots: decoded.kb.pageSlots },
      };
    }
    return engine;
  }

  private closeFile: (() => void) | undefined;

  /** Releases the index file (if opened with {@link EmbeddedEngine.load}). */
  async close(): Promise<void> {
    this.closeFile?.();
    this.closeFile = undefined;
  }

  /** The index and its configuration as one buffer. */
  toBuffer(): Buffer {
    return encodeIndex(this.kb, this.config, this.hybrid.forSaving());
  }

  /**
   * Computes the vectors of the sections that have none yet (all of them the first time, the
   * new and changed ones after an update), through the `embeddings` option. Resolves to how
   * many sections were embedded.
   */
  async embed(onProgress?: (done: number, total: number) => void): Promise<number> {
    return this.hybrid.embedMissing((id) => this.embeddingText(id), onProgress);
  }

  /** What a section's vector is made of: page title, heading and the start of its text. */
  private embeddingText(id: number): string {
    const { heading, text } = this.kb.sectionStrings(id);
    const title = this.kb.page(this.kb.pageOf[id]!)?.title ?? '';
    return [title, heading, text.slice(0, 500)].filter(Boolean).join('\n');
  }

  /** Writes the index file; returns its size in bytes. */
  async save(file: string): Promise<number> {
    const buffer = this.toBuffer();
    await writeFile(file, buffer);
    return buffer.length;
  }

  /** Uses a given analyzer instead of loading jieba (tests, custom segmenters). */
  setAnalyzer(analyzer: IndexAnalyzer): void {
    this.analyzer = analyzer;
  }

  private async getAnalyzer(): Promise<IndexAnalyzer> {
    if (!this.analyzer) {
      const { createIndexAnalyzer } = await import('../text/analyzer.js');
      this.analyzer = await createIndexAnalyzer({ bigrams: this.config.bigrams });
    }
    return this.analyzer;
  }

  /** Parses raw documents; pages pass through. */
  toPage(doc: Page | SourceDocument): Page {
    return 'sections' in doc ? doc : parseDocument(doc, this.urlOptions);
  }

  async index(docs: ReadonlyArray<Page | SourceDocument>): Promise<number> {
    const analyzer = await this.getAnalyzer();
    return this.indexWith(
      docs.map((d) => this.toPage(d)),
      analyzer,
    );
  }

  /**
   * Synchronous indexing with a ready analyzer. A page already indexed from the same content is
   * left as it is; returns how many pages were (re)analyzed. Names and aliases are learned from
   * the pages analyzed in this call (see learning.ts), so pass them all at once; `onPage`
   * reports progress.
   */
  indexWith(input: readonly Page[], analyzer: IndexAnalyzer, onPage?: (done: number) => void): number {
    // The last page of a path wins, as if they had been indexed one after the other.
    const pages = latestWithDigests(input).filter(({ page, digest }) => !this.kb.hasSamePage(page, digest));
    if (pages.length === 0) return 0;
    const replaced = pages.map(({ page }) => page.path).filter((p) => this.kb.hasPage(p));
    if (replaced.length > 0) this.kb.removePages(replaced);
    const learning = learnForIndexing(
      this.config,
      pages.map(({ page }) => page),
      analyzer,
    );
    this.config = { ...this.config, learned: learning.learned };
    const terms = sectionTermsWith(learning.analyzer);
    pages.forEach(({ page, digest }, i) => {
      this.kb.addPage(page, terms, digest);
      if (onPage && (i % 50 === 49 || i === pages.length - 1)) onPage(i + 1);
    });
    return pages.length;
  }

  async remove(paths: readonly string[]): Promise<void> {
    this.kb.removePages(paths);
  }

  /** Searches; with `embeddings` set and vectors in the index, lexical and vector rankings are fused. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    if (!this.hybrid.active) return this.searchSync(query, options);
    const limit = clampLimit(options.limit);
    const parsed = this.parse(query);
    const lexical = parsed.clauses.length === 0 ? [] : this.rankLexical(parsed, candidateCount(limit));
    const ranked = await this.hybrid.fuse(query, lexical, candidateCount(limit), limit);
    return this.hitsOf(ranked, parsed);
  }

  /** The query as the engine understands it (clauses and terms), for debugging and tests. */
  parse(query: string): ParsedQuery {
    return parseQuery(query, this.kb, querySynonyms(this.config), { ...this.config.params, bigrams: this.config.bigrams });
  }

  /** Searches without a promise: the embedded index answers synchronously. */
  searchSync(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = clampLimit(options.limit);
    const parsed = this.parse(query);
    if (parsed.clauses.length === 0) return [];
    return this.hitsOf(this.rankLexical(parsed, limit), parsed);
  }

  /** The lexical ranking: BM25F candidates, reranked by their headings, the best `limit`. */
  private rankLexical(parsed: ParsedQuery, limit: number): RankedPage[] {
    const candidates = this.scorer.rank(parsed, this.kb, this.sectionNorms(), candidateCount(limit));
    return rerank(
      candidates,
      parsed,
      (id) => this.phraseText(id),
      this.config.params,
      limit,
      (id) => this.pageOfSection(id),
    );
  }

  private hitsOf(ranked: RankedPage[], parsed: ParsedQuery): SearchHit[] {
    const kb = this.kb;
    return toHits(ranked, parsed, { page: (i) => kb.page(i)!, section: (id) => kb.sectionStrings(id) }, this.config.snippetChars);
  }

  private phraseText(id: number): string {
    const { heading } = this.kb.sectionHead(id);
    return sectionPhraseText(heading, heading ? '' : (this.kb.page(this.kb.pageOf[id]!)?.title ?? ''));
  }

  private pageOfSection(id: number): { path: string; title: string } {
    return this.kb.page(this.kb.pageOf[id]!) ?? { path: '', title: '' };
  }

  /**
   * The length norms of the live sections for this engine's ranking parameters: the index file's
   * own when they match (its postings are scored for them), else computed once per index version.
   */
  sectionNorms(): SectionNorms {
    const kb = this.kb;
    if (this.normsCache?.version !== kb.version) {
      const norms = computeNorms(kb.lens, kb.lenSums, kb.liveSections, this.config.params);
      this.normsCache = { version: kb.version, value: { pageOf: kb.pageOf, norms, pageSlots: kb.pageSlots } };
    }
    return this.normsCache.value;
  }

  /** Sizes for summaries. */
  stats(): { pages: number; sections: number; terms: number } {
    return { pages: this.kb.pageCount, sections: this.kb.liveSections, terms: this.kb.termCount };
  }
}

function clampLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(limit ?? 5, 100));
}
