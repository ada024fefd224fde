/**
 * Push throughput under WeCom's per-robot limit: 200 messages, each fanned out to 10 robots
 * (2 000 sends, 200 per robot), through the fake WeCom server with the window shortened to 2 s
 * (20 per robot per window).
 *
 *   npm run bench:push               # table
 *   npm run bench:push -- --json     # one JSON object
 *   npm run bench:push -- --messages 100 --robots 5 --window 2000
 *
 * Theoretical minimum: the first 20 messages of a robot go at once, each later 20 one window
 * later, so (ceil(messages / limit) - 1) x window. Rows:
 * - naive: what many tools do, no limiter and no retry (baseline);
 * - client: WebhookClient, in-memory limiter, direct sends;
 * - outbox: WebhookClient with a SQLite store (limiter window and outbox in the store);
 * - outbox + SIGKILL: a worker process killed with SIGKILL half-way, then restarted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { WebhookClient } from '../src/client/index.js';
import { openStore } from '../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../src/testing/fake-wecom/index.js';
import { killAndResume, tally } from './push/kill-run.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const MESSAGES = arg('messages', 200);
const ROBOTS = arg('robots', 10);
const WINDOW = arg('window', 2000);
const LIMIT = 20;
const minimumMs = (Math.ceil(MESSAGES / LIMIT) - 1) * WINDOW;

interface Row {
  name: string;
  seconds: number;
  vsMinimum: string;
  server45009: number;
  caller45009: number;
  lost: number;
  duplicated: number;
}

const messages = Array.from({ length: MESSAGES }, (_, i) => ({ msgtype: 'text' as const, text: { content: `msg-${i}` } }));

function row(name: string, ms: number, fake: FakeWecom, keys: string[], caller45009: number, comparable = true): Row {
  return {
    name,
    seconds: Math.round(ms) / 1000,
    vsMinimum: comparable ? `${(((ms - minimumMs) / minimumMs) * 100).toFixed(1)}%` : 'n/a',
    server45009: fake.stats().errcodes[45009] ?? 0,
    caller45009,
    ...tally(fake, keys, MESSAGES),
  };
}

async function withFake<T>(fn: (fake: FakeWecom, keys: string[]) => Promise<T>): Promise<T> {
  const fake = await startFakeWecom({ windowMs: WINDOW, limit: LIMIT });
  try {
    return await fn(
      fake,
      Array.from({ length: ROBOTS }, () => fake.newKey()),
    );
  } finally {
    await fake.close();
  }
}

/** Baseline: post everything as fast as possible, one robot after another in parallel, no retry. */
const naive = () =>
  withFake(async (fake, keys) => {
    const t0 = performance.now();
    let limited = 0;
    await Promise.all(
      keys.map(async (key) => {
        for (const m of messages) {
          const res = await request(fake.webhookUrl(key), {
            method: 'POST',
            body: JSON.stringify(m),
            headers: { 'content-type': 'application/json' },
          });
          const body = (await res.body.json()) as { errcode: number };
          if (body.errcode === 45009) limited++;
        }
      }),
    );
    return row('naive (no limiter, no retry)', performance.now() - t0, fake, keys, limited, false);
  });

const direct = () =>
  withFake(async (fake, keys) => {
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, rateLimit: { limit: LIMIT, windowMs: WINDOW } });
    const t0 = performance.now();
    const report = await client.send(keys, messages);
    const ms = performance.now() - t0;
    await client.close();
    const seen = report.results.filter((r) => r.errcode === 45009).length;
    return row('WebhookClient, direct', ms, fake, keys, seen);
  });

const outbox = () =>
  withFake(async (fake, keys) => {
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-'));
    const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'push.db')}` });
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, store, rateLimit: { limit: LIMIT, windowMs: WINDOW } });
    await client.outbox?.init();
    const t0 = performance.now();
    const report = await client.send(keys, messages);
    const ms = performance.now() - t0;
    await client.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
    const seen = report.results.filter((r) => r.errcode === 45009).length;
    return row('WebhookClient + SQLite outbox', ms, fake, keys, seen);
  });

const killed = () =>
  withFake(async (fake, keys) => {
    const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-kill-'));
    const t0 = performance.now();
    const result = await killAndResume(
      fake,
      {
        databaseUrl: `sqlite:${join(dir, 'push.db')}`,
        namespace: 'wecombot',
        baseUrl: fake.baseUrl,
        keys,
        messages: MESSAGES,
        limit: LIMIT,
        windowMs: WINDOW,
        leaseMs: 3000,
      },
      Math.floor((keys.length * MESSAGES) / 2),
    );
    const ms = performance.now() - t0;
    await rm(dir, { recursive: true, force: true });
    return { ...row('outbox + SIGKILL half-way, restart', ms, fake, keys, 0, false), killedAfter: result.deliveredBeforeKill };
  });

const rows: Row[] = [];
for (const run of [naive, direct, outbox, killed]) rows.push(await run());

if (json) {
  process.stdout.write(
    `${JSON.stringify({ bench: 'push', messages: MESSAGES, robots: ROBOTS, limit: LIMIT, windowMs: WINDOW, minimumSeconds: minimumMs / 1000, rows })}\n`,
  );
} else {
  console.log(`push: ${MESSAGES} messages x ${ROBOTS} robots, ${LIMIT} per ${WINDOW} ms window; theoretical minimum ${minimumMs / 1000} s`);
  const head = ['run', 'time (s)', 'vs minimum', '45009 answered', '45009 seen by caller', 'lost', 'duplicated'];
  const body = rows.map((r) => [
    r.name,
    r.seconds.toFixed(2),
    r.vsMinimum,
    String(r.server45009),
    String(r.caller45009),
    String(r.lost),
    String(r.duplicated),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
