/**
 * Where a campaign run's time goes against the theoretical minimum (a development aid, not a
 * benchmark row): runs the campaign worker once and prints, from the fake's arrival times, the
 * start-up (run start to first arrival), each robot's window steps (arrival of message k+20
 * minus arrival of message k), and the tail (last arrival to the run's end).
 *
 *   node --import tsx bench/campaign/profile.ts [--members 5000] [--robots 10] [--window 1000]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/index.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/index.js';
import { seedAudience } from './seed.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const MEMBERS = arg('members', 5000);
const ROBOTS = arg('robots', 10);
const WINDOW = arg('window', 1000);
const LIMIT = 20;
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

const fake = await startFakeWecom({ windowMs: WINDOW, limit: LIMIT });
const dir = await mkdtemp(join(tmpdir(), 'wecombot-profile-campaign-'));
const url = `sqlite:${join(dir, 'bot.db')}`;
const keys = Array.from({ length: ROBOTS }, () => fake.newKey());
const store = await openStore({ databaseUrl: url });
await seedAudience(store, {
  webhooks: keys.map((k) => fake.webhookUrl(k)),
  members: MEMBERS,
  optedOut: Math.round(MEMBERS * 0.05),
  capped: Math.round(MEMBERS * 0.05),
});
await store.close();
const config = {
  mode: 'run',
  databaseUrl: url,
  namespace: 'wecombot',
  firedAt: Date.parse('2030-06-03T02:00:00Z'),
  limit: LIMIT,
  windowMs: WINDOW,
  leaseMs: 2000,
  trace: true,
};
const child = spawn(
  process.execPath,
  [...(process.env.CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', CHILD, JSON.stringify(config)],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
child.stdout.on('data', (d: Buffer) => (out += d.toString()));
await new Promise((r) => child.on('exit', r));
const lines = out.trim().split('\n');
const report = JSON.parse(lines.pop() as string) as { elapsedMs: number; startedAt: number; cpuMs: number; marks?: Record<string, number> };
console.log(`worker CPU ${report.cpuMs.toFixed(0)} ms (start-up included)`);
const t0 = report.startedAt;
const all = fake.accepted();
const first = Math.min(...all.map((r) => r.at));
const last = Math.max(...all.map((r) => r.at));
console.log(lines.join('\n'));
console.log(
  `elapsed ${report.elapsedMs.toFixed(0)} ms; first arrival at +${(first - t0).toFixed(0)} ms; last at +${(last - t0).toFixed(0)} ms; tail ${(t0 + report.elapsedMs - last).toFixed(0)} ms`,
);
if (report.marks)
  console.log(
    'marks (ms from start):',
    Object.entries(report.marks)
      .map(([k, v]) => `${k}=${(v - t0).toFixed(0)}`)
      .join(' '),
  );
const steps: number[] = [];
const bursts: number[] = [];
for (const k of keys) {
  const at = fake.accepted(k).map((r) => r.at);
  for (let i = LIMIT; i < at.length; i += LIMIT) steps.push((at[i] as number) - (at[i - LIMIT] as number));
  for (let i = 0; i + LIMIT - 1 < at.length; i += LIMIT) bursts.push((at[i + LIMIT - 1] as number) - (at[i] as number));
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
console.log(
  `window step (arrival k+${LIMIT} - k): p50 ${q(steps, 0.5)} p90 ${q(steps, 0.9)} max ${q(steps, 1)} ms; a window's ${LIMIT} sends take p50 ${q(bursts, 0.5)} p90 ${q(bursts, 0.9)} max ${q(bursts, 1)} ms`,
);
console.log(`45009: ${fake.stats().errcodes[45009] ?? 0}; requests ${fake.stats().requests}, accepted ${fake.stats().accepted}`);
await fake.close();
await rm(dir, { recursive: true, force: true });
