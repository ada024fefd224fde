import type { ParsedQuery } from '../text/query.js';
import { FIELD_COUNT, type RankingParams } from './fields.js';
import { clauseCount, coordinationTable, type Coordination } from './coordination.js';
import type { Posting } from './posting.js';

/** A page in the ranking, with the section that earned its score. */
export interface RankedPage {
  page: number;
  section: number;
  score: number;
}

/** Where scoring finds postings: the in-memory index, or postings fetched from PostgreSQL. */
export interface ScoringSource {
  /** Number of live sections (N in IDF). */
  readonly liveSections: number;
  posting(term: string): Posting | undefined;
  /**
   * A posting with impacts computed for these norms, when the source can do it cheaply. Such
   * a source is the scorer's own index: its postings are cached between queries.
   */
  scoredPosting?(term: string, norms: Float32Array, k1: number): Posting | undefined;
}

/** Per-section data scoring needs: the page of a section and its field-length norms. */
export interface SectionNorms {
  pageOf: ArrayLike<number>;
  /** `norms[id * FIELD_COUNT + f]` = field weight / BM25 length normalization. */
  norms: Float32Array;
  pageSlots: number;
}

interface PreparedTerm {
  ids: Int32Array;
  imp: Uint16Array;
  /** Query weight × IDF × the value of one impact step. */
  w: number;
}

interface PreparedClause {
  alternatives: PreparedTerm[][];
  /** The most this clause can add to one section. */
  bound: number;
  /** Number of posting entries. */
  volume: number;
  bit: number;
}

/**
 * Pruning is tested once the postings left hold this many entries per section found: below,
 * adding them in full is cheaper than the test (a pass over the sections found).
 */
const LOOKUP_VOLUME = 16;

/** Index of `d` in ascending `ids`, or -1. */
function search(ids: Int32Array, d: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid]!;
    if (v === d) return mid;
    if (v < d) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** BM25 IDF (the +1 inside the log keeps it positive for very common terms). */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * Impacts are kept as steps of `(k1 + 1) / IMPACT_STEPS`: a BM25 impact `(k1 + 1) · tf / (k1 + tf)`
 * lies in [0, k1 + 1), so 16 bits hold it to 1/65,535 of its range. Every backend scores with the
 * same steps (the index file stores them, PostgreSQL and the in-memory index compute them), so
 * ranking stays identical everywhere, and the file stores 2 bytes per entry instead of 4.
 */
export const IMPACT_STEPS = 65535;

/** The score one impact step is worth, for a term of weight `w`. */
export function stepValue(w: number, k1: number): number {
  return (w * (k1 + 1)) / IMPACT_STEPS;
}

/** Impact step of a saturated, length-normalized term frequency `tf`. */
export function stepOfTf(tf: number, k1: number): number {
  return Math.round((IMPACT_STEPS * tf) / (k1 + tf));
}

/**
 * Impact step of one posting entry, with tf its field counts `tfs[o …]` times the section's
 * length norms `norms[base …]`. One formula, so a loaded index scores exactly like the one
 * that wrote it.
 */
export function impactStep(tfs: ArrayLike<number>, o: number, norms: Float32Array, base: number, k1: number): number {
  const tf = tfs[o]! * norms[base]! + tfs[o + 1]! * norms[base + 1]! + tfs[o + 2]! * norms[base + 2]! + tfs[o + 3]! * norms[base + 3]!;
  return stepOfTf(tf, k1);
}

/** Computes the per-section norms of BM25F from field lengths. */
export function computeNorms(lens: ArrayLike<number>, lenSums: readonly number[], live: number, params: RankingParams): Float32Array {
  const slots = Math.floor(lens.length / FIELD_COUNT);
  const out = new Float32Array(slots * FIELD_COUNT);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const avg = live > 0 ? Math.max(lenSums[f]! / live, 1e-6) : 1;
    const w = params.weights[f]!;
    const b = params.b[f]!;
    for (let id = 0; id < slots; id++) {
      out[id * FIELD_COUNT + f] = w / (1 - b + (b * lens[id * FIELD_COUNT + f]!) / avg);
    }
  }
  return out;
}

