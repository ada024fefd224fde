/**
 * `wecombot serve --workers 2` on loopback: two processes answer on one port, de-duplication
 * holds across them (a shared SQLite file), the scheduled job runs in one worker only (each fire
 * time once), a worker killed while serving is replaced, and SIGTERM stops them all with exit 0.
 * Real child processes (node:cluster forks re-run the command line), so the timeouts are long.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../src/testing/fake-group/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const secrets = randomSecrets();
const signer = new CallbackSigner(secrets);
let dir = '';
let child: ChildProcess;
let url = '';
let stdout = '';

/** A POST on a connection of its own, so the cluster hands each to the next worker. */
function post(path: string, body: Uint8Array): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', agent: false, headers: { connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function callback(msgId: string) {
  return signer.post(
    '/wecom/callback',
    groupCallbackXml(
      { msgId, webhookUrl: 'http://127.0.0.1:1/x?key=k', chatId: 'c', chatType: 'group', from: { userId: 'u1' } },
      { kind: 'text', content: '@bot who' },
    ),
    'xml',
  );
}

/** Which worker answered: the reply carries its pid. */
async function ask(msgId: string): Promise<string | undefined> {
  const req = callback(msgId);
  const res = await post(`${req.path}?${req.rawQuery}`, req.body);
  expect(res.status).toBe(200);
  return signer.openReply({ body: res.body }, req)?.content;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stdout: ${stdout.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function jobLines(): Promise<string[][]> {
  const text = await readFile(join(dir, 'ticks.txt'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' '));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wecombot-workers-'));
  const ticks = join(dir, 'ticks.txt');
  await writeFile(
    join(dir, 'wecombot.config.mjs'),
    `import { appendFileSync } from 'node:fs';
export default {
  setup(bot) {
    bot.command('who', (ctx) => ctx.reply(String(process.pid)));
    bot.job('tick', '* * * * * *', (job) => appendFileSync(${JSON.stringify(ticks)}, process.pid + ' ' + job.firedAt.toISOString() + '\\n'));
  },
};
`,
  );
  // The entry the workers re-run: this repository's CLI from source.
  const entry = join(dir, 'entry.mjs');
  await writeFile(
    entry,
    `import { run } from ${JSON.stringify(pathToFileURL(join(root, 'src/cli/main.ts')).href)};\nprocess.exitCode = await run(process.argv);\n`,
  );
  child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, 'serve', '--workers', '2', '--port', '0', '--config', join(dir, 'wecombot.config.mjs')],
    {
      cwd: root,
      env: {
        ...process.env,
        WECOM_TOKEN: secrets.token,
        WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
        WECOMBOT_DATABASE_URL: `sqlite:${join(dir, 'data.db')}`,
        WECOMBOT_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  url = await until(
    'the primary to report both workers listening',
    () => /"workers":2,"msg":"wecombot: 2 workers listening on (http:\/\/[^ "]+)/.exec(stdout)?.[1],
  );
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  await rm(dir, { recursive: true, force: true });
});

describe('wecombot serve --workers 2', () => {
  it('answers from two processes on one port', async () => {
    const pids = new Set<string | undefined>();
    for (let i = 0; i < 8; i++) pids.add(await ask(`spread-${i}`));
    expect(pids.size).toBe(2);
    expect([...pids].every((p) => p !== undefined && p !== String(child.pid))).toBe(true);
  }, 60_000);

  it('drops a retry that reaches the other worker (the store is shared)', async () => {
    const first = await ask('retried-1');
    expect(first).toMatch(/^\d+$/);
    // Round-robin: the next connection goes to the other worker, which finds the claim.
    const req = callback('retried-1');
    const again = await post(`${req.path}?${req.rawQuery}`, req.body);
    expect(again).toEqual({ status: 200, body: '' });
  }, 60_000);

  it('runs the scheduled job in one worker, each fire time once', async () => {
    const lines = await until('three job runs', async () => ((await jobLines()).length >= 3 ? jobLines() : undefined));
    expect(new Set(lines.map(([pid]) => pid)).size).toBe(1);
    const firedAt = lines.map(([, at]) => at);
    expect(new Set(firedAt).size).toBe(firedAt.length);
  }, 60_000);

  it('replaces a worker killed while serving; the jobs move with it', async () => {
    const jobsPid = (await jobLines())[0]?.[0];
    expect(jobsPid).toMatch(/^\d+$/);
    process.kill(Number(jobsPid), 'SIGKILL');
    await until('a replacement worker', () => (/a worker died; starting a replacement/.test(stdout) ? true : undefined));
    await until('the replacement listening', () => ((stdout.match(/"msg":"wecombot listening on/g) ?? []).length >= 3 ? true : undefined));
    const pids = new Set<string | undefined>();
    for (let i = 0; i < 6; i++) pids.add(await ask(`after-kill-${i}`));
    expect(pids.size).toBe(2);
    expect(pids.has(jobsPid)).toBe(false);
    const newRunner = await until('a job run by the replacement', async () =>
      (await jobLines()).map(([pid]) => pid).find((pid) => pid !== jobsPid),
    );
    expect(pids.has(newRunner)).toBe(true);
    const firedAt = (await jobLines()).map(([, at]) => at);
    expect(new Set(firedAt).size).toBe(firedAt.length);
  }, 90_000);

  it('stops every worker on SIGTERM and exits 0', async () => {
    const exit = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exit) as [number | null];
    expect(code).toBe(0);
    expect(stdout).toContain('shutting down: workers finish their late replies');
    const workerLines = stdout.split('\n').filter((l) => l.includes('"msg":"shutting down: finishing late replies"'));
    expect(workerLines.length).toBe(2);
  }, 60_000);
});
