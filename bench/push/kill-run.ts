import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeWecom } from '../../src/testing/fake-wecom/index.js';
import type { ChildConfig } from './outbox-child.js';

const CHILD = fileURLToPath(new URL('./outbox-child.ts', import.meta.url));

/** Starts the outbox worker child; resolves with its process and a promise of its exit. */
export function startChild(config: ChildConfig): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(...d.toString().trim().split('\n')));
  child.stderr?.on('data', (d: Buffer) => output.push(`stderr: ${d.toString().trim()}`));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

export interface KillRunResult {
  expected: number;
  deliveredBeforeKill: number;
  lost: number;
  duplicated: number;
  serverRateLimited: number;
  resumeExit: number | null;
}

/**
 * Enqueues `messages` x `keys` in a child, SIGKILLs it once `killAfter` messages were accepted,
 * starts a second child that resumes, and counts what the fake received per (key, message).
 */
export async function killAndResume(fake: FakeWecom, base: Omit<ChildConfig, 'mode'>, killAfter: number): Promise<KillRunResult> {
  const first = startChild({ ...base, mode: 'enqueue' });
  const deadline = Date.now() + 120_000;
  while (fake.accepted().length < killAfter) {
    if (Date.now() > deadline) throw new Error(`child made no progress: ${first.output.join(' | ')}`);
    if (first.child.exitCode !== null) throw new Error(`child exited early: ${first.output.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  const deliveredBeforeKill = fake.accepted().length;
  const second = startChild({ ...base, mode: 'resume' });
  const resumeExit = await second.exited;
  if (resumeExit !== 0) throw new Error(`resume failed: ${second.output.join(' | ')}`);
  const { lost, duplicated } = tally(fake, base.keys, base.messages);
  return {
    expected: base.keys.length * base.messages,
    deliveredBeforeKill,
    lost,
    duplicated,
    serverRateLimited: fake.stats().rateLimited,
    resumeExit,
  };
}

/**
 * Counts, over what the fake accepted, the messages `msg-0` … `msg-<messages-1>` each key never got
 * (lost) and the extra copies it got (duplicated).
 */
export function tally(fake: FakeWecom, keys: string[], messages: number): { lost: number; duplicated: number } {
  const counts = new Map<string, number>();
  for (const r of fake.accepted()) {
    const k = `${r.key}|${(r.body as { text: { content: string } }).text.content}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let lost = 0;
  let duplicated = 0;
  for (const key of keys) {
    for (let i = 0; i < messages; i++) {
      const n = counts.get(`${key}|msg-${i}`) ?? 0;
      if (n === 0) lost += 1;
      if (n > 1) duplicated += n - 1;
    }
  }
  return { lost, duplicated };
}
