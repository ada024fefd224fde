/**
 * "did you mean" for a misspelt field: the known name closest to `given` — same letters in
 * another case or with `_`/`-` for camelCase, or within a small edit distance (one edit for
 * short names, two from six letters, three from twelve). Undefined when nothing is close, so a
 * message never suggests something unrelated.
 *
 * @example didYouMean('ackBudgetMS', ['ackBudgetMs', 'logLevel']) // 'ackBudgetMs'
 */
export function didYouMean(given: string, known: Iterable<string>): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const limit = given.length >= 12 ? 3 : given.length >= 6 ? 2 : 1;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = norm(name) === norm(given) ? 0 : editDistance(given.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** ` (did you mean "x"?)`, or nothing. */
export function didYouMeanSuffix(given: string, known: Iterable<string>): string {
  const match = didYouMean(given, known);
  return match ? ` (did you mean "${match}"?)` : '';
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
