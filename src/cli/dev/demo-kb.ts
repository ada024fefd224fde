import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The project's own user documentation (docs/, Chinese and English), shipped with the package. */
export function packagedDocsDir(): string {
  // dist/cli/dev/demo-kb.js and src/cli/dev/demo-kb.ts both sit three levels below the root.
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs');
}

/**
 * Builds the demo knowledge base from a docs folder into an index file and returns its
 * stats. Links point at the local files, so they open from the terminal.
 */
export async function buildDemoKnowledgeBase(
  docsDir: string,
  outFile: string,
): Promise<{ pages: number; sections: number; terms: number; ms: number }> {
  const started = performance.now();
  const [{ EmbeddedEngine }, { listDocuments, readDocument }] = await Promise.all([
    import('../../search/backends/embedded.js'),
    import('../../search/ingest/walk.js'),
  ]);
  const engine = new EmbeddedEngine(undefined, { baseUrl: pathToFileURL(docsDir).href + '/' });
  const docs = await Promise.all((await listDocuments(docsDir)).map((p) => readDocument(docsDir, p)));
  await engine.index(docs);
  await mkdir(dirname(outFile), { recursive: true });
  await engine.save(outFile);
  return { ...engine.stats(), ms: Math.round(performance.now() - started) };
}

/** Where `wecombot dev` keeps its files: the SQLite database and the demo index. */
export function devDataDir(cwd = process.cwd()): string {
  return join(cwd, '.wecombot');
}
