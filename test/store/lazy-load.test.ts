import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/load-index.ts', import.meta.url));

describe('lazy drivers', () => {
  it('importing src/store/index.ts loads no driver; a memory store loads SQLite only for SQL', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], afterMemoryKv: [], afterMemorySql: ['better-sqlite3'] });
  });

  it('the bundled entry chunk contains none of kysely, better-sqlite3, pg, ioredis (they sit behind import())', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outdir: '/tmp/wecombot-lazy-load-check',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = Object.values(result.metafile.outputs);
    const entryChunk = outputs.find((o) => o.entryPoint?.endsWith('src/store/index.ts'));
    expect(entryChunk).toBeDefined();
    // Everything the entry pulls in statically: its own inputs plus chunks it imports (not dynamically).
    const staticInputs = new Set(Object.keys(entryChunk?.inputs ?? {}));
    for (const imp of entryChunk?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue;
      const chunk = result.metafile.outputs[imp.path];
      for (const input of Object.keys(chunk?.inputs ?? {})) staticInputs.add(input);
    }
    const heavy = [...staticInputs].filter((f) => /node_modules\/(kysely|better-sqlite3|pg|ioredis)\//.test(f));
    expect(heavy).toEqual([]);
    // And the drivers are reachable at all (dynamic imports), so the check is not vacuous.
    const all = outputs.flatMap((o) => Object.keys(o.inputs));
    expect(all.some((f) => f.includes('node_modules/kysely/'))).toBe(true);
    expect(all.some((f) => f.includes('node_modules/pg/'))).toBe(true);
  });
});
