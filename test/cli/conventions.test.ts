import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useColor } from '../../src/cli/color.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { readFileArg, readTextFileArg } from '../../src/cli/file-arg.js';
import { declaredEnv } from '../../src/cli/help-env.js';
import { buildProgram, run } from '../../src/cli/main.js';

const CLI = resolve('test/cli/fixtures/run-cli.ts');
// By URL, so the child finds tsx from a temporary working directory.
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

function leaves(command: Command, path: string[] = []): { path: string; command: Command }[] {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

/** Runs the CLI in-process with stderr captured. */
async function runQuiet(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => ((err += String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { code: await run(['node', 'wecombot', ...args]), err };
  } finally {
    process.stderr.write = write;
  }
}

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** The CLI as a child process from source; `onOut` sees stdout as it comes (to send a signal at the right moment). */
function spawnCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; input?: string; onOut?: (out: string, kill: (s: NodeJS.Signals) => void) => void },
): Promise<Child> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    options.onOut?.(out, (s) => child.kill(s));
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  if (options.input !== undefined) child.stdin.end(options.input);
  return new Promise((done) => child.on('close', (code, signal) => done({ code, signal, out, err })));
}

describe('every command names the environment variables it reads', () => {
  const program = buildProgram();
  it.each(leaves(program).map((l) => [l.path, l.command] as const))('wecombot %s --help has an Environment: section', (_path, command) => {
    expect(declaredEnv(command), 'declare them with withEnv (src/cli/help-env.ts)').toBeDefined();
    expect(helpOf(command)).toMatch(/\nEnvironment:/);
  });

  it('serve --help names the robot secrets, the store and PORT', () => {
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    const help = helpOf(serve);
    for (const name of [
      'WECOM_TOKEN',
      'WECOM_ENCODING_AES_KEY',
      'WECOM_AIBOT_TOKEN',
      'WECOMBOT_DATABASE_URL',
      'PORT',
      'WECOMBOT_LOG_LEVEL',
    ])
      expect(help).toContain(`  ${name} `);
  });

  it("a group lists its sub-commands' variables, options' .env() included", () => {
    const crypto = program.commands.find((c) => c.name() === 'crypto')!;
    const help = helpOf(crypto);
    expect(help).toContain('WECOM_TOKEN');
    expect(help).toContain('WECOM_ENCODING_AES_KEY');
  });
});

