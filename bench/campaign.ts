/**
 * Campaign delivery under WeCom's per-robot limit: 5,000 recipients across 10 fake robots in one
 * run, with the limiter window compressed (default 1 s instead of 60 s, 20 per window, as
 * bench:push does), through the campaigns bot's runner: segment, guardrails, the webhook
 * client's outbox.
 *
 *   npm run bench:campaign               # table
 *   npm run bench:campaign -- --json     # one JSON object
 *   npm run bench:campaign -- --members 1000 --robots 5 --window 1000
 *
 * Of the members, 5 % opted out and 5 % already had an offer today (capped): both counts must
 * match exactly. Theoretical minimum: a robot's first 20 messages go at once, each later 20 one
 * window later: (ceil(sent per robot / 20) - 1) x window. Rows, in the same run:
 * - direct sends (baseline): WebhookClient, in-memory limiter, one send per recipient, no ledger;
 * - campaign: the runner in a worker process on SQLite, timed inside the worker from the run's
 *   start (audience, plan, enqueue) to the last delivery settled (process start-up excluded);
 * - campaign + SIGKILL: the worker killed half-way, a new one resumes; wall time from the first
 *   start to the resumed run's end, process start-ups and the dead worker's lease included.
 *   Its duplicates are the outbox's window: at most the one message per robot in flight at the kill.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebhookClient } from '../src/client/index.js';
import { openStore } from '../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../src/testing/fake-wecom/index.js';
import type { CampaignChildConfig } from './campaign/child.js';
import { memberId, seedAudience } from './campaign/seed.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const MEMBERS = arg('members', 5000);
const ROBOTS = arg('robots', 10);
const WINDOW = arg('window', 1000);
const LIMIT = 20;
const OPTED = Math.round(MEMBERS * 0.05);
const CAPPED = Math.round(MEMBERS * 0.05);
const SENT = MEMBERS - OPTED - CAPPED;
const perRobot = Math.ceil(SENT / ROBOTS);
const minimumMs = (Math.ceil(perRobot / LIMIT) - 1) * WINDOW;
const CHILD = fileURLToPath(new URL('./campaign/child.ts', import.meta.url));

interface Row {
  name: string;
  seconds: number;
  vsMinimum: string;
  sent: number;
  capped: number | string;
  optedOut: number | string;
  server45009: number;
  lost: number;
  duplicated: number;
}

/** Per member, how many offers the fake accepted. */
function tally(fake: FakeWecom): { lost: number; duplicated: number; sent: number } {
  const per = new Map<string, number>();
  for (const r of fake.accepted()) {
    const content =
      (r.body as { markdown?: { content: string }; text?: { content: string } }).markdown?.content ??
      (r.body as { text: { content: string } }).text.content;
    const who = /^<@(u\d+)>|^(u\d+)/.exec(content);
    const id = who?.[1] ?? who?.[2];
    if (id) per.set(id, (per.get(id) ?? 0) + 1);
  }
  let lost = 0;
  for (let i = 0; i < SENT; i++) if (!per.has(memberId(i))) lost++;
  const duplicated = [...per.values()].reduce((a, n) => a + n - 1, 0);
  return { lost, duplicated, sent: per.size };
}

