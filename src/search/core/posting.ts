import { FIELD_COUNT } from './fields.js';

/**
 * The sections containing one term, ascending, with the term's frequency in each field:
 * `tfs[i * FIELD_COUNT + f]` is the count in field `f` of section `ids[i]`. Typed arrays keep
 * the scoring loop monomorphic and compact.
 */
export interface Posting {
  ids: Int32Array;
  tfs: Uint16Array;
  /**
   * Saturated BM25F term frequencies as impact steps (see impactStep in scorer.ts), when the
   * source computed them already (PostgreSQL does, to send one number per entry instead of
   * eight; the index file stores them); `tfs` is then empty.
   */
  steps?: Uint16Array;
  /** The largest of `steps`, when the source stored it (the index file does). */
  maxStep?: number;
}

/** A posting being filled by the indexer. */
export interface PostingBuilder {
  ids: number[];
  tfs: number[];
}

export function isBuilder(p: Posting | PostingBuilder): p is PostingBuilder {
  return Array.isArray(p.ids);
}

/** Freezes a builder into typed arrays (counts above 65535 saturate). */
export function sealPosting(b: PostingBuilder): Posting {
  const tfs = new Uint16Array(b.tfs.length);
  for (let i = 0; i < b.tfs.length; i++) tfs[i] = Math.min(b.tfs[i]!, 0xffff);
  return { ids: Int32Array.from(b.ids), tfs };
}

/** Copies a posting into growable arrays. */
export function thawPosting(p: Posting): PostingBuilder {
  return { ids: Array.from(p.ids), tfs: Array.from(p.tfs) };
}

/** Keeps the entries whose section passes `keep`; undefined when none are left. */
export function filterPosting(p: Posting | PostingBuilder, keep: (id: number) => boolean): Posting | undefined {
  const ids: number[] = [];
  const tfs: number[] = [];
  for (let i = 0; i < p.ids.length; i++) {
    const id = p.ids[i]!;
    if (!keep(id)) continue;
    ids.push(id);
    for (let f = 0; f < FIELD_COUNT; f++) tfs.push(p.tfs[i * FIELD_COUNT + f]!);
  }
  return ids.length > 0 ? sealPosting({ ids, tfs }) : undefined;
}
