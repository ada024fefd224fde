/**
 * bench:leads — from the HTTP intake to the group post accepted by the fake WeCom.
 *
 *   npm run bench:leads                 # table
 *   npm run bench:leads -- --json       # one JSON object
 *   npm run bench:leads -- --leads 300 --cold 20 --sustained 2000
 *
 * Rows:
 * - warm server: `serveNode` with the leads bot (SQLite file), one signed form lead at a time
 *   over HTTP; the intake answers after the group post was accepted, so the answer time is
 *   intake → post. Baseline in the same run: a bare node:http intake (HMAC check, JSON parse,
 *   one fetch to the same fake webhook, no store) — what any intake costs at least.
 * - cold SCF bundle: `wecombot build --target scf --bots leads`, each delivery a fresh Node
 *   process (PostgreSQL store, as a function needs), timed from process start to the answer
 *   (`performance.now()` in the child); baseline: bare Node's process start to its first line.
 * - sustained: 16 deliveries in flight, every lead delivered twice (the platform's retry), on
 *   SQLite and on PostgreSQL; leads/s counts distinct leads, duplicates are extra rows or posts.
 *
 * The warm bot pushes through a WebhookClient with its limiter off: WeCom allows a robot 20
 * messages a minute, which would make every row measure the limiter. The cold bundle keeps the
 * default client (limiter on, a new webhook key per run).
 */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createBot } from '../src/bot/bot.js';
import { moduleTable } from '../src/bot/module.js';
import type { BotTransport } from '../src/bot/transport.js';
import { leads } from '../src/bots/leads/module.js';
import { genericSignature } from '../src/bots/leads/intake/verify.js';
import { WebhookClient } from '../src/client/webhook-client.js';
import { buildBundle } from '../src/cli/commands/build.js';
import { serveNode } from '../src/runtime/node.js';
import { openStore, type Store } from '../src/store/index.js';
import { randomSecrets } from '../src/testing/fake-group/index.js';
import { startFakeWecom } from '../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../src/testing/fake-wecom/types.js';
import { BENCH_POSTGRES_URL, dropPostgresNamespace, postgresReachable } from './lib/services.js';
import { percentile } from './lib/timing.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const json = process.argv.includes('--json');
const WARM = arg('leads', 300);
const COLD = arg('cold', 20);
const SUSTAINED = arg('sustained', 2000);
const IN_FLIGHT = 16;
const SECRET = 'bench-form-secret-0123456789';
const src = resolve(import.meta.dirname, '../src');

interface Latency {
  p50: number;
  p95: number;
  n: number;
}
const latency = (xs: number[]): Latency => ({ p50: round(percentile(xs, 50)), p95: round(percentile(xs, 95)), n: xs.length });
const round = (x: number) => Math.round(x * 10) / 10;

let seq = 0;
function lead(phone?: string) {
  seq += 1;
  return {
    id: `b-${process.pid}-${seq}`,
    name: '张三',
    phone: phone ?? `138${String(10_000_000 + seq).slice(-8)}`,
    region: '上海',
    product: '产品A',
  };
}
function signed(body: string) {
  const ts = String(Math.floor(Date.now() / 1000));
  return { 'content-type': 'application/json', 'x-timestamp': ts, 'x-signature': genericSignature(SECRET, ts, body) };
}

/** Pushes through a WebhookClient without its limiter (see the file comment). */
function unlimitedTransport(store: Store): BotTransport {
  const client = new WebhookClient({ store, rateLimit: false });
  return {
    sendWebhook: async (url, message) => void (await client.sendOrThrow({ webhook: url }, message)),
    getChatInfo: () => Promise.reject(new Error('not used')),
    postResponseUrl: () => Promise.reject(new Error('not used')),
    close: () => client.close(),
  };
}

async function leadsServer(store: Store, fake: FakeWecom, key: string) {
  const bot = createBot({ group: randomSecrets(), store, logLevel: 'silent', transport: unlimitedTransport(store) });
  await bot.install(
    leads({
      group: { webhook: fake.webhookUrl(key) },
      sources: { form: { kind: 'generic', secret: SECRET } },
      reps: [
        { userId: 'lisi', name: '李四' },
        { userId: 'wangwu', name: '王五' },
      ],
      rules: [{ region: '北京', reps: ['wangwu'] }],
      rateLimit: 100_000,
    }),
  );
  return serveNode(bot, { port: 0, host: '127.0.0.1' });
}

