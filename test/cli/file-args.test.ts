/**
 * `-` on the index commands, as real processes with real pipes: `kb index --out -` and
 * `faq index --out -` write the index to stdout (the summary to stderr) instead of a file named
 * `-`; `kb search|eval --index -` and `--compare -` read it from stdin; `-c -` is refused.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { refuseBinaryToTerminal } from '../../src/cli/file-arg.js';
import { run } from '../../src/cli/main.js';
import { EmbeddedEngine } from '../../src/search/backends/embedded.js';
import { FaqIndex } from '../../src/bots/faq/faq-index.js';
import { TEA_SHOP_YAML } from '../bots/faq/fixture.js';
import { DOCS } from '../search/fixtures.js';

const CLI = resolve('test/cli/fixtures/run-cli.ts');
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

interface Result {
  code: number | null;
  out: Buffer;
  err: string;
}

/** The CLI from source in a child with pipes on all three streams; stdout kept as bytes. */
function cli(args: string[], options: { cwd: string; input?: Uint8Array }): Promise<Result> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, WECOMBOT_LOG_LEVEL: 'silent', NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(options.input ?? Buffer.alloc(0));
  return new Promise((done) => child.on('close', (code) => done({ code, out: Buffer.concat(out), err })));
}

let dir: string;
let index: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wecombot-file-args-'));
  for (const d of DOCS) {
    await mkdir(dirname(join(dir, 'docs', d.path)), { recursive: true });
    await writeFile(join(dir, 'docs', d.path), d.content);
  }
  await writeFile(
    join(dir, 'queries.jsonl'),
    `${JSON.stringify({ query: '函数如何计费？', relevant: ['函数/计费说明.md'] })}\n${JSON.stringify({ query: '怎样上传大文件？', relevant: ['存储/常见问题.md'] })}\n`,
  );
  await writeFile(join(dir, 'faq.yaml'), TEA_SHOP_YAML);
  await writeFile(
    join(dir, 'wecombot.config.ts'),
    `import { faq } from ${JSON.stringify(resolve('src/bots/index.ts'))};\nexport default { bots: [faq({ source: './faq.yaml', index: './faq.idx' })] };\n`,
  );
}, 30_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('kb index --out -', () => {
  it('writes the index file to stdout and the summary to stderr; no file named "-"', async () => {
    const r = await cli(['kb', 'index', 'docs', '--out', '-'], { cwd: dir });
    expect(r.err).toMatch(/^indexed \d+ pages, \d+ sections, \d+ terms, [\d.]+ MB in [\d.]+ s → stdout\n$/);
    expect(r.code).toBe(EXIT.ok);
    expect(existsSync(join(dir, '-'))).toBe(false);
    index = r.out;
    const engine = EmbeddedEngine.fromBuffer(index);
    const hits = await engine.search('函数计费', { limit: 3 });
    expect(hits[0]?.path).toBe('函数/计费说明.md');
  }, 60_000);

  it('--json summary goes to stderr too, and --update with --out - is a usage error', async () => {
    const json = await cli(['kb', 'index', 'docs', '--out', '-', '--json'], { cwd: dir });
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.err)).toMatchObject({ pages: DOCS.length });
    expect(json.out.subarray(0, 8)).toEqual(index.subarray(0, 8));
    const update = await cli(['kb', 'index', 'docs', '--out', '-', '--update'], { cwd: dir });
    expect(update.code).toBe(EXIT.usage);
    expect(update.err).toContain('--update reads the index it updates');
  }, 60_000);

  it('refuses - when stdout is a terminal, before any work', () => {
    expect(() => refuseBinaryToTerminal('-', '--out', { isTTY: true })).toThrow(
      expect.objectContaining({ code: 'cli_usage', message: '--out - writes binary data to stdout, but stdout is a terminal' }),
    );
    expect(() => refuseBinaryToTerminal('-', '--out', { isTTY: false })).not.toThrow();
    expect(() => refuseBinaryToTerminal('kb.idx', '--out', { isTTY: true })).not.toThrow();
  });
});

describe('kb search / eval --index -', () => {
  it('kb search --index - reads the index from stdin', async () => {
    const r = await cli(['kb', 'search', '--index', '-', '--json', '函数计费'], { cwd: dir, input: index });
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.ok);
    const hits = JSON.parse(r.out.toString()) as { path: string }[];
    expect(hits[0]?.path).toBe('函数/计费说明.md');
  }, 30_000);

  it('kb eval --index - and --compare - read stdin; both at once is a usage error; garbage is one clear line', async () => {
    await writeFile(join(dir, 'kb.idx'), index);
    const one = await cli(['kb', 'eval', '--index', '-', '--queries', 'queries.jsonl', '--json'], { cwd: dir, input: index });
    expect(one.code).toBe(EXIT.ok);
    expect(JSON.parse(one.out.toString())).toMatchObject({ queries: 2 });
    const compare = await cli(['kb', 'eval', '--index', 'kb.idx', '--compare', '-', '--queries', 'queries.jsonl', '--json'], {
      cwd: dir,
      input: index,
    });
    expect(compare.code).toBe(EXIT.ok);
    expect((JSON.parse(compare.out.toString()) as { runs: unknown[] }).runs).toHaveLength(2);
    const twice = await cli(['kb', 'eval', '--index', '-', '--compare', '-', '--queries', 'queries.jsonl'], { cwd: dir, input: index });
    expect(twice.code).toBe(EXIT.usage);
    expect(twice.err).toContain('--compare - reads stdin, but another argument already read it');
    const garbage = await cli(['kb', 'search', '--index', '-', 'x'], { cwd: dir, input: Buffer.from('not an index') });
    expect(garbage.code).toBe(EXIT.failed);
    expect(garbage.err).toMatch(/^wecombot: .*\n$/);
    expect(garbage.err).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe('faq index --out -', () => {
  it('writes the faq index to stdout, the summary to stderr', async () => {
    const r = await cli(['faq', 'index', '--out', '-'], { cwd: dir });
    expect(r.err).toMatch(/^stdout: 7 entries from \.\/faq\.yaml\n$/);
    expect(r.code).toBe(EXIT.ok);
    expect(existsSync(join(dir, '-'))).toBe(false);
    expect(existsSync(join(dir, 'faq.idx'))).toBe(false);
    // The bytes are the index the module's own `index` option would have held.
    const file = await cli(['faq', 'index'], { cwd: dir });
    expect(file.code).toBe(EXIT.ok);
    expect(r.out.equals(readFileSync(join(dir, 'faq.idx')))).toBe(true);
    expect(() => FaqIndex.fromBuffer(r.out)).not.toThrow();
  }, 60_000);
});

describe('-c - is refused', () => {
  it.each(['serve', 'build --target scf', 'faq index', 'jobs list', 'dev --script SCRIPT', 'campaigns preview spring'])(
    'wecombot %s -c - exits 2, saying a config is a module file',
    async (line) => {
      await writeFile(join(dir, 'script.txt'), 'hi\n');
      const args = line.split(' ').map((a) => (a === 'SCRIPT' ? join(dir, 'script.txt') : a));
      let err = '';
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => ((err += String(chunk)), true)) as typeof process.stderr.write;
      let code: number;
      try {
        code = await run(['node', 'wecombot', ...args, '-c', '-']);
      } finally {
        process.stderr.write = write;
      }
      expect(code).toBe(EXIT.usage);
      expect(err).toContain('-c/--config - cannot read stdin: a config is a module file that is imported');
    },
  );
});
