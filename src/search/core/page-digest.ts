import type { Page } from '../types.js';

/**
 * A fingerprint of everything indexing reads from a page (title, URL, each section's heading,
 * heading path, anchor and text). An index keeps it per page, so re-indexing a folder skips the
 * pages that did not change instead of running jieba over them again.
 *
 * A 64-bit hash written here rather than node:crypto: this module is part of every index
 * reader, and loading node:crypto measured 4–10 ms of a 50 ms cold start. Change detection
 * needs no cryptographic strength, only that two versions of a page almost never collide.
 */
export function pageDigest(page: Page): string {
  return hash64(JSON.stringify([page.title, page.url, page.sections.map((s) => [s.heading, s.path, s.anchor, s.text])]));
}

/** The last page given for each path, with its digest: what an engine compares with what it holds. */
export function latestWithDigests(pages: readonly Page[]): Array<{ page: Page; digest: string }> {
  return [...new Map(pages.map((p) => [p.path, p])).values()].map((page) => ({ page, digest: pageDigest(page) }));
}

/** Two independent 32-bit FNV-1a lanes over the UTF-16 units, each finished with murmur3's mix. */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (
    mix(a).toString(16).padStart(8, '0') +
    mix(b ^ a)
      .toString(16)
      .padStart(8, '0')
  );
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
