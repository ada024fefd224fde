/**
 * The coordination factor of the scorer: a section's score is multiplied by the share of query
 * clauses it matched, raised to an exponent. Kept apart so the bounds that MaxScore pruning
 * relies on stay next to the factor they bound.
 */

/** The coordination factor by number of clauses matched, and the bounds it allows. */
export interface Coordination {
  /** `factor[m]`: the score multiplier of a section that matched `m` clauses (bits). */
  factor: Float64Array;
  /** True when the factor never exceeds 1 and grows with `m` (a non-negative exponent). */
  lowers: boolean;
  /** Most a section can end with: `total` to come, `bits` clauses matched and `pending` more to come. */
  bound(total: number, bits: number, pending: number): number;
}

/** The factor and bounds for a query of `queryClauses` clauses and the scorer's exponent. */
export function coordinationTable(queryClauses: number, exponent: number): Coordination {
  // Clauses past 31 share a bit, so at most 32 count.
  const clauses = Math.min(queryClauses, 32);
  const factor = new Float64Array(clauses + 1);
  for (let m = 0; m <= clauses; m++) factor[m] = clauses > 0 ? Math.pow(m / clauses, exponent) : 1;
  const lowers = exponent >= 0;
  return {
    factor,
    lowers,
    // A negative exponent favours fewer matches (0 matched is infinite): nothing to bound with.
    bound: lowers ? (total, bits, pending) => total * factor[Math.min(bits + pending, clauses)]! : () => Infinity,
  };
}

/** Set bits of every byte: the usual clause masks (up to 8 clauses) without a call per section. */
const BITS = Uint8Array.from({ length: 256 }, (_, m) => popcount(m));

/** Number of clauses in a clause bit set. */
export function clauseCount(mask: number): number {
  return mask < 256 ? BITS[mask]! : popcount(mask);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
