/**
 * bench:soak — `wecombot serve` (a child process) under a fixed rate of mixed valid and hostile
 * callbacks for a while (default 2 minutes): does its memory stay flat (RSS growth target
 * <= 10 % from the end of the warm-up to the end), what is its p99 latency, does any request
 * fail (5xx or a dropped connection) and does it crash. The peer in the same run, on the same
 * schedule: the bare node:http + node:crypto handler of bench/lib/minimal-callback-server.ts.
 *
 *   npm run bench:soak -- [--duration 120] [--rate 50] [--json]
 *
 * Mix per 10 requests: 6 valid group-robot callbacks (@bot ping, fresh MsgIds), 1 valid retry
 * (a MsgId seen before), 1 bad signature, 1 mutated body (cut and spliced bytes), 1 hostile XML
 * (DOCTYPE/entity, oversized, or not XML at all).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import type { BotRequest } from '../src/bot/request.js';
import { percentile } from './lib/timing.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
};
const DURATION_S = flag('duration', 120);
const RATE = flag('rate', 50);
const JSON_OUT = argv.includes('--json');
const WARMUP_S = Math.min(10, Math.max(2, DURATION_S / 10));

const root = resolve(import.meta.dirname, '..');
const tsx = pathToFileURL(resolve(root, 'node_modules/tsx/dist/loader.mjs')).href;
const secrets = randomSecrets();
const signer = new CallbackSigner(secrets);
const webhookUrl = 'http://127.0.0.1:9/cgi-bin/webhook/send?key=soak'; // never called: ping is answered passively

interface Target {
  name: string;
  port: number;
  child: ChildProcess;
  exited: string | undefined;
  latencies: number[];
  statuses: Map<string, number>;
  errors: number;
  rss: number[];
}

function start(name: string, args: string[], port: number): Target {
  const env = {
    ...process.env,
    WECOM_TOKEN: secrets.token,
    WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
    WECOMBOT_DATABASE_URL: 'memory:',
    WECOMBOT_LOG_LEVEL: 'silent',
    PORT: String(port),
  };
  const child = spawn(process.execPath, ['--import', tsx, ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const t: Target = { name, port, child, exited: undefined, latencies: [], statuses: new Map(), errors: 0, rss: [] };
  child.on('exit', (code, signal) => (t.exited = signal ?? `exit ${code}`));
  return t;
}

/** Resident set size of a process in bytes (Linux /proc). */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

