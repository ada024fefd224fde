import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceDocument } from '../types.js';

const INDEXABLE = /\.(md|markdown|mdx|html?|txt)$/i;
// Tool and build folders; other dot-folders (e.g. `.NET SDK`) are documentation like any other.
const SKIPPED = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.github',
  '.gitlab',
  '.vscode',
  '.idea',
  '.cache',
  '.next',
  '.nuxt',
  '.docusaurus',
  '.vitepress',
  '.obsidian',
]);

/**
 * Lists indexable files (`.md`, `.markdown`, `.mdx`, `.html`, `.htm`, `.txt`) under a folder,
 * sorted, skipping tool folders (`node_modules`, `.git`, `.github`, editor and build caches) and dot-files. Paths are relative to `root`, `/`-separated.
 */
export async function listDocuments(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (SKIPPED.has(e.name) || (e.isFile() && e.name.startsWith('.'))) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && INDEXABLE.test(e.name)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

/** Reads one listed file as a source document. */
export async function readDocument(root: string, relativePath: string): Promise<SourceDocument> {
  const content = await readFile(path.join(root, relativePath), 'utf8');
  return { path: relativePath, content };
}
