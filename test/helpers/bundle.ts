import { build, type Metafile } from 'esbuild';

/** What an entry module pulls in when bundled with code splitting. */
export interface BundleGraph {
  /** Source files loaded with the entry: its chunk and every chunk it imports statically. */
  staticInputs: Set<string>;
  /** External modules (packages, node builtins) those chunks import statically. */
  staticExternals: Set<string>;
  /** Targets of `import()` anywhere in that closure. */
  dynamic: Set<string>;
  /** Every source file of every chunk, static or not. */
  allInputs: string[];
}

/**
 * Bundles `entry` (ESM, splitting, in memory) and walks its static import closure: what a
 * cold start of that module loads before any `import()` runs.
 */
export async function bundleGraph(entry: string, options: { externalPackages?: boolean } = {}): Promise<BundleGraph> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    ...(options.externalPackages ? { packages: 'external' as const } : {}),
    outdir: '/tmp/wecombot-bundle-graph',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const meta: Metafile = result.metafile;
  const graph: BundleGraph = {
    staticInputs: new Set(),
    staticExternals: new Set(),
    dynamic: new Set(),
    allInputs: Object.values(meta.outputs).flatMap((o) => Object.keys(o.inputs)),
  };
  const seen = new Set<string>();
  const visit = (output: Metafile['outputs'][string] | undefined) => {
    for (const input of Object.keys(output?.inputs ?? {})) graph.staticInputs.add(input);
    for (const imp of output?.imports ?? []) {
      if (imp.kind === 'dynamic-import') graph.dynamic.add(imp.path);
      else if (imp.external) graph.staticExternals.add(imp.path);
      else if (!seen.has(imp.path)) {
        seen.add(imp.path);
        visit(meta.outputs[imp.path]);
      }
    }
  };
  const entryOutput = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined && entry.endsWith(o.entryPoint));
  if (!entryOutput) throw new Error(`no output chunk for ${entry}`);
  visit(entryOutput);
  return graph;
}
