import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/bot/logger.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) } };
}

describe('logger', () => {
  it('redacts secret fields, URL secrets and configured secret values; children keep bindings', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', secrets: ['TOPSECRETTOKEN'], destination });
    log
      .child({ module: 'x' })
      .info(
        { token: 'abc', headers: { authorization: 'Bearer z' }, url: 'https://h/send?key=K123&x=1', note: 'uses TOPSECRETTOKEN' },
        'posting to https://h/cgi-bin/webhook/send?key=K123',
      );
    log.debug('not written');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      module: 'x',
      token: '[redacted]',
      headers: { authorization: '[redacted]' },
      url: 'https://h/send?key=***&x=1',
      note: 'uses ***',
    });
    expect(lines[0]?.msg).toBe('posting to https://h/cgi-bin/webhook/send?key=***');
    expect(log.isLevelEnabled('debug')).toBe(false);
  });

  it('disabled levels never load pino; enabled ones do', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'error', destination });
    log.child({ a: 1 }).warn('skipped');
    log.info({ big: 'x' }, 'skipped');
    expect(lines).toEqual([]);
    log.error('written');
    expect(lines.map((l) => l.msg)).toEqual(['written']);
  });

  it('works inside an ESM bundle whose require shim cannot load packages', async () => {
    const esbuild = await import('esbuild');
    const dir = resolve(import.meta.dirname, '../../.wecombot');
    await mkdir(dir, { recursive: true });
    const entry = join(dir, `logger-entry-${process.pid}.mjs`);
    const out = join(dir, `logger-bundle-${process.pid}.mjs`);
    await writeFile(entry, `export { createLogger } from ${JSON.stringify(resolve(import.meta.dirname, '../../src/bot/logger.ts'))};\n`);
    try {
      await esbuild.build({
        entryPoints: [entry],
        outfile: out,
        bundle: true,
        packages: 'external',
        platform: 'node',
        format: 'esm',
        logLevel: 'silent',
      });
      const mod = (await import(pathToFileURL(out).href)) as { createLogger: typeof createLogger };
      const { lines, destination } = capture();
      mod.createLogger({ level: 'info', destination }).warn({ code: 'x' }, 'from a bundle');
      expect(lines[0]).toMatchObject({ code: 'x', msg: 'from a bundle' });
    } finally {
      await rm(entry, { force: true });
      await rm(out, { force: true });
    }
  });
});
