import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleGraph } from '../helpers/bundle.js';

const entry = fileURLToPath(new URL('../../src/search/backends/embedded.ts', import.meta.url));

describe('the index reader cold path', () => {
  it('loads no segmenter, database driver or crypto before the first answer (a cold start pays for each)', async () => {
    const { staticInputs, staticExternals, dynamic } = await bundleGraph(entry, { externalPackages: true });
    expect([...staticExternals].filter((m) => /^(node:)?crypto$|^@node-rs\/jieba|^pg$|^zod$|^pino$|^undici$/.test(m))).toEqual([]);
    // jieba is reachable, behind import() for indexing, so the check above is not vacuous.
    expect([...dynamic]).toContain('@node-rs/jieba');
    expect(staticInputs.size).toBeGreaterThan(5);
  });
});