function startChild(config: CampaignChildConfig) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function withSetup<T>(fn: (fake: FakeWecom, databaseUrl: string, webhooks: string[]) => Promise<T>): Promise<T> {
  const fake = await startFakeWecom({ windowMs: WINDOW, limit: LIMIT });
  const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-campaign-'));
  try {
    const webhooks = Array.from({ length: ROBOTS }, () => fake.webhookUrl(fake.newKey()));
    return await fn(fake, `sqlite:${join(dir, 'bot.db')}`, webhooks);
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const row = (name: string, ms: number, fake: FakeWecom, report: { capped: number | string; optedOut: number | string }): Row => {
  const t = tally(fake);
  return {
    name,
    seconds: Math.round(ms) / 1000,
    vsMinimum: `${(((ms - minimumMs) / minimumMs) * 100).toFixed(1)}%`,
    sent: t.sent,
    capped: report.capped,
    optedOut: report.optedOut,
    server45009: fake.stats().errcodes[45009] ?? 0,
    lost: t.lost,
    duplicated: t.duplicated,
  };
};

/** Baseline: the same offers, one direct send per recipient, no ledger and no guardrails. */
const direct = () =>
  withSetup(async (fake, _url, webhooks) => {
    const client = new WebhookClient({ proxy: false, rateLimit: { limit: LIMIT, windowMs: WINDOW } });
    const t0 = performance.now();
    await Promise.all(
      webhooks.map(async (hook, r) => {
        for (let i = r; i < SENT; i += ROBOTS)
          await client.send(hook, { msgtype: 'markdown', markdown: { content: `<@${memberId(i)}> 会员${i}，专享价 bench` } });
      }),
    );
    const ms = performance.now() - t0;
    await client.close();
    return row('direct sends (no ledger, no guardrails)', ms, fake, { capped: 'n/a', optedOut: 'n/a' });
  });

async function seeded(url: string, webhooks: string[]): Promise<void> {
  const store = await openStore({ databaseUrl: url });
  await seedAudience(store, { webhooks, members: MEMBERS, optedOut: OPTED, capped: CAPPED });
  await store.close();
}

const base = (databaseUrl: string) => ({
  databaseUrl,
  namespace: 'wecombot',
  firedAt: Date.parse('2030-06-03T02:00:00Z'),
  limit: LIMIT,
  windowMs: WINDOW,
  leaseMs: 2000,
});

const campaign = () =>
  withSetup(async (fake, url, webhooks) => {
    await seeded(url, webhooks);
    const run = startChild({ ...base(url), mode: 'run' });
    if ((await run.exited) !== 0) throw new Error(`campaign run failed: ${run.output()}`);
    const report = JSON.parse(run.output().trim().split('\n').pop() as string) as { capped: number; optedOut: number; elapsedMs: number };
    // The worker's own clock: from the run's start (audience, plan, enqueue) to the last delivery settled.
    return row('campaign (SQLite ledger + outbox)', report.elapsedMs, fake, report);
  });

const killed = () =>
  withSetup(async (fake, url, webhooks) => {
    await seeded(url, webhooks);
    const t0 = performance.now();
    const first = startChild({ ...base(url), mode: 'run' });
    while (fake.accepted().length < SENT / 2) {
      if (first.child.exitCode !== null) throw new Error(`worker exited early: ${first.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAfter = fake.accepted().length;
    const second = startChild({ ...base(url), mode: 'resume' });
    if ((await second.exited) !== 0) throw new Error(`resume failed: ${second.output()}`);
    const ms = performance.now() - t0;
    const report = JSON.parse(second.output().trim().split('\n').pop() as string) as { capped: number; optedOut: number };
    return { ...row('campaign + SIGKILL half-way, restart', ms, fake, report), killedAfter };
  });

const rows: Row[] = [];
for (const run of [direct, campaign, killed]) rows.push(await run());

const expectation = { capped: CAPPED, optedOut: OPTED, sent: SENT };
if (json) {
  process.stdout.write(
    `${JSON.stringify({ bench: 'campaign', members: MEMBERS, robots: ROBOTS, limit: LIMIT, windowMs: WINDOW, minimumSeconds: minimumMs / 1000, expectation, rows })}\n`,
  );
} else {
  console.log(
    `campaign: ${MEMBERS} recipients (${SENT} to send, ${CAPPED} capped, ${OPTED} opted out) x ${ROBOTS} robots, ${LIMIT} per ${WINDOW} ms window; theoretical minimum ${minimumMs / 1000} s`,
  );
  const head = ['run', 'time (s)', 'vs minimum', 'sent', 'capped', 'opted out', '45009 answered', 'lost', 'duplicated'];
  const body = rows.map((r) => [
    r.name,
    r.seconds.toFixed(2),
    r.vsMinimum,
    String(r.sent),
    String(r.capped),
    String(r.optedOut),
    String(r.server45009),
    String(r.lost),
    String(r.duplicated),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
