import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/search/core/fields.js';
import { KbIndex, type FieldTerms } from '../../src/search/core/kb-index.js';
import { computeNorms, Scorer } from '../../src/search/core/scorer.js';
import type { Clause, ParsedQuery } from '../../src/search/text/query.js';

// Deterministic pseudo-random numbers (mulberry32), so failures reproduce.
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = Array.from({ length: 60 }, (_, i) => `w${i}`);

describe('scorer pruning', () => {
  // Zipf-like word frequencies: w0 is in most sections, w59 in a few.
  const random = rng(42);
  const pick = () => WORDS[Math.min(WORDS.length - 1, Math.floor(-Math.log(1 - random()) * 8))]!;
  const kb = new KbIndex();
  for (let p = 0; p < 600; p++) {
    const sections = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, s) => ({ heading: `h${s}`, path: [], anchor: '', text: '' }));
    kb.addPage({ path: `p${p}.md`, title: `t${p}`, url: '', sections }, (): FieldTerms => [
      [pick()],
      Array.from({ length: 1 + Math.floor(random() * 3) }, pick),
      [],
      Array.from({ length: 5 + Math.floor(random() * 40) }, pick),
    ]);
  }
  const norms = computeNorms(kb.lens, kb.lenSums, kb.liveSections, DEFAULT_PARAMS);
  const sections = { pageOf: kb.pageOf, norms, pageSlots: kb.pageSlots };
  const clause = (...terms: string[]): Clause => ({ alternatives: [terms.map((term) => ({ term, weight: 1 }))], surface: terms });

  it.each([1, 0, 2.5])('ranks exactly as exhaustive scoring does, on random queries (coordination %d)', (coordination) => {
    const params = { ...DEFAULT_PARAMS, coordination };
    for (let q = 0; q < 300; q++) {
      const size = 1 + Math.floor(random() * 7);
      // A rare word with common ones: the case pruning is for.
      const clauses: Clause[] = [clause(WORDS[30 + Math.floor(random() * 30)]!), ...Array.from({ length: size }, () => clause(pick()))];
      if (random() < 0.3) clauses.push({ alternatives: [[{ term: pick(), weight: 1 }], [{ term: pick(), weight: 0.8 }]], surface: [] });
      const query: ParsedQuery = { clauses };
      const limit = 1 + Math.floor(random() * 12);
      const pruned = new Scorer(params).rank(query, kb, sections, limit);
      // A source without `scoredPosting` is scored exhaustively.
      const full = new Scorer(params).rank(query, { liveSections: kb.liveSections, posting: (t) => kb.posting(t) }, sections, limit);
      expect(pruned.map((r) => [r.page, r.section])).toEqual(full.map((r) => [r.page, r.section]));
      pruned.forEach((r, i) => expect(r.score).toBeCloseTo(full[i]!.score, 9));
    }
  });

  it('ranks a grown index like a fresh scorer does (buffers grown between queries)', () => {
    // 200 pages of five sections: under the first section buffer (1024), within the page one
    // (256), so growing the index replaces the section buffers and keeps the page ones.
    const grown = new KbIndex();
    const addPages = (from: number, to: number) => {
      for (let p = from; p < to; p++) {
        const sections = Array.from({ length: 5 }, (_, s) => ({ heading: `h${s}`, path: [], anchor: '', text: '' }));
        const body = p === 0 ? ['rare', 'common'] : ['common'];
        grown.addPage({ path: `g${p}.md`, title: `g${p}`, url: '', sections }, (): FieldTerms => [[], [], [], body]);
      }
    };
    const rankWith = (scorer: Scorer, word: string) => {
      const n = computeNorms(grown.lens, grown.lenSums, grown.liveSections, DEFAULT_PARAMS);
      return scorer.rank({ clauses: [clause(word)] }, grown, { pageOf: grown.pageOf, norms: n, pageSlots: grown.pageSlots }, 50);
    };
    addPages(0, 200);
    const reused = new Scorer(DEFAULT_PARAMS);
    // Every page gets the stamps of the first query; later ones touch one page only.
    rankWith(reused, 'common');
    for (let q = 0; q < 40; q++) rankWith(reused, 'rare');
    addPages(200, 210);
    const want = rankWith(new Scorer(DEFAULT_PARAMS), 'common');
    expect(want).toHaveLength(50);
    expect(rankWith(reused, 'common')).toEqual(want);
  });
});
