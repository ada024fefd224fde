/**
 * `wecombot serve --help | head -1`: the reader of stdout goes away, writes fail with EPIPE, and
 * the CLI must end as it would have (exit 0, no stack) instead of crashing on the 'error' event.
 * Real processes, real pipes: the test closes its end of the child's stdout before the child
 * writes, which makes the child's first write fail with EPIPE every time (a `| head -1` only
 * sometimes closes before the write).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { DOCS } from '../search/fixtures.js';

const CLI = resolve('test/cli/fixtures/run-cli.ts');
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

/** Runs `args` under node with stdout a pipe whose reading end is closed at once (or after the first chunk). */
function closedPipe(args: string[], options: { cwd?: string; afterFirstChunk?: boolean } = {}) {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { ...process.env, WECOMBOT_LOG_LEVEL: 'silent', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let first = '';
  if (options.afterFirstChunk) {
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString();
      child.stdout.destroy();
    });
  } else {
    child.stdout.destroy();
  }
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise<{ code: number | null; err: string; first: string }>((done) =>
    child.on('close', (code) => done({ code, err, first })),
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wecombot-epipe-'));
  for (const d of DOCS) {
    await mkdir(dirname(join(dir, 'docs', d.path)), { recursive: true });
    await writeFile(join(dir, 'docs', d.path), d.content);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a reader that goes away (EPIPE)', () => {
  it('the harness really breaks the pipe: a plain node script writing to it dies of EPIPE', async () => {
    const r = await closedPipe(['-e', "setTimeout(() => process.stdout.write('x\\n'.repeat(1000)), 50)"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('EPIPE');
  });

  it('wecombot serve --help exits 0 without a stack', async () => {
    const r = await closedPipe(['--import', TSX, CLI, 'serve', '--help']);
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.ok);
  });

  it('wecombot kb search exits 0 when the reader closes after the first chunk; kb index --out - too', async () => {
    const index = await closedPipe(['--import', TSX, CLI, 'kb', 'index', 'docs', '--out', '-'], { cwd: dir });
    expect(index.err).toMatch(/^indexed \d+ pages.*→ stdout\n$/);
    expect(index.code).toBe(EXIT.ok);
    await new Promise<void>((done, fail) => {
      const c = spawn(process.execPath, ['--import', TSX, CLI, 'kb', 'index', 'docs', '--out', 'kb.idx'], { cwd: dir, stdio: 'ignore' });
      c.on('close', (code) => (code === 0 ? done() : fail(new Error(`kb index exited ${code}`))));
    });
    const search = await closedPipe(['--import', TSX, CLI, 'kb', 'search', '--index', 'kb.idx', '-n', '20', '函数'], {
      cwd: dir,
      afterFirstChunk: true,
    });
    expect(search.first).toMatch(/^1\. /);
    expect(search.err).toBe('');
    expect(search.code).toBe(EXIT.ok);
  }, 30_000);
});
