import type { Page, Section } from '../types.js';
import { FIELD_COUNT } from './fields.js';
import { pageDigest } from './page-digest.js';
import { filterPosting, isBuilder, sealPosting, thawPosting, type Posting, type PostingBuilder } from './posting.js';

/** A page as the index keeps it: its sections are section ids. */
export interface PageRecord {
  path: string;
  title: string;
  url: string;
  sections: number[];
  /** {@link pageDigest} of the page as indexed. */
  digest: string;
}

/** What a section shows in a hit. */
export interface SectionStrings {
  heading: string;
  anchor: string;
  text: string;
}

/** The not-yet-decoded part of an index read from a file (see serialize.ts). */
export interface FrozenIndex {
  termCount: number;
  /** Index of a term, or -1. */
  findTerm(term: string): number;
  termAt(index: number): string;
  df(index: number): number;
  posting(index: number): Posting;
  /** The posting of term `index` decoded straight into scores: ids and saturated frequencies. */
  scored(index: number, norms: Float32Array, k1: number): Posting;
  page(index: number): PageRecord;
  /** Field lengths of all sections (read on first need: only changes and rewrites use them). */
  lens(): Uint32Array;
  sectionHead(id: number): { heading: string; anchor: string };
  sectionText(id: number): string;
}

/** Terms of one section, per field, as produced by the analyzer. */
export type FieldTerms = [string[], string[], string[], string[]];

/** Field lengths and per-term field counts of one section. */
export function countFieldTerms(fields: FieldTerms): { lengths: number[]; counts: Map<string, number[]> } {
  const counts = new Map<string, number[]>();
  const lengths: number[] = [];
  for (let f = 0; f < FIELD_COUNT; f++) {
    const terms = fields[f]!;
    lengths.push(terms.length);
    for (const t of terms) {
      let c = counts.get(t);
      if (!c) counts.set(t, (c = [0, 0, 0, 0]));
      c[f]!++;
    }
  }
  return { lengths, counts };
}

const DEAD = 0xffffffff;

/** Bigram terms (see analyzer.ts) are a fallback, not words: they stay out of word statistics. */
export function isBigram(term: string): boolean {
  return term.charCodeAt(0) === 1;
}

/**
 * The inverted index over sections, shared by the embedded engine and the serializer. It is
 * filled by {@link KbIndex.addPage} or opened from a file, where pages, postings and section
 * texts decode on first use; removing pages sweeps the postings so document frequencies stay exact.
 */
export class KbIndex {
  /** Page of each section id, {@link DEAD} once removed. */
  pageOf: number[] | Uint32Array = [];
  private lensStore: number[] | Uint32Array | undefined = [];
  /** Sum of field lengths over live sections. */
  lenSums = [0, 0, 0, 0];
  liveSections = 0;
  /** Sum of document frequencies over word terms: the denominator of term probabilities. */
  totalDf = 0;
  /** Longest term in UTF-16 units: bounds query segmentation. */
  maxTermLength = 0;
  /** Bumped on every change, so derived caches (length norms) know to refresh. */
  version = 0;

  /** Decoded or added pages; `undefined` = removed, `null` = still in the file. */
  private pages: Array<PageRecord | undefined | null> = [];
  private pageByPath: Map<string, number> | undefined = new Map();
  private livePages = 0;
  private postings = new Map<string, Posting | PostingBuilder>();
  /** Strings of sections added in memory: the only copy. */
  private strings = new Map<number, SectionStrings>();
  // Bounded caches of strings read from the file: a long-running bot must not end up holding
  // every section text in memory.
  private headCache = new Map<number, { heading: string; anchor: string }>();
  private textCache = new Map<number, string>();
  private frozen: FrozenIndex | undefined;

  /** Builds an index over a decoded file. */
  static fromParts(parts: {
    pageCount: number;
    pageOf: Uint32Array;
    lenSums: number[];
    totalDf: number;
    maxTermLength: number;
    frozen: FrozenIndex;
  }): KbIndex {
    const index = new KbIndex();
    index.pages = new Array<null>(parts.pageCount).fill(null);
    index.livePages = parts.pageCount;
    index.pageByPath = undefined;
    index.pageOf = parts.pageOf;
    index.lensStore = undefined;
    index.liveSections = parts.pageOf.length;
    index.lenSums = [...parts.lenSums];
    index.totalDf = parts.totalDf;
    index.maxTermLength = parts.maxTermLength;
    index.frozen = parts.frozen;
    return index;
  }