/**
 * BM25F over sections with query clauses (a clause scores its best alternative), a
 * coordination factor for the share of clauses a section matches, and pages ranked by their
 * best section (a page is as good as its best answer, not the sum of its mentions). Buffers are reused between queries: one scorer serves one index, one query at a time.
 */
export class Scorer {
  private total = new Float64Array(0);
  private matched = new Uint32Array(0);
  private docStamp = new Uint32Array(0);
  private clauseStamp = new Uint32Array(0);
  private altAcc = new Float64Array(0);
  private altStamp = new Uint32Array(0);
  private clauseBest = new Float64Array(0);
  private docs = new Int32Array(0);
  private list = new Int32Array(0);
  private stamp = 0;
  private pageStamp = new Uint32Array(0);
  // The best pages of a query so far, sorted (see selectPages).
  private topPage = new Int32Array(0);
  private topSection = new Int32Array(0);
  private topScore = new Float64Array(0);
  // Impact steps per posting, computed on first use of a term. They depend on the length
  // norms, so a new norms array (the index changed) drops them all.
  private impacts = new WeakMap<Posting, Uint16Array>();
  private maxImpacts = new WeakMap<Posting, number>();
  private impactNorms: Float32Array | undefined;
  // Postings by term, ready for scoring, for sources with `scoredPosting` (dropped with the norms).
  private terms = new Map<string, Posting | null>();

  private postingOf(term: string, source: ScoringSource, norms: Float32Array): Posting | undefined {
    if (!source.scoredPosting) return source.posting(term);
    if (this.impactNorms !== norms) {
      this.impacts = new WeakMap();
      this.maxImpacts = new WeakMap();
      this.terms.clear();
      this.impactNorms = norms;
    }
    let p = this.terms.get(term);
    if (p === undefined) {
      p = source.scoredPosting(term, norms, this.params.k1) ?? null;
      if (this.terms.size >= 65536) this.terms.clear();
      this.terms.set(term, p);
    }
    return p ?? undefined;
  }

  constructor(private readonly params: RankingParams) {}

  private ensure(slots: number, pageSlots: number): void {
    if (this.total.length < slots) {
      const size = Math.max(slots, this.total.length * 2, 1024);
      this.total = new Float64Array(size);
      this.matched = new Uint32Array(size);
      this.docStamp = new Uint32Array(size);
      this.docs = new Int32Array(size);
      // Buffers of synonym clauses only: allocated when a query first has one.
      this.clauseStamp = new Uint32Array(0);
      this.altAcc = new Float64Array(0);
      this.altStamp = new Uint32Array(0);
      this.clauseBest = new Float64Array(0);
      this.list = new Int32Array(0);
    }
    // New arrays start at zero and stamps keep counting, so no stale stamp in an array that
    // was kept can equal a coming one.
    if (this.pageStamp.length < pageSlots) this.pageStamp = new Uint32Array(Math.max(pageSlots, this.pageStamp.length * 2, 256));
  }

