import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { withoutCloudflareProbe } from '../../src/cli/build/node-only.js';

describe('wecombot build: vendored libraries for Node only', () => {
  it("pg's Cloudflare probe (a read of the global Response) is cut from the installed pg, and nothing else", async () => {
    const source = await readFile(createRequire(import.meta.url).resolve('pg/lib/stream.js'), 'utf8');
    // The installed pg still has the probe: if this fails, pg changed and the plugin is dead code.
    expect(source).toContain("typeof Response === 'function'");
    const cut = withoutCloudflareProbe(source);
    expect(cut).not.toContain("typeof Response === 'function'");
    expect(cut.replace('false /* wecombot build: Node, never Cloudflare Workers */', "typeof Response === 'function'")).toBe(source);
  });

  it('a source without the probe is unchanged', () => {
    expect(withoutCloudflareProbe('module.exports = 1')).toBe('module.exports = 1');
  });
});
