/**
 * Learned names as whole index terms. jieba splits names its dictionary lacks (`云函数` →
 * `云` + `函数`, `云服务器` → `云` + `服务器`), so a query for the name matched a common
 * character and a common word, anywhere. Indexing the name as one more term, next to jieba's
 * words, gives the query's segmentation (which follows the index's vocabulary) a rare, exact
 * term to pick.
 */

/** Finds learned names in CJK text. */
export interface NameMatcher {
  /** Every name occurring in `run`, once per occurrence, overlapping ones included. */
  find(run: string, out: string[]): void;
}

/** A matcher over `names` (normalized CJK strings); names are looked up by first character. */
export function nameMatcher(names: readonly string[]): NameMatcher | undefined {
  if (names.length === 0) return undefined;
  const byFirst = new Map<string, string[]>();
  for (const name of names) {
    const first = name[0]!;
    let list = byFirst.get(first);
    if (!list) byFirst.set(first, (list = []));
    list.push(name);
  }
  return {
    find(run, out) {
      for (let i = 0; i < run.length; i++) {
        const list = byFirst.get(run[i]!);
        if (!list) continue;
        for (const name of list) if (run.startsWith(name, i)) out.push(name);
      }
    },
  };
}

const CJK_NAME = /^[\u4e00-\u9fff]{3,10}$/;

/**
 * Names worth indexing whole among some strings (group names, synonym members): CJK strings of
 * three to ten characters that `terms` (the analyzer) does not already emit as one term.
 */
export function splitNames(strings: Iterable<string>, terms: (text: string) => string[]): string[] {
  const out = new Set<string>();
  for (const s of strings) if (CJK_NAME.test(s) && !out.has(s) && !terms(s).includes(s)) out.add(s);
  return [...out].sort();
}