  private nextStamp(): number {
    if (this.stamp >= 0xfffffff0) {
      this.docStamp.fill(0);
      this.clauseStamp.fill(0);
      this.altStamp.fill(0);
      this.pageStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /** Impact steps per posting entry (see impactStep). */
  private impactsOf(p: Posting, norms: Float32Array): Uint16Array {
    if (p.steps) return p.steps;
    if (this.impactNorms !== norms) {
      this.impacts = new WeakMap();
      this.maxImpacts = new WeakMap();
      this.terms.clear();
      this.impactNorms = norms;
    }
    let out = this.impacts.get(p);
    if (out && out.length === p.ids.length) return out;
    const { k1 } = this.params;
    const { ids, tfs } = p;
    out = new Uint16Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = impactStep(tfs, i * FIELD_COUNT, norms, ids[i]! * FIELD_COUNT, k1);
    this.impacts.set(p, out);
    return out;
  }

  /** Largest impact step of a posting (cached with it): the most one entry can add. */
  private maxImpact(p: Posting, imp: Uint16Array): number {
    if (p.maxStep !== undefined) return p.maxStep;
    let m = this.maxImpacts.get(p);
    if (m === undefined) {
      m = 0;
      for (let i = 0; i < imp.length; i++) if (imp[i]! > m) m = imp[i]!;
      this.maxImpacts.set(p, m);
    }
    return m;
  }

  /** Scores sections and returns the best `limit` pages, best first. */
  rank(query: ParsedQuery, source: ScoringSource, sections: SectionNorms, limit: number): RankedPage[] {
    this.ensure(sections.pageOf.length, sections.pageSlots);
    const n = source.liveSections;
    const queryStamp = this.nextStamp();
    let docCount = 0;
    // Resolve every clause: its postings with weights, and an upper bound of what it can add.
    const clauses: PreparedClause[] = query.clauses.map((clause, c) => {
      let bound = 0;
      let volume = 0;
      const alternatives = clause.alternatives.map((alternative) => {
        let altBound = 0;
        const terms: PreparedTerm[] = [];
        for (const { term, weight } of alternative) {
          const p = this.postingOf(term, source, sections.norms);
          if (!p || p.ids.length === 0) continue;
          const imp = this.impactsOf(p, sections.norms);
          const w = stepValue(weight * idf(p.ids.length, n), this.params.k1);
          terms.push({ ids: p.ids, imp, w });
          volume += p.ids.length;
          altBound += w * this.maxImpact(p, imp);
        }
        bound = Math.max(bound, altBound);
        return terms;
      });
      // `matched` is a bit set of the clauses a section matched (clauses past 31 share a bit).
      return { alternatives, bound, volume, bit: (1 << Math.min(c, 31)) >>> 0 };
    });
    // Rare clauses first (MaxScore): once the clauses left cannot lift an unseen section above
    // the current `limit`-th page, they only add to sections already found, and sections that
    // cannot reach that page even with every clause left drop out. Exact: partial scores only
    // grow, and an unseen section cannot exceed what is left, at the coordination of matching
    // every clause left and nothing else.
    const prune = source.scoredPosting !== undefined;
    const sorted = prune ? [...clauses].sort((a, b) => b.bound - a.bound) : clauses;
    const coord = coordinationTable(query.clauses.length, this.params.coordination);
    let left = sorted.reduce((a, c) => a + c.bound, 0);
    let volume = sorted.reduce((a, c) => a + c.volume, 0);
    // Clauses still to add that can match anything.
    let pending = sorted.reduce((a, c) => a + (c.volume > 0 ? 1 : 0), 0);
    let lookup = false;
    let threshold = 0;
    // No section has more than the bounds of the clauses added so far, nor has the threshold.
    let done = 0;
    for (const clause of sorted) {
      // Test only when it may pass and the postings left are long next to the sections found:
      // the test costs a pass over those sections.
      if (prune && !lookup && docCount >= limit && volume > LOOKUP_VOLUME * docCount) {
        const unseen = coord.bound(left, 0, pending);
        if (unseen < done) {
          threshold = this.kthScore(docCount, sections, coord, limit);
          lookup = unseen < threshold;
        }
      }
      done += clause.bound;
      left -= clause.bound;
      volume -= clause.volume;
      if (lookup) {
        docCount = this.dropHopeless(docCount, threshold, clause.bound + left, pending, coord);
        // A few sections against long postings: binary searches; else one pass over the postings.
        if (docCount * 4 * Math.log2(clause.volume + 2) < clause.volume) this.addByLookup(clause, docCount);
        else if (clause.alternatives.length === 1) this.addClause(clause, queryStamp, docCount, true);
        else this.addAlternatives(clause, queryStamp, docCount, true);
      } else if (clause.alternatives.length === 1) docCount = this.addClause(clause, queryStamp, docCount, false);
      else docCount = this.addAlternatives(clause, queryStamp, docCount, false);
      if (clause.volume > 0) pending--;
    }
    return this.pages(docCount, sections, coord, limit);
  }

  /**
   * Adds a one-alternative clause straight into the totals; returns the new list length. With
   * `foundOnly`, only sections already found get it.
   */
  private addClause(clause: PreparedClause, queryStamp: number, docCountIn: number, foundOnly: boolean): number {
    const { total, matched, docStamp, docs } = this;
    const bit = clause.bit;
    let docCount = docCountIn;
    for (const { ids, imp, w } of clause.alternatives[0]!) {
      for (let i = 0; i < ids.length; i++) {
        const d = ids[i]!;
        if (docStamp[d] !== queryStamp) {
          if (foundOnly) continue;
          docStamp[d] = queryStamp;
          total[d] = 0;
          matched[d] = 0;
          docs[docCount++] = d;
        }
        total[d]! += w * imp[i]!;
        matched[d]! |= bit;
      }
    }
    return docCount;
  }

  /**
   * Drops the sections that cannot reach `threshold` even with `left` more and `pending` more
   * clauses matched: their page can only rank through another section. They leave the list and
   * lose their stamp, so no clause adds to them again. Returns the new list length.
   */
  private dropHopeless(docCount: number, threshold: number, left: number, pending: number, coord: Coordination): number {
    const { total, matched, docs, docStamp } = this;
    // A relative margin, so that rounding in the bounds never drops a section that ties.
    const floor = threshold - Math.abs(threshold) * 1e-9;
    let kept = 0;
    for (let k = 0; k < docCount; k++) {
      const d = docs[k]!;
      const m = matched[d]!;
      if (coord.bound(total[d]! + left, clauseCount(m), pending) < floor) docStamp[d] = 0;
      else docs[kept++] = d;
    }
    return kept;
  }

  /** Adds a clause to the sections already found, finding each in the postings by binary search. */
  private addByLookup(clause: PreparedClause, docCount: number): void {
    const { total, matched, docs } = this;
    for (let k = 0; k < docCount; k++) {
      const d = docs[k]!;
      let best = 0;
      for (const terms of clause.alternatives) {
        let sum = 0;
        for (const { ids, imp, w } of terms) {
          const i = search(ids, d);
          if (i >= 0) sum += w * imp[i]!;
        }
        if (sum > best) best = sum;
      }
      if (best > 0) {
        total[d]! += best;
        matched[d]! |= clause.bit;
      }
    }
  }

  /**
   * Adds a clause with several alternatives (synonyms): each section takes its best one. With
   * `foundOnly`, only sections already found get it.
   */
  private addAlternatives(clause: PreparedClause, queryStamp: number, docCountIn: number, foundOnly: boolean): number {
    const { total, matched, docStamp, docs } = this;
    let docCount = docCountIn;
    if (this.altAcc.length < total.length) {
      this.clauseStamp = new Uint32Array(total.length);
      this.altAcc = new Float64Array(total.length);
      this.altStamp = new Uint32Array(total.length);
      this.clauseBest = new Float64Array(total.length);
      this.list = new Int32Array(total.length);
    }
    const { clauseStamp, altAcc, altStamp, clauseBest, list } = this;
    const cStamp = this.nextStamp();
    let listCount = 0;
    for (const terms of clause.alternatives) {
      if (terms.length === 1) {
        // One term (most synonyms): its value is the alternative's, no per-alternative sum.
        const { ids, imp, w } = terms[0]!;
        for (let i = 0; i < ids.length; i++) {
          const d = ids[i]!;
          const v = w * imp[i]!;
          if (clauseStamp[d] !== cStamp) {
            clauseStamp[d] = cStamp;
            clauseBest[d] = v;
            list[listCount++] = d;
          } else if (v > clauseBest[d]!) clauseBest[d] = v;
        }
        continue;
      }
      const aStamp = this.nextStamp();
      for (const { ids, imp, w } of terms) {
        for (let i = 0; i < ids.length; i++) {
          const d = ids[i]!;
          if (altStamp[d] !== aStamp) {
            altStamp[d] = aStamp;
            altAcc[d] = 0;
            if (clauseStamp[d] !== cStamp) {
              clauseStamp[d] = cStamp;
              clauseBest[d] = 0;
              list[listCount++] = d;
            }
          }
          altAcc[d]! += w * imp[i]!;
          if (altAcc[d]! > clauseBest[d]!) clauseBest[d] = altAcc[d]!;
        }
      }
    }
    for (let k = 0; k < listCount; k++) {
      const d = list[k]!;
      if (docStamp[d] !== queryStamp) {
        if (foundOnly) continue;
        docStamp[d] = queryStamp;
        total[d] = 0;
        matched[d] = 0;
        docs[docCount++] = d;
      }
      total[d]! += clauseBest[d]!;
      matched[d]! |= clause.bit;
    }
    return docCount;
  }

  /**
   * Selects the best `limit` pages, each ranked by its best section, into `topPage`,
   * `topSection` and `topScore` (best first); returns how many there are.
   *
   * One pass keeps them sorted in place; once the list is full, a section whose total (its
   * score before coordination, which only lowers it) cannot beat the last page is passed over
   * after a single comparison: most sections of a common-word query. Nothing is allocated.
   */
  private selectPages(docCount: number, sections: SectionNorms, coordination: Coordination, limit: number): number {
    if (this.topScore.length <= limit) {
      this.topPage = new Int32Array(limit + 1);
      this.topSection = new Int32Array(limit + 1);
      this.topScore = new Float64Array(limit + 1);
    }
    const { total, matched, docs, pageStamp, topPage, topSection, topScore } = this;
    const { factor: coord, lowers: totalBounds } = coordination;
    // `pageStamp[page] === pStamp`: the page is in the list.
    const pStamp = this.nextStamp();
    let n = 0;
    let floor = -Infinity;
    for (let k = 0; k < docCount; k++) {
      const d = docs[k]!;
      const t = total[d]!;
      if (totalBounds && t <= floor) continue;
      const m = matched[d]!;
      const score = t * coord[clauseCount(m)]!;
      if (score <= floor) continue;
      const page = sections.pageOf[d]!;
      if (pageStamp[page] === pStamp) {
        // The page is listed through another section: keep the better one (the first on a tie).
        let at = 0;
        while (topPage[at] !== page) at++;
        if (score <= topScore[at]!) continue;
        for (n--; at < n; at++) {
          topPage[at] = topPage[at + 1]!;
          topSection[at] = topSection[at + 1]!;
          topScore[at] = topScore[at + 1]!;
        }
      }
      // Insert after the pages of equal score: the first found stays first.
      let at = n;
      for (; at > 0 && topScore[at - 1]! < score; at--) {
        topPage[at] = topPage[at - 1]!;
        topSection[at] = topSection[at - 1]!;
        topScore[at] = topScore[at - 1]!;
      }
      topPage[at] = page;
      topSection[at] = d;
      topScore[at] = score;
      pageStamp[page] = pStamp;
      if (++n > limit) pageStamp[topPage[--n]!] = 0;
      if (n === limit) floor = topScore[limit - 1]!;
    }
    return n;
  }

  /** The best `limit` pages, best first. */
  private pages(docCount: number, sections: SectionNorms, coordination: Coordination, limit: number): RankedPage[] {
    const n = this.selectPages(docCount, sections, coordination, limit);
    const out: RankedPage[] = [];
    for (let i = 0; i < n; i++) out.push({ page: this.topPage[i]!, section: this.topSection[i]!, score: this.topScore[i]! });
    return out;
  }

  /** Score of the `limit`-th page (0 when fewer pages are known): the threshold of the MaxScore test. */
  private kthScore(docCount: number, sections: SectionNorms, coordination: Coordination, limit: number): number {
    return this.selectPages(docCount, sections, coordination, limit) >= limit ? this.topScore[limit - 1]! : 0;
  }
}
