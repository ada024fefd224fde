import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/search/backends/embedded.ts', import.meta.url));

/** Every module the entry imports without `import()`: inputs of its chunk and of chunks it imports statically, and externals. */
function staticImports(meta: Metafile, entryPath: string): { inputs: Set<string>; externals: Set<string>; dynamic: Set<string> } {
  const inputs = new Set<string>();
  const externals = new Set<string>();
  const dynamic = new Set<string>();
  const visit = (output: Metafile['outputs'][string] | undefined, seen: Set<string>) => {
    for (const input of Object.keys(output?.inputs ?? {})) inputs.add(input);
    for (const imp of output?.imports ?? []) {
      if (imp.kind === 'dynamic-import') dynamic.add(imp.path);
      else if (imp.external) externals.add(imp.path);
      else if (!seen.has(imp.path)) visit(meta.outputs[imp.path], seen.add(imp.path));
    }
  };
  visit(Object.values(meta.outputs).find((o) => o.entryPoint?.endsWith(entryPath)), new Set());
  return { inputs, externals, dynamic };
}

describe('the index reader cold path', () => {
  it('loads no segmenter, database driver or crypto before the first answer (a cold start pays for each)', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      packages: 'external',
      outdir: '/tmp/wecombot-search-cold-path',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const { inputs, externals, dynamic } = staticImports(result.metafile, 'src/search/backends/embedded.ts');
    expect([...externals].filter((m) => /^(node:)?crypto$|^@node-rs\/jieba|^pg$|^zod$|^pino$|^undici$/.test(m))).toEqual([]);
    // jieba is reachable, behind import() for indexing, so the check above is not vacuous.
    expect([...dynamic]).toContain('@node-rs/jieba');
    expect(inputs.size).toBeGreaterThan(5);
  });
});
