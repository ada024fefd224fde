import { createHash } from 'node:crypto';
import type { Page } from '../types.js';

/**
 * A fingerprint of everything indexing reads from a page (title, URL, each section's heading,
 * heading path, anchor and text). An index keeps it per page, so re-indexing a folder skips the
 * pages that did not change instead of running jieba over them again.
 */
export function pageDigest(page: Page): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([page.title, page.url, page.sections.map((s) => [s.heading, s.path, s.anchor, s.text])]));
  return hash.digest('base64url').slice(0, 22);
}
