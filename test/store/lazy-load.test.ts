import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { bundleGraph } from '../helpers/bundle.js';

const entry = fileURLToPath(new URL('../../src/store/index.ts', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/load-index.ts', import.meta.url));

describe('lazy drivers', () => {
  it('importing src/store/index.ts loads no driver; a memory store loads SQLite only for SQL', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ afterImport: [], afterMemoryKv: [], afterMemorySql: ['better-sqlite3'] });
  });

  it('the bundled entry chunk contains none of kysely, better-sqlite3, pg, ioredis (they sit behind import())', async () => {
    const { staticInputs, allInputs } = await bundleGraph(entry);
    const heavy = [...staticInputs].filter((f) => /node_modules\/(kysely|better-sqlite3|pg|ioredis)\//.test(f));
    expect(heavy).toEqual([]);
    // And the drivers are reachable at all (dynamic imports), so the check is not vacuous.
    expect(allInputs.some((f) => f.includes('node_modules/kysely/'))).toBe(true);
    expect(allInputs.some((f) => f.includes('node_modules/pg/'))).toBe(true);
  });
});