  /** Field lengths (term counts): `lens[id * FIELD_COUNT + f]`. */
  get lens(): number[] | Uint32Array {
    this.lensStore ??= this.frozen!.lens();
    return this.lensStore;
  }

  get sectionSlots(): number {
    return this.pageOf.length;
  }

  /** Whether section `id` belongs to a live page (ids of removed pages are not reused). */
  isLiveSection(id: number): boolean {
    return id >= 0 && id < this.pageOf.length && this.pageOf[id] !== DEAD;
  }

  /** Number of page slots (live and removed): page numbers are below it. */
  get pageSlots(): number {
    return this.pages.length;
  }

  get pageCount(): number {
    return this.livePages;
  }

  /** Number of distinct terms. */
  get termCount(): number {
    if (this.frozen && this.version === 0) return this.frozen.termCount;
    this.thaw();
    return this.postings.size;
  }

  /** A page by number, or undefined once removed. */
  page(index: number): PageRecord | undefined {
    const p = this.pages[index];
    if (p !== null) return p;
    const decoded = this.frozen!.page(index);
    this.pages[index] = decoded;
    return decoded;
  }

  /** Live pages in index order. */
  *livePageRecords(): IterableIterator<PageRecord> {
    for (let i = 0; i < this.pages.length; i++) {
      const p = this.page(i);
      if (p) yield p;
    }
  }

  private byPath(): Map<string, number> {
    if (!this.pageByPath) {
      this.pageByPath = new Map();
      for (let i = 0; i < this.pages.length; i++) {
        const p = this.page(i);
        if (p) this.pageByPath.set(p.path, i);
      }
    }
    return this.pageByPath;
  }

  hasPage(path: string): boolean {
    return this.byPath().has(path);
  }

  /** True when the page at this path was indexed from exactly this content. */
  hasSamePage(page: Page, digest: string = pageDigest(page)): boolean {
    const at = this.byPath().get(page.path);
    return at !== undefined && this.page(at)?.digest === digest;
  }

  /** The posting of a term, or undefined when no live section has it. */
  posting(term: string): Posting | undefined {
    const p = this.postings.get(term);
    if (p !== undefined && isBuilder(p)) {
      const sealed = sealPosting(p);
      this.postings.set(term, sealed);
      return sealed;
    }
    if (p !== undefined || !this.frozen) return p;
    const i = this.frozen.findTerm(term);
    if (i < 0) return undefined;
    const decoded = this.frozen.posting(i);
    this.postings.set(term, decoded);
    return decoded;
  }

  /**
   * The posting of a term ready for scoring. A term still in the file is decoded in one pass
   * into ids and impacts (no field counts, nothing kept here): the first query after a cold
   * start reads each posting once instead of three times.
   */
  scoredPosting(term: string, norms: Float32Array, k1: number): Posting | undefined {
    if (this.postings.has(term) || !this.frozen) return this.posting(term);
    const i = this.frozen.findTerm(term);
    return i < 0 ? undefined : this.frozen.scored(i, norms, k1);
  }

  /** Document frequency of a term without decoding its posting (0 when absent). */
  df(term: string): number {
    const p = this.postings.get(term);
    if (p !== undefined) return p.ids.length;
    if (!this.frozen) return 0;
    const i = this.frozen.findTerm(term);
    return i < 0 ? 0 : this.frozen.df(i);
  }

  /** Heading and anchor of a section. */
  sectionHead(id: number): { heading: string; anchor: string } {
    const own = this.strings.get(id);
    if (own) return own;
    let head = this.headCache.get(id);
    if (!head) {
      if (!this.frozen) throw new Error(`section ${id} is not in the index`);
      if (this.headCache.size >= 65536) this.headCache.clear();
      head = this.frozen.sectionHead(id);
      this.headCache.set(id, head);
    }
    return head;
  }

  /** Heading, anchor and text of a section. */
  sectionStrings(id: number): SectionStrings {
    const own = this.strings.get(id);
    if (own) return own;
    let text = this.textCache.get(id);
    if (text === undefined) {
      if (!this.frozen) throw new Error(`section ${id} is not in the index`);
      if (this.textCache.size >= 2048) this.textCache.clear();
      text = this.frozen.sectionText(id);
      this.textCache.set(id, text);
    }
    return { ...this.sectionHead(id), text };
  }