describe('exit codes', () => {
  it('usage errors exit 2: an unknown command, an unknown option, a missing argument, a group without its command', async () => {
    expect((await runQuiet(['no-such-command'])).code).toBe(EXIT.usage);
    expect((await runQuiet(['serve', '--no-such-flag'])).code).toBe(EXIT.usage);
    expect((await runQuiet(['crypto', 'sign', '--token', 't', '--timestamp', '1'])).code).toBe(EXIT.usage);
    expect((await runQuiet(['crypto'])).code).toBe(EXIT.usage);
  });

  it("the command's own usage errors (cli_usage) exit 2 with the fix in the message", async () => {
    const r = await runQuiet(['send', '--text', 'hi']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/no webhook given \(pass --webhook URL or --key KEY/);
    expect((await runQuiet(['serve', '--port', '70000'])).code).toBe(EXIT.usage);
  });

  it('a bad option value is a usage error (exit 2) naming the option: build --target/--runtime, kb index --url-ext, send --webhook', async () => {
    const target = await runQuiet(['build', '--target', 'foo']);
    expect([target.code, target.err]).toEqual([EXIT.usage, expect.stringContaining('--target must be scf or lambda (got "foo")')]);
    const runtime = await runQuiet(['build', '--target', 'scf', '--runtime', 'node18']);
    expect([runtime.code, runtime.err]).toEqual([
      EXIT.usage,
      expect.stringContaining('--runtime node18: not a Tencent SCF Node.js runtime'),
    ]);
    expect((await runQuiet(['build', '--target', 'lambda', '--runtime', 'nodejs16.x'])).code).toBe(EXIT.usage);
    const urlExt = await runQuiet(['kb', 'index', tmpdir(), '--out', join(tmpdir(), 'wecombot-never.idx'), '--url-ext', 'bad']);
    expect([urlExt.code, urlExt.err]).toEqual([EXIT.usage, expect.stringContaining('--url-ext must be keep, html or none (got bad)')]);
    const webhook = await runQuiet(['send', '--webhook', 'notaurl', '--text', 'hi']);
    expect([webhook.code, webhook.err]).toEqual([EXIT.usage, expect.stringContaining('--webhook: the webhook is not a valid URL')]);
    expect((await runQuiet(['send', '--webhook', 'https://example.com/no-key', '--text', 'hi'])).code).toBe(EXIT.usage);
    const before = process.env.WECOM_WEBHOOK_URL;
    process.env.WECOM_WEBHOOK_URL = 'notaurl';
    try {
      const env = await runQuiet(['send', '--text', 'hi']);
      expect([env.code, env.err]).toEqual([EXIT.usage, expect.stringContaining('WECOM_WEBHOOK_URL: the webhook is not a valid URL')]);
    } finally {
      if (before === undefined) delete process.env.WECOM_WEBHOOK_URL;
      else process.env.WECOM_WEBHOOK_URL = before;
    }
  });

  it("the config's build.runtime stays a config error (exit 1), not a usage error", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-runtime-'));
    try {
      await writeFile(join(dir, 'wecombot.config.json'), JSON.stringify({ build: { runtime: 'Nodejs16.13' } }));
      const r = await runQuiet(['build', '--target', 'scf', '-c', join(dir, 'wecombot.config.json'), '--out', join(dir, 'out')]);
      expect([r.code, r.err]).toEqual([EXIT.failed, expect.stringContaining('build.runtime Nodejs16.13: Node 16 cannot run the bundle')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--help and --version exit 0; a real failure exits 1', async () => {
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await run(['node', 'wecombot', '--help'])).toBe(EXIT.ok);
      expect(await run(['node', 'wecombot', '--version'])).toBe(EXIT.ok);
    } finally {
      process.stdout.write = write;
    }
    const r = await runQuiet(['kb', 'search', '--index', join(tmpdir(), 'wecombot-no-such.idx'), 'x']);
    expect(r.code).toBe(EXIT.failed);
  });

  it("a command's exit code does not leak into the embedding process", async () => {
    process.exitCode = undefined;
    await runQuiet(['send', '--text', 'hi']);
    expect(process.exitCode).toBeUndefined();
  });
});

describe('file arguments: - reads stdin', () => {
  const stdin = (text: string, isTTY = false) => Object.assign(Readable.from([Buffer.from(text)]), { isTTY });

  it('reads stdin to its end, once', async () => {
    const input = stdin('\uFEFFline 1\nline 2\n');
    expect(await readTextFileArg('-', '--script', { stdin: input })).toBe('line 1\nline 2\n');
    await expect(readFileArg('-', '--queries', { stdin: input })).rejects.toMatchObject({ code: 'cli_usage' });
  });

  it('refuses a terminal, and names the argument and the reason for a missing file', async () => {
    await expect(readFileArg('-', '--script', { stdin: stdin('', true) })).rejects.toMatchObject({ code: 'cli_stdin_tty' });
    await expect(readFileArg(join(tmpdir(), 'wecombot-missing.txt'), '--synonyms')).rejects.toMatchObject({
      code: 'cli_read',
      message: expect.stringMatching(/^--synonyms: cannot read .*wecombot-missing\.txt: no such file$/),
    });
  });
});

describe('colours', () => {
  it('only to a terminal, never with NO_COLOR or --no-color; FORCE_COLOR for a pipe', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(useColor(tty, undefined, {})).toBe(true);
    expect(useColor(pipe, undefined, {})).toBe(false);
    expect(useColor(tty, undefined, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(tty, undefined, { NO_COLOR: '' })).toBe(true);
    expect(useColor(tty, undefined, { TERM: 'dumb' })).toBe(false);
    expect(useColor(tty, false, {})).toBe(false);
    expect(useColor(pipe, undefined, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(tty, undefined, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(pipe, false, { FORCE_COLOR: '1' })).toBe(false);
  });
});

describe('wecombot dev as a process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wecombot-conventions-'));
    await writeFile(
      join(dir, 'wecombot.config.mjs'),
      `export default { setup(bot) { bot.hears('hi', (ctx) => ctx.reply({ markdown: '**bold** reply' })); } };\n`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const env = { WECOMBOT_LOG_LEVEL: 'silent', WECOMBOT_DATABASE_URL: 'memory:' };

  it('dev --script - plays the lines of stdin', async () => {
    const r = await spawnCli(['dev', '--script', '-'], { cwd: dir, env, input: 'hi\n/quit\n' });
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('bold reply');
  });

  it('the interactive chat writes no ANSI escapes into a pipe, and colours with FORCE_COLOR', async () => {
    const plain = await spawnCli(['dev'], { cwd: dir, env, input: 'hi\n' });
    expect(plain.out).toContain('bold reply');
    expect(plain.out).not.toContain('\x1b[');
    const forced = await spawnCli(['dev'], { cwd: dir, env: { ...env, FORCE_COLOR: '1' }, input: 'hi\n' });
    expect(forced.out).toContain('\x1b[1mbold\x1b[0m reply');
  });

  it('Ctrl-C (SIGINT) ends the chat and exits 130', async () => {
    let sent = false;
    const r = await spawnCli(['dev'], {
      cwd: dir,
      env,
      onOut: (out, kill) => {
        if (!sent && out.endsWith('> ')) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    expect(sent).toBe(true);
    expect([r.code, r.signal]).toEqual([EXIT.interrupted, null]);
  });
});
