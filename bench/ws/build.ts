/**
 * bench:ws runs both clients as plain JavaScript, as users run them: the official SDK from its
 * published dist, wecombot bundled from src by esbuild (what `npm run build` ships is tsc output;
 * the bundle is the same code without tsx's runtime transform, whose keepNames wrapper alone cost
 * ~3 % of wecombot's client time per message under tsx). Dependencies stay external, resolved
 * from node_modules, so the SDK and `ws` are the very files the comparison names.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

/** Bundles bench/ws/child.ts; returns the path of the .mjs to fork. */
export async function buildChild(): Promise<string> {
  // Inside node_modules/.cache so `packages: 'external'` imports resolve from the repository.
  const outfile = fileURLToPath(new URL('../../node_modules/.cache/wecombot-bench-ws/child.mjs', import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL(process.env.CHILD ?? './child.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
