/**
 * An esbuild plugin for the vendored libraries of a bundle, which only ever runs on Node.
 *
 * `pg` decides at its first connection whether it runs on Cloudflare Workers: without a
 * `navigator` (Node 18 and 20 have none) it builds a `Response` to look for Cloudflare's `cf`
 * field, and reading the global `Response` makes Node load its own fetch implementation
 * (undici), ~10 ms of a cold start that never fetches. On Node the answer is always no, so
 * the probe is replaced by `false`; a pg version without that line is bundled unchanged.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

const PG_STREAM = /[\\/]pg[\\/]lib[\\/]stream\.js$/;
const RESPONSE_PROBE = "typeof Response === 'function'";

/** The source of pg/lib/stream.js without its Cloudflare probe (unchanged if it has none). */
export function withoutCloudflareProbe(source: string): string {
  return source.split(RESPONSE_PROBE).join('false /* wecombot build: Node, never Cloudflare Workers */');
}

export const nodeOnlyPlugin: Plugin = {
  name: 'wecombot-node-only',
  setup(b) {
    b.onLoad({ filter: PG_STREAM }, async (args) => ({
      contents: withoutCloudflareProbe(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
