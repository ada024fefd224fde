/**
 * Product nicknames mined from the corpus itself, the way a reader learns them: documentation
 * introduces a product as `云联网（Cloud Connect Network，CCN）` or `对象存储（COS）`. Each
 * abbreviation becomes a synonym of the Chinese name before the bracket. Nothing here is
 * written from the benchmark's questions.
 */

const DEFINITION = /([\u4e00-\u9fff]{2,12})\s?[（(](?:[A-Za-z][A-Za-z ]{2,60}[，,]\s?)?([A-Z][A-Za-z]{1,7})[）)]/g;
/** Characters that start no product name but often precede one (`的私有网络`, `在云服务器`). */
const LEADING = /^[的在和与将及或从是了即把]+/;
/** Abbreviations that are units or general terms, not products. */
const NOT_PRODUCTS = new Set(['GB', 'MB', 'TB', 'KB', 'SQL', 'GMT', 'MIME', 'KEY', 'CMD', 'ID', 'IP', 'OK', 'API']);

/** Counts `(name, abbreviation)` pairs over texts; returns synonym groups `[name, abbr]`. */
export function mineNicknames(texts: Iterable<string>, minCount = 2): string[][] {
  const bySuffix = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const m of text.matchAll(DEFINITION)) {
      const run = m[1]!;
      const abbr = m[2]!.toUpperCase();
      if (NOT_PRODUCTS.has(abbr)) continue;
      let counts = bySuffix.get(abbr);
      if (!counts) bySuffix.set(abbr, (counts = new Map()));
      const chars = Array.from(run);
      for (let len = 2; len <= chars.length; len++) {
        const suffix = chars.slice(chars.length - len).join('');
        counts.set(suffix, (counts.get(suffix) ?? 0) + 1);
      }
    }
  }
  const groups: string[][] = [];
  for (const [abbr, counts] of bySuffix) {
    // Start from the commonest two characters before the bracket and extend to the left while
    // most definitions still share the longer name: 存储 → 象存储 → 对象存储, not 腾讯云对象存储.
    let name = '';
    let count = 0;
    for (const [suffix, n] of counts) if (Array.from(suffix).length === 2 && n > count) [name, count] = [suffix, n];
    if (count < minCount) continue;
    for (;;) {
      let next = '';
      let nextCount = 0;
      for (const [suffix, n] of counts) {
        if (suffix.length === name.length + 1 && suffix.endsWith(name) && n > nextCount) [next, nextCount] = [suffix, n];
      }
      if (!next || nextCount * 2 < count) break;
      [name, count] = [next, nextCount];
    }
    name = name.replace(LEADING, '').replace(/^腾讯云/, '');
    if (Array.from(name).length >= 2) groups.push([name, abbr.toLowerCase()]);
  }
  return groups;
}