/** A bare intake: HMAC check, JSON parse, one push to the fake. No store, no de-duplication. */
async function bareServer(fake: FakeWecom, key: string) {
  const webhook = fake.webhookUrl(key);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const ts = String(req.headers['x-timestamp']);
      const mac = `sha256=${createHmac('sha256', SECRET).update(`${ts}.`).update(body).digest('hex')}`;
      if (mac !== req.headers['x-signature']) return void res.writeHead(401).end();
      const l = JSON.parse(body.toString()) as { name: string; phone: string };
      const content = `**新线索** ${l.name} ${l.phone.slice(0, 3)}****${l.phone.slice(-4)}`;
      await fetch(webhook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function post(url: string, body: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/leads/form`, { method: 'POST', headers: signed(body), body });
  await res.text();
  if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
  return performance.now() - started;
}

async function warm(fake: FakeWecom): Promise<{ wecombot: Latency; bare: Latency }> {
  const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-leads-'));
  const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'warm.db')}` });
  const key = fake.newKey();
  const server = await leadsServer(store, fake, key);
  const bareKey = fake.newKey();
  const bare = await bareServer(fake, bareKey);
  try {
    for (let i = 0; i < 20; i++) await post(server.url, JSON.stringify(lead())); // warm-up
    for (let i = 0; i < 20; i++) await post(bare.url, JSON.stringify(lead()));
    const ours: number[] = [];
    const theirs: number[] = [];
    // Interleaved, so both see the same machine load.
    for (let i = 0; i < WARM; i++) {
      ours.push(await post(server.url, JSON.stringify(lead())));
      theirs.push(await post(bare.url, JSON.stringify(lead())));
    }
    if (fake.accepted(key).length !== WARM + 20) throw new Error(`expected ${WARM + 20} posts, got ${fake.accepted(key).length}`);
    return { wecombot: latency(ours), bare: latency(theirs) };
  } finally {
    await server.close();
    await bare.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `code` in a fresh Node; resolves what it printed last (a JSON object). */
async function child(args: string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    env: { PATH: process.env.PATH, WECOMBOT_LOG_LEVEL: 'silent', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

async function cold(fake: FakeWecom): Promise<{ bundle: Latency; bareNode: Latency; bytes: number } | { skipped: string }> {
  if (!(await postgresReachable(BENCH_POSTGRES_URL))) return { skipped: 'PostgreSQL not reachable (a function needs a shared store)' };
  const project = await mkdtemp(join(tmpdir(), 'wecombot-bench-leads-scf-'));
  const namespace = `bench_leads_${process.pid}`;
  try {
    await writeFile(
      join(project, 'wecombot.config.ts'),
      `import { leads } from ${JSON.stringify(join(src, 'bots/index.ts'))};\nexport default { bots: [leads({ sources: { form: { kind: 'generic', secret: '${SECRET}' } }, reps: [{ userId: 'lisi', name: '李四' }, { userId: 'wangwu', name: '王五' }] })] };\n`,
    );
    const built = await buildBundle({ target: 'scf', outDir: 'out', cwd: project, bots: ['leads'], minify: true });
    const env = { WECOMBOT_DATABASE_URL: BENCH_POSTGRES_URL, WECOMBOT_STORE_NAMESPACE: namespace };
    const harness = (event: unknown) =>
      `const ev = ${JSON.stringify(event)}; require(${JSON.stringify(built.bundle)}).main_handler(ev).then((r) => process.stdout.write(JSON.stringify({ ms: performance.now(), status: r.statusCode })), (e) => { console.error(e); process.exit(1); });`;
    const event = (body: string) => ({
      httpMethod: 'POST',
      path: '/leads/form',
      headers: { ...signed(body), 'x-scf-remote-addr': '127.0.0.1' },
      queryString: {},
      body,
    });
    // The first run makes the tables; it is not a cold start a deployed function sees twice.
    await child(['-e', harness(event(JSON.stringify(lead())))], { ...env, WECOM_WEBHOOK_URL: fake.webhookUrl(fake.newKey()) });
    const ours: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < COLD; i++) {
      const key = fake.newKey();
      const out = await child(['-e', harness(event(JSON.stringify(lead())))], { ...env, WECOM_WEBHOOK_URL: fake.webhookUrl(key) });
      if (out.status !== 200 || fake.accepted(key).length !== 1)
        throw new Error(`cold run ${i}: status ${String(out.status)}, ${fake.accepted(key).length} posts`);
      ours.push(Number(out.ms));
      bare.push(Number((await child(['-e', 'process.stdout.write(JSON.stringify({ ms: performance.now() }))'], {})).ms));
    }
    return { bundle: latency(ours), bareNode: latency(bare), bytes: built.bytes };
  } finally {
    await dropPostgresNamespace(BENCH_POSTGRES_URL, namespace).catch(() => undefined);
    await rm(project, { recursive: true, force: true });
  }
}

async function sustained(
  fake: FakeWecom,
  name: string,
  open: () => Promise<Store>,
): Promise<{ store: string; leadsPerSec: number; leads: number; deliveries: number; rows: number; posts: number; duplicates: number }> {
  const store = await open();
  const key = fake.newKey();
  const server = await leadsServer(store, fake, key);
  try {
    const deliveries = Array.from({ length: SUSTAINED }, () => JSON.stringify(lead())).flatMap((b) => [b, b]);
    // Shuffled, so a retry may arrive while the first delivery is still being recorded.
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j] as string, deliveries[i] as string];
    }
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < deliveries.length) await post(server.url, deliveries[next++] as string);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const rows = Number(
      (
        await store
          .db()
          .selectFrom(moduleTable(store.namespace, 'leads', 'leads'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const posts = fake.accepted(key).length;
    return {
      store: name,
      leadsPerSec: Math.round(SUSTAINED / seconds),
      leads: SUSTAINED,
      deliveries: deliveries.length,
      rows,
      posts,
      duplicates: rows - SUSTAINED + (posts - SUSTAINED),
    };
  } finally {
    await server.close();
    await store.close();
  }
}

async function main(): Promise<void> {
  const fake = await startFakeWecom({ limit: 1_000_000 });
  const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-leads-s-'));
  const namespace = `bench_leadss_${randomBytes(3).toString('hex')}`;
  try {
    const warmResult = await warm(fake);
    const coldResult = await cold(fake);
    const rates = [await sustained(fake, 'SQLite file (WAL)', () => openStore({ databaseUrl: `sqlite:${join(dir, 's.db')}` }))];
    if (await postgresReachable(BENCH_POSTGRES_URL))
      rates.push(await sustained(fake, 'PostgreSQL', () => openStore({ databaseUrl: BENCH_POSTGRES_URL, namespace })));
    else process.stderr.write('PostgreSQL not reachable: its sustained row is left out\n');
    const result = {
      node: process.version,
      warm: warmResult,
      cold: coldResult,
      sustained: rates,
      targets: { warmP95Ms: 50, coldP95Ms: 300 },
    };
    if (json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
    const rows: string[][] = [['path', 'p50 ms', 'p95 ms', 'runs', 'target']];
    rows.push([
      'warm server: intake → post accepted (SQLite)',
      String(warmResult.wecombot.p50),
      String(warmResult.wecombot.p95),
      String(warmResult.wecombot.n),
      `p95 <= 50: ${warmResult.wecombot.p95 <= 50 ? 'met' : 'NOT met'}`,
    ]);
    rows.push([
      '  baseline: bare node:http intake, no store',
      String(warmResult.bare.p50),
      String(warmResult.bare.p95),
      String(warmResult.bare.n),
      '',
    ]);
    if ('skipped' in coldResult) rows.push(['cold SCF bundle', '-', '-', '0', coldResult.skipped]);
    else {
      rows.push([
        `cold SCF bundle (${Math.round(coldResult.bytes / 1024)} KiB, PostgreSQL): process start → answer`,
        String(coldResult.bundle.p50),
        String(coldResult.bundle.p95),
        String(coldResult.bundle.n),
        `p95 <= 300: ${coldResult.bundle.p95 <= 300 ? 'met' : 'NOT met'}`,
      ]);
      rows.push([
        '  baseline: bare Node, process start → first line',
        String(coldResult.bareNode.p50),
        String(coldResult.bareNode.p95),
        String(coldResult.bareNode.n),
        '',
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
    process.stdout.write(`bench:leads, ${process.version}\n`);
    for (const r of rows)
      process.stdout.write(
        `${r
          .map((v, c) => (c === 0 || c === 4 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!)))
          .join('  ')
          .trimEnd()}\n`,
      );
    process.stdout.write(`\nsustained intake: ${SUSTAINED} leads, each delivered twice, ${IN_FLIGHT} in flight\n`);
    const srows = [
      ['store', 'leads/s', 'deliveries', 'rows', 'posts', 'duplicates'],
      ...rates.map((r) => [r.store, String(r.leadsPerSec), String(r.deliveries), String(r.rows), String(r.posts), String(r.duplicates)]),
    ];
    const sw = srows[0]!.map((_, c) => Math.max(...srows.map((r) => r[c]!.length)));
    for (const r of srows) process.stdout.write(`${r.map((v, c) => (c === 0 ? v.padEnd(sw[c]!) : v.padStart(sw[c]!))).join('  ')}\n`);
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
    await dropPostgresNamespace(BENCH_POSTGRES_URL, namespace).catch(() => undefined);
  }
}

await main();
