import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeLongConnection, type FakeLongConnection } from '../../src/testing/index.js';
import { spawnCli } from '../helpers/cli.js';

const BOT = 'bot-proc';
const SECRET = 'proc-secret-9f8e7d';
const children: ChildProcess[] = [];
let fake: FakeLongConnection | undefined;
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await fake?.close();
  fake = undefined;
});

/** `wecombot serve --ws` from source in a child process. */
function serveWs(env: Record<string, string>) {
  const script =
    "const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(['node', 'wecombot', 'serve', '--ws', '--no-jobs']);";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, WECOMBOT_DATABASE_URL: 'memory:', WECOMBOT_LOG_LEVEL: 'info', ...env },
  });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, out, exited };
}

describe('wecombot serve --ws', () => {
  it('a wrong secret fails at start naming WECOM_AIBOT_SECRET, after one subscription', async () => {
    fake = await startFakeLongConnection({ bots: { [BOT]: SECRET } });
    const r = await spawnCli(['serve', '--ws', '--no-jobs'], '', {
      WECOM_AIBOT_ID: BOT,
      WECOM_AIBOT_SECRET: 'not-the-secret-1234',
      WECOM_AIBOT_WS_URL: fake.url,
      WECOMBOT_DATABASE_URL: 'memory:',
    });
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toContain('WECOM_AIBOT_SECRET');
    expect(r.stderr + r.stdout).not.toContain('not-the-secret-1234');
    expect(fake.subscribes.get(BOT)).toBe(1);
  }, 30_000);

  it('without the variables it is a usage error (exit 2) naming them', async () => {
    const r = await spawnCli(['serve', '--ws'], '', { WECOM_AIBOT_ID: '', WECOM_AIBOT_SECRET: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('WECOM_AIBOT_ID and WECOM_AIBOT_SECRET');
  }, 30_000);

  it('two processes with the same bot id: the newer wins, the older yields and exits 0, no fight loop', async () => {
    fake = await startFakeLongConnection({ bots: { [BOT]: SECRET } });
    const env = { WECOM_AIBOT_ID: BOT, WECOM_AIBOT_SECRET: SECRET, WECOM_AIBOT_WS_URL: fake.url };
    const first = serveWs(env);
    await fake.waitFor(() => fake!.connected(BOT) === 1, 20_000, 'the first process');
    const second = serveWs(env);
    expect(await first.exited).toBe(0);
    expect(first.out.stderr).toContain('taken over by a newer connection');
    expect(first.out.stdout).toMatch(/other side won because it connected last/);
    // The winner answers, and nobody resubscribes for a while: no mutual kicking.
    const { reqId } = fake.text('alice', 'hello');
    await fake.waitFor(
      () => fake!.repliesTo(reqId).length > 0 || fake!.frames.some((f) => f.cmd === 'aibot_send_msg'),
      10_000,
      'an answer',
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.subscribes.get(BOT)).toBe(2);
    expect(fake.connected(BOT)).toBe(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.out.stdout + second.out.stderr).not.toContain(SECRET);
  }, 60_000);
});
