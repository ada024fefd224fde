import type { KbIndex } from '../core/kb-index.js';
import type { RankedPage } from '../core/scorer.js';
import type { IndexVectors } from '../core/serialize.js';
import { SearchError } from '../errors.js';
import { createEmbedder, type Embedder, type EmbeddingsOption } from './embedder.js';
import { fuseRankings, pagesOfSections, type FusionOptions } from './fusion.js';
import { nearest, normalized, quantize } from './vectors.js';

/** Sections sent to the embeddings endpoint per call of the embedder (it batches further). */
const EMBED_CHUNK = 256;

/** Vectors stored in an index file, read on first use. */
interface StoredVectors {
  model: string;
  dims: number;
  load(): IndexVectors;
}

/**
 * The vector half of hybrid search for one embedded index: section vectors by section id
 * (from the file, or computed by {@link HybridVectors.embedMissing}), and the query side. With
 * no `embeddings` option it stays inert: stored vectors are neither read nor dropped (a
 * re-save keeps them).
 */
export class HybridVectors {
  private embedder: Embedder | undefined;
  private stored: StoredVectors | undefined;
  private vectors: IndexVectors | undefined;

  constructor(
    private readonly kb: KbIndex,
    private readonly option: EmbeddingsOption | undefined,
    private readonly fusion: FusionOptions = {},
  ) {}

  /** Queries are hybrid: an embedder is configured and there are vectors to compare with. */
  get active(): boolean {
    return this.option !== undefined && (this.vectors !== undefined || this.stored !== undefined);
  }

  private getEmbedder(): Embedder {
    if (!this.option) {
      throw new SearchError('kb_spec', 'embedding sections needs the embeddings option', {
        hint: 'pass embeddings: { baseUrl, model } (an OpenAI-compatible endpoint) or a function',
      });
    }
    this.embedder ??= createEmbedder(this.option);
    return this.embedder;
  }

  /** Takes the vectors of an index file; a different model than the configured one is refused. */
  attachStored(stored: StoredVectors): void {
    const configured = this.option && typeof this.option !== 'function' ? this.option.model : undefined;
    if (configured !== undefined && configured !== stored.model) {
      throw new SearchError('kb_spec', `the index's vectors were made with ${stored.model}, but embeddings.model is ${configured}`, {
        hint: 'use the same model, or rebuild the vectors with `wecombot kb index --embeddings-model`',
      });
    }
    this.stored = stored;
  }

  private current(): IndexVectors | undefined {
    if (!this.vectors && this.stored) this.vectors = this.stored.load();
    return this.vectors;
  }

  /** The vectors to write with the index (undefined: the index has none). */
  forSaving(): IndexVectors | undefined {
    return this.current();
  }

  /** Embeds every live section without a vector; resolves to how many were embedded. */
  async embedMissing(textOf: (id: number) => string, onProgress?: (done: number, total: number) => void): Promise<number> {
    const embedder = this.getEmbedder();
    const have = this.current();
    const missing: number[] = [];
    for (let id = 0; id < this.kb.sectionSlots; id++) {
      if (this.kb.isLiveSection(id) && !(have && id < have.scales.length && have.scales[id]! !== 0)) missing.push(id);
    }
    for (let i = 0; i < missing.length; i += EMBED_CHUNK) {
      const ids = missing.slice(i, i + EMBED_CHUNK);
      const got = await embedder.embed(ids.map(textOf));
      const dims = this.vectors?.dims ?? got[0]!.length;
      if (got[0]!.length !== dims) {
        throw new SearchError('kb_embeddings', `the embeddings answer ${got[0]!.length} dimensions, the index holds ${dims}`, {
          hint: 'use the model the index was embedded with',
        });
      }
      const block = quantize(got, dims);
      const target = this.grown(dims, embedder.model);
      ids.forEach((id, k) => {
        target.scales[id] = block.scales[k]!;
        target.data.set(block.data.subarray(k * dims, (k + 1) * dims), id * dims);
      });
      onProgress?.(Math.min(i + EMBED_CHUNK, missing.length), missing.length);
    }
    return missing.length;
  }

  /** The vectors with room for every section slot of the index. */
  private grown(dims: number, model: string): IndexVectors {
    const slots = this.kb.sectionSlots;
    const v = this.vectors;
    if (v && v.scales.length >= slots) return v;
    const next: IndexVectors = { model: v?.model ?? model, dims, data: new Int8Array(slots * dims), scales: new Float32Array(slots) };
    if (v) {
      next.data.set(v.data);
      next.scales.set(v.scales);
    }
    this.vectors = next;
    return next;
  }

  /** Fuses the lexical ranking with the pages of the sections nearest to the query's vector. */
  async fuse(query: string, lexical: readonly RankedPage[], candidates: number, limit: number): Promise<RankedPage[]> {
    const vectors = this.current()!;
    const [raw] = await this.getEmbedder().embed([query]);
    if (raw!.length !== vectors.dims) {
      throw new SearchError('kb_embeddings', `the query vector has ${raw!.length} dimensions, the index holds ${vectors.dims}`, {
        hint: 'use the model the index was embedded with',
      });
    }
    // A few sections per page, so `candidates` distinct pages come out of the nearest sections.
    const floor = this.fusion.minSimilarity ?? 0;
    const near = nearest(normalized(raw!), vectors, candidates * 3, (id) => this.kb.isLiveSection(id)).filter(([, sim]) => sim > floor);
    const pages = pagesOfSections(near, this.kb.pageOf).slice(0, candidates);
    return fuseRankings(lexical, pages, limit, this.fusion);
  }
}