  /** Adds a page; the caller has removed any page with the same path first. */
  addPage(page: Page, analyze: (section: Section, page: Page) => FieldTerms, digest: string = pageDigest(page)): void {
    const byPath = this.byPath();
    const pageIndex = this.pages.length;
    const record: PageRecord = { path: page.path, title: page.title, url: page.url, sections: [], digest };
    this.pages.push(record);
    byPath.set(page.path, pageIndex);
    this.livePages++;
    this.mutable();
    const pageOf = this.pageOf as number[];
    const lens = this.lens as number[];
    for (const section of page.sections) {
      const id = pageOf.length;
      const fields = analyze(section, page);
      pageOf.push(pageIndex);
      record.sections.push(id);
      this.strings.set(id, { heading: section.heading, anchor: section.anchor, text: section.text });
      const { lengths, counts } = countFieldTerms(fields);
      for (let f = 0; f < FIELD_COUNT; f++) {
        lens.push(lengths[f]!);
        this.lenSums[f]! += lengths[f]!;
      }
      for (const [term, c] of counts) {
        let p = this.postings.get(term) ?? this.posting(term);
        if (!p || !isBuilder(p)) {
          p = p ? thawPosting(p) : { ids: [], tfs: [] };
          this.postings.set(term, p);
        }
        p.ids.push(id);
        p.tfs.push(c[0]!, c[1]!, c[2]!, c[3]!);
        if (!isBigram(term)) {
          this.totalDf++;
          if (term.length > this.maxTermLength) this.maxTermLength = term.length;
        }
      }
      this.liveSections++;
    }
    this.version++;
  }

  /** Removes pages by path and sweeps their sections out of every posting; returns how many went. */
  removePages(paths: readonly string[]): number {
    const byPath = this.byPath();
    let removed = 0;
    for (const path of paths) {
      const pageIndex = byPath.get(path);
      if (pageIndex === undefined) continue;
      const record = this.page(pageIndex)!;
      this.mutable();
      for (const id of record.sections) {
        for (let f = 0; f < FIELD_COUNT; f++) this.lenSums[f]! -= this.lens[id * FIELD_COUNT + f]!;
        this.pageOf[id] = DEAD;
        this.strings.delete(id);
        this.liveSections--;
      }
      this.pages[pageIndex] = undefined;
      byPath.delete(path);
      this.livePages--;
      removed++;
    }
    if (removed === 0) return 0;
    this.thaw();
    let totalDf = 0;
    for (const [term, p] of this.postings) {
      const kept = filterPosting(p, (id) => this.pageOf[id] !== DEAD);
      if (kept) {
        this.postings.set(term, kept);
        if (!isBigram(term)) totalDf += kept.ids.length;
      } else this.postings.delete(term);
    }
    this.totalDf = totalDf;
    this.version++;
    return removed;
  }

  /** Every term with its posting (decodes the whole index). */
  *entries(): IterableIterator<[string, Posting]> {
    this.thaw();
    for (const term of this.postings.keys()) yield [term, this.posting(term)!];
  }

  /** Turns typed arrays from a file into growable ones before a change. */
  private mutable(): void {
    if (!Array.isArray(this.pageOf)) this.pageOf = Array.from(this.pageOf);
    if (!Array.isArray(this.lens)) this.lensStore = Array.from(this.lens);
  }

  /** Decodes everything still in the file, so the file is no longer needed. */
  private thaw(): void {
    const frozen = this.frozen;
    if (!frozen) return;
    for (let i = 0; i < frozen.termCount; i++) {
      const term = frozen.termAt(i);
      if (!this.postings.has(term)) this.postings.set(term, frozen.posting(i));
    }
    for (let i = 0; i < this.pages.length; i++) this.page(i);
    void this.lens;
    for (let id = 0; id < this.pageOf.length; id++) {
      if (this.pageOf[id] !== DEAD && !this.strings.has(id)) this.strings.set(id, this.sectionStrings(id));
    }
    this.headCache.clear();
    this.textCache.clear();
    this.frozen = undefined;
  }
}