async function ready(t: Target): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (t.exited) throw new Error(`${t.name} exited at start (${t.exited})`);
    if (
      await fetch(`http://127.0.0.1:${t.port}/healthz`).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${t.name} never listened`);
}

let n = 0;
const seen: string[] = [];
function nextRequest(): BotRequest {
  const i = n++;
  const kind = i % 10;
  const valid = (msgId: string) =>
    signer.post(
      '/wecom/callback',
      groupCallbackXml(
        { msgId, webhookUrl, chatId: 'soak', chatType: 'group', from: { userId: `u${i % 50}` } },
        { kind: 'text', content: '@bot ping' },
      ),
      'xml',
    );
  if (kind < 6) {
    const id = `soak-${process.pid}-${i}`;
    if (seen.length < 1000) seen.push(id);
    return valid(id);
  }
  if (kind === 6) return valid(seen[i % Math.max(1, seen.length)] ?? 'soak-retry');
  if (kind === 7)
    return { ...valid(`bad-${i}`), rawQuery: valid(`bad-${i}`).rawQuery.replace(/msg_signature=[0-9a-f]/, 'msg_signature=0') };
  const req = valid(`mut-${i}`);
  const body = Buffer.from(req.body);
  if (kind === 8) {
    const a = (i * 7919) % body.length;
    return { ...req, body: Buffer.concat([body.subarray(0, a), Buffer.from('\u0000]]><x'), body.subarray(a + (i % 13))]) };
  }
  const hostile = [
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
    `<xml><Encrypt><![CDATA[${'A'.repeat(70_000)}]]></Encrypt></xml>`,
    '{"encrypt": [1, 2, {"deep": [[[[[[[[[[[]]]]]]]]]]]}]}',
    'not xml at all',
  ][i % 4]!;
  return { ...req, body: Buffer.from(hostile) };
}

async function send(t: Target, req: BotRequest): Promise<void> {
  if (t.exited) return;
  const started = performance.now();
  try {
    const res = await fetch(`http://127.0.0.1:${t.port}${req.path}?${req.rawQuery}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/xml' },
      body: Buffer.from(req.body),
    });
    await res.arrayBuffer();
    t.latencies.push(performance.now() - started);
    const klass = `${Math.floor(res.status / 100)}xx`;
    t.statuses.set(klass, (t.statuses.get(klass) ?? 0) + 1);
    if (res.status >= 500) t.errors++;
  } catch {
    t.errors++;
  }
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const base = 20000 + Math.floor(Math.random() * 20000);
  const serveCode = `import(${JSON.stringify(pathToFileURL(resolve(root, 'src/cli/main.ts')).href)}).then(async (m) => { process.exitCode = await m.run(['node', 'wecombot', 'serve', '--no-jobs']); })`;
  const targets = [
    start('wecombot serve', ['--input-type=module', '-e', serveCode], base),
    start('bare node:http + node:crypto', [resolve(root, 'bench/lib/minimal-callback-server.ts')], base + 1),
  ];
  try {
    await Promise.all(targets.map(ready));
    const inflight = new Set<Promise<void>>();
    const startedAt = performance.now();
    const endAt = startedAt + (WARMUP_S + DURATION_S) * 1000;
    let measuring = false;
    let nextSample = 0;
    for (let k = 0; ; k++) {
      const due = startedAt + (k * 1000) / RATE;
      const now = performance.now();
      if (due > endAt) break;
      if (due > now) await new Promise((r) => setTimeout(r, due - now));
      if (!measuring && performance.now() - startedAt >= WARMUP_S * 1000) {
        await Promise.all(inflight);
        for (const t of targets) {
          t.latencies = [];
          t.statuses.clear();
          t.errors = 0;
          if (!t.exited) t.rss.push(rss(t.child.pid!));
        }
        measuring = true;
        nextSample = performance.now() + 10_000;
      }
      if (measuring && performance.now() >= nextSample) {
        for (const t of targets) if (!t.exited) t.rss.push(rss(t.child.pid!));
        nextSample += 10_000;
      }
      const req = nextRequest();
      for (const t of targets) {
        const p = send(t, req).finally(() => inflight.delete(p));
        inflight.add(p);
      }
    }
    await Promise.all(inflight);
    for (const t of targets) if (!t.exited) t.rss.push(rss(t.child.pid!));
    report(targets);
  } finally {
    for (const t of targets) if (!t.exited) t.child.kill('SIGTERM');
  }
}

function report(targets: Target[]): void {
  const rows = targets.map((t) => {
    const first = t.rss[0] ?? NaN;
    const last = t.rss[t.rss.length - 1] ?? NaN;
    return {
      target: t.name,
      requests: t.latencies.length + t.errors,
      statuses: Object.fromEntries([...t.statuses].sort()),
      p50Ms: Number(percentile(t.latencies, 50)?.toFixed(2)),
      p99Ms: Number(percentile(t.latencies, 99)?.toFixed(2)),
      errors: t.errors,
      crashed: t.exited ?? null,
      rssStartBytes: first,
      rssEndBytes: last,
      rssMaxBytes: Math.max(...t.rss),
      rssGrowthPct: Number((((last - first) / first) * 100).toFixed(1)),
    };
  });
  const serve = rows[0]!;
  const verdict = {
    rssGrowthWithin10Pct: serve.rssGrowthPct <= 10,
    noErrors: serve.errors === 0,
    noCrash: serve.crashed === null,
  };
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify({ durationS: DURATION_S, warmupS: WARMUP_S, rate: RATE, rows, verdict }, null, 2)}\n`);
    return;
  }
  console.log(`bench:soak — ${DURATION_S} s at ${RATE} callbacks/s to each target (after ${WARMUP_S} s warm-up), 40 % hostile or retried`);
  console.table(
    rows.map((r) => ({
      target: r.target,
      requests: r.requests,
      statuses: Object.entries(r.statuses)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      errors: r.errors,
      crashed: r.crashed ?? 'no',
      'RSS start': mib(r.rssStartBytes),
      'RSS end': mib(r.rssEndBytes),
      'RSS max': mib(r.rssMaxBytes),
      growth: `${r.rssGrowthPct} %`,
    })),
  );
  console.log(
    `wecombot serve: RSS growth ${serve.rssGrowthPct} % (target <= 10 %: ${verdict.rssGrowthWithin10Pct ? 'met' : 'NOT met'}), ${serve.errors} errors, ${serve.crashed ? `crashed (${serve.crashed})` : '0 crashes'}`,
  );
  if (!verdict.noCrash || !verdict.noErrors) process.exitCode = 1;
}

await main();
