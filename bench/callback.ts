/**
 * Callback cost of `wecombot serve` against a bare minimal handler, in one run.
 *
 *   npm run bench:callback                        # table, 16 connections
 *   npm run bench:callback -- --conns 1,16,64     # how p99 and CPU per request grow with concurrency
 *   npm run bench:callback -- --json              # one JSON object
 *   npm run bench:callback -- --requests 20000 --rounds 3 --stores memory,sqlite --sessions
 *   BENCH_CALLBACK_CPU_PROF=/tmp/prof npm run bench:callback    # a .cpuprofile per wecombot server and the minimal one
 *
 * The headline is requests per server CPU-second, as a ratio to the minimal handler
 * (bench/lib/minimal-callback-server.ts: node:http + node:crypto, verify, decrypt, encrypted
 * `pong` passive reply). The load generator shares the machine's cores, so req/s moves with it;
 * the server's CPU time (from /proc/<pid>/stat) is its own cost. req/s, p50 and p99 stand beside it.
 *
 * - Load: wrk (1 thread) when installed, autocannon in a child process otherwise (bench/lib/load.ts).
 * - Every request is a distinct signed, encrypted `@bot ping` (XML, WeCom's default) with its own
 *   MsgId (pools made fresh before each round, from 500 members), so de-duplication never
 *   short-cuts one: each is verified, decrypted, parsed, claimed in the store, routed, answered
 *   and encrypted.
 * - Rows: `wecombot serve` on the memory store, the default SQLite file (no
 *   WECOMBOT_DATABASE_URL, in a fresh directory), PostgreSQL and Redis (when reachable), the
 *   minimal handler, and bare node:http answering a constant (the HTTP floor).
 *   `--sessions` adds the session bot (bench/fixtures/session-bot.config.ts: reads and writes the
 *   member's session per callback) on SQLite and PostgreSQL.
 * - Servers are compiled with esbuild (like an installed package, not tsx) and run as child
 *   processes, one at a time under load, in an order that rotates every round; each figure is the
 *   median over rounds, after a warm-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import { pickGenerator, runLoad, writePool, type LoadGenerator, type LoadResult, type PoolEntry } from './lib/load.js';
import {
  BENCH_POSTGRES_URL as postgresUrl,
  BENCH_REDIS_URL as redisUrl,
  dropPostgresNamespace,
  postgresReachable,
  reachable,
} from './lib/services.js';
import { deleteRedisNamespace } from '../test/store/cleanup.js';
import { median } from './lib/timing.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const json = process.argv.includes('--json');
const connsList = (arg('conns') ?? arg('connections') ?? '16').split(',').map(Number);
const requests = Number(arg('requests') ?? 20000);
const rounds = Number(arg('rounds') ?? 3);
const warmup = Number(arg('warmup') ?? 3000);
const storeFilter = arg('stores')?.split(',');
const withSessions = process.argv.includes('--sessions');
const root = fileURLToPath(new URL('..', import.meta.url));
for (const c of connsList) if (!Number.isInteger(c) || c < 1) throw new Error(`--conns: ${c} is not a connection count`);
if (!Number.isInteger(requests) || requests < 100) throw new Error('--requests must be an integer >= 100');

const TARGETS = { memory: 0.7, sqlite: 0.5, p99At16: 2 };

interface ServerSpec {
  id: string;
  label: string;
  kind: 'wecombot' | 'minimal' | 'constant';
  env?: NodeJS.ProcessEnv;
  config?: string;
  /** A fresh working directory (the default SQLite file lives under it). */
  cwd?: string;
  cleanup?: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server for ${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server at ${url} did not start`);
}

/** Compiles an entry like `npm run build` would (plain JavaScript, packages external). */
async function compile(entry: string, name: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = join(root, '.wecombot', name);
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  return out;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  // A server that does not finish within 5 s (a pool still draining) must not hold the bench.
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Distinct signed, encrypted `@bot ping` callbacks, from 500 members; signed now (timestamps are fresh). */
function makePool(signer: CallbackSigner, n: number, tag: string): PoolEntry[] {
  const pool: PoolEntry[] = [];
  for (let i = 0; i < n; i++) {
    const userId = `member-${i % 500}`;
    const fields = {
      msgId: `bench-${tag}-${i}`,
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
      chatId: 'wrBENCH',
      chatType: 'group',
      from: { userId, name: userId },
    };
    const req = signer.post('/wecom/callback', groupCallbackXml(fields, { kind: 'text', content: '@bot ping' }), 'xml');
    pool.push({ path: `${req.path}?${req.rawQuery}`, body: Buffer.from(req.body).toString() });
  }
  return pool;
}

function startServer(spec: ServerSpec, port: number, files: { cli: string; minimal: string }, secrets: NodeJS.ProcessEnv): ChildProcess {
  const env = { ...process.env, ...secrets, ...spec.env, PORT: String(port) };
  const opts = { cwd: spec.cwd ?? root, env, stdio: ['ignore', 'ignore', 'inherit'] as ('ignore' | 'inherit')[] };
  // BENCH_CALLBACK_CPU_PROF=<dir>: a .cpuprofile per wecombot server and the minimal one, written when it exits.
  const prof = process.env.BENCH_CALLBACK_CPU_PROF;
  const profArgs = prof ? ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', prof] : [];
  if (spec.kind === 'minimal') return spawn(process.execPath, [...profArgs, files.minimal], opts);
  if (spec.kind === 'constant') {
    const code = `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); }).listen(${port}, '127.0.0.1');`;
    return spawn(process.execPath, ['-e', code], opts);
  }
  const args = ['node', 'wecombot', 'serve', '--port', String(port), '--no-jobs', ...(spec.config ? ['--config', spec.config] : [])];
  const code = `import(${JSON.stringify(pathToFileURL(files.cli).href)}).then((m) => m.run(${JSON.stringify(args)}))`;
  return spawn(process.execPath, [...profArgs, '--input-type=module', '-e', code], opts);
}

async function serverSpecs(dir: string): Promise<ServerSpec[]> {
  const ns = `bench_cb_${process.pid}`;
  const specs: ServerSpec[] = [
    { id: 'minimal', label: 'bare minimal: node:http + node:crypto, verify + decrypt + encrypted pong', kind: 'minimal' },
    { id: 'constant', label: 'bare node:http answering a constant', kind: 'constant' },
    { id: 'memory', label: 'wecombot serve, memory store', kind: 'wecombot', env: { WECOMBOT_DATABASE_URL: 'memory:' } },
    // No WECOMBOT_DATABASE_URL: the default store, ./.wecombot/data.db under a fresh directory.
    { id: 'sqlite', label: 'wecombot serve, default SQLite store', kind: 'wecombot', cwd: join(dir, 'sqlite') },
  ];
  if (await postgresReachable(postgresUrl)) {
    specs.push({
      id: 'postgres',
      label: 'wecombot serve, PostgreSQL',
      kind: 'wecombot',
      env: { WECOMBOT_DATABASE_URL: postgresUrl, WECOMBOT_STORE_NAMESPACE: `${ns}_pg` },
      cleanup: () => dropPostgresNamespace(postgresUrl, `${ns}_pg`),
    });
  } else process.stderr.write(`PostgreSQL not reachable at ${new URL(postgresUrl).host}: its row is left out\n`);
  if (await reachable(redisUrl, 6379)) {
    specs.push({
      id: 'redis',
      label: 'wecombot serve, Redis (tables on the default SQLite)',
      kind: 'wecombot',
      cwd: join(dir, 'redis'),
      env: { WECOMBOT_REDIS_URL: redisUrl, WECOMBOT_STORE_NAMESPACE: `${ns}_redis` },
      cleanup: async () => void (await deleteRedisNamespace(redisUrl, `${ns}_redis`)),
    });
  } else process.stderr.write(`Redis not reachable at ${new URL(redisUrl).host}: its row is left out\n`);
  if (withSessions) {
    const config = join(root, 'bench/fixtures/session-bot.config.ts');
    specs.push({
      id: 'sqlite+session',
      label: 'wecombot serve, SQLite, session read+write',
      kind: 'wecombot',
      cwd: join(dir, 'session'),
      config,
    });
    if (specs.some((s) => s.id === 'postgres')) {
      specs.push({
        id: 'postgres+session',
        label: 'wecombot serve, PostgreSQL, session read+write',
        kind: 'wecombot',
        config,
        env: { WECOMBOT_DATABASE_URL: postgresUrl, WECOMBOT_STORE_NAMESPACE: `${ns}_pgs` },
        cleanup: () => dropPostgresNamespace(postgresUrl, `${ns}_pgs`),
      });
    }
  }
  const keep = (s: ServerSpec) => s.kind !== 'wecombot' || !storeFilter || storeFilter.includes(s.id.replace('+session', ''));
  for (const s of specs) if (s.cwd) await mkdir(s.cwd, { recursive: true });
  return specs.filter(keep);
}

interface Row {
  id: string;
  label: string;
  reqPerCpuSec: number | null;
  vsMinimal: number | null;
  cpuUsPerReq: number | null;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p99VsMinimal: number | null;
  runs: LoadResult[];
}

function summarize(spec: ServerSpec, runs: LoadResult[]): Omit<Row, 'vsMinimal' | 'p99VsMinimal'> {
  const cpu = runs.map((r) => r.reqPerCpuSec).filter((v): v is number => v !== undefined);
  const us = runs.map((r) => r.cpuUsPerReq).filter((v): v is number => v !== undefined);
  return {
    id: spec.id,
    label: spec.label,
    reqPerCpuSec: cpu.length === runs.length ? Math.round(median(cpu)) : null,
    cpuUsPerReq: us.length === runs.length ? Number(median(us).toFixed(1)) : null,
    reqPerSec: Math.round(median(runs.map((r) => r.reqPerSec))),
    p50Ms: Number(median(runs.map((r) => r.p50Ms)).toFixed(2)),
    p99Ms: Number(median(runs.map((r) => r.p99Ms)).toFixed(2)),
    runs,
  };
}

async function main(): Promise<void> {
  const generator: LoadGenerator = pickGenerator();
  const secrets = randomSecrets();
  const signer = new CallbackSigner(secrets);
  const secretEnv = {
    WECOM_TOKEN: secrets.token,
    WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
    WECOMBOT_LOG_LEVEL: 'warn',
  };
  const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-callback-'));
  const files = {
    cli: await compile('src/cli/main.ts', 'bench-cli.mjs'),
    minimal: await compile('bench/lib/minimal-callback-server.ts', 'bench-minimal.mjs'),
  };
  const specs = await serverSpecs(dir);
  const running = new Map<string, { child: ChildProcess; url: string }>();
  const poolFile = join(dir, 'pool.txt');
  // Requests sent between the generator reaching the target and stopping still need fresh MsgIds.
  const margin = 3000 + 64 * Math.max(...connsList);
  try {
    for (const spec of specs) {
      const port = await freePort();
      const child = startServer(spec, port, files, secretEnv);
      const url = `http://127.0.0.1:${port}`;
      running.set(spec.id, { child, url });
      await waitReady(`${url}/healthz`, child);
      if (spec.kind === 'constant') continue;
      // The answer is right: decrypt one passive reply of every server that answers callbacks.
      const probe = makePool(signer, 1, `probe-${spec.id}`)[0]!;
      const res = await fetch(`${url}${probe.path}`, { method: 'POST', body: probe.body });
      const reply = signer.openReply({ body: await res.text() });
      if (reply?.content !== 'pong') throw new Error(`${spec.label} answered ${JSON.stringify(reply)} instead of pong`);
    }

    const warmPool = join(dir, 'warm.txt');
    await writePool(warmPool, makePool(signer, warmup + margin, 'warm'));
    for (const spec of specs) {
      const { url, child } = running.get(spec.id)!;
      await runLoad({ generator, url, poolFile: warmPool, target: warmup, connections: 16, serverPid: child.pid });
    }

    const levels: { connections: number; rows: Row[] }[] = [];
    for (const connections of connsList) {
      const runs = new Map<string, LoadResult[]>(specs.map((s) => [s.id, []]));
      for (let r = 0; r < rounds; r++) {
        await writePool(poolFile, makePool(signer, requests + margin, `c${connections}-r${r}`));
        // Rotate the order every round, so no server always runs first (or right after another).
        const order = specs.map((_, i) => specs[(i + r) % specs.length]!);
        for (const spec of order) {
          const { url, child } = running.get(spec.id)!;
          const m = await runLoad({ generator, url, poolFile, target: requests, connections, serverPid: child.pid });
          // Requests past the pool's end repeat a MsgId (a de-duplicated retry for a bot); the
          // constant server reads no body, and wrk outruns the stop signal most on it.
          if (m.errors || m.non2xx || (m.reused && spec.kind !== 'constant')) {
            throw new Error(
              `${spec.label}: ${m.errors} errors, ${m.non2xx} non-2xx answers, ${m.reused} repeated MsgIds at ${connections} connections`,
            );
          }
          runs.get(spec.id)!.push(m);
        }
      }
      const base = summarize(specs[0]!, runs.get('minimal')!);
      const rows: Row[] = specs.map((spec) => {
        const s = summarize(spec, runs.get(spec.id)!);
        return {
          ...s,
          vsMinimal: s.reqPerCpuSec && base.reqPerCpuSec ? Number((s.reqPerCpuSec / base.reqPerCpuSec).toFixed(2)) : null,
          p99VsMinimal: base.p99Ms ? Number((s.p99Ms / base.p99Ms).toFixed(2)) : null,
        };
      });
      levels.push({ connections, rows });
    }

    const at16 = levels.find((l) => l.connections === 16) ?? levels[0]!;
    const pick = (id: string) => at16.rows.find((r) => r.id === id);
    const checks = {
      memory: { target: TARGETS.memory, value: pick('memory')?.vsMinimal ?? null },
      sqlite: { target: TARGETS.sqlite, value: pick('sqlite')?.vsMinimal ?? null },
      p99At16: { target: TARGETS.p99At16, value: levels.find((l) => l.connections === 16) ? (pick('memory')?.p99VsMinimal ?? null) : null },
    };
    const met = {
      memory: checks.memory.value !== null && checks.memory.value >= TARGETS.memory,
      sqlite: checks.sqlite.value !== null && checks.sqlite.value >= TARGETS.sqlite,
      p99At16: checks.p99At16.value !== null && checks.p99At16.value <= TARGETS.p99At16,
    };
    const sqliteP99 = pick('sqlite')?.p99VsMinimal ?? null;

    if (json) {
      const strip = (r: Row) => ({ ...r, runs: r.runs.map(({ generator: _g, ...rest }) => rest) });
      process.stdout.write(
        `${JSON.stringify({
          benchmark: 'callback',
          node: process.version,
          generator,
          requests,
          rounds,
          levels: levels.map((l) => ({ connections: l.connections, rows: l.rows.map(strip) })),
          targets: TARGETS,
          checks,
          sqliteP99VsMinimal: sqliteP99,
          met,
        })}\n`,
      );
      return;
    }
    const fmt = (v: number | null, suffix = '') => (v === null ? 'n/a' : `${v.toLocaleString('en-US')}${suffix}`);
    for (const level of levels) {
      const table = [
        ['server', 'req/CPU-s', 'vs minimal', 'CPU µs/req', 'req/s', 'p50 ms', 'p99 ms', 'p99 vs minimal'],
        ...level.rows.map((r) => [
          r.label,
          fmt(r.reqPerCpuSec),
          r.vsMinimal === null ? 'n/a' : `${r.vsMinimal.toFixed(2)}x`,
          fmt(r.cpuUsPerReq),
          fmt(r.reqPerSec),
          r.p50Ms.toFixed(2),
          r.p99Ms.toFixed(2),
          r.p99VsMinimal === null ? 'n/a' : `${r.p99VsMinimal.toFixed(2)}x`,
        ]),
      ];
      const w = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
      const line = (row: string[]) => `| ${row.map((v, c) => (c === 0 ? v.padEnd(w[c]!) : v.padStart(w[c]!))).join(' | ')} |`;
      process.stdout.write(
        `\ncallback cost at ${level.connections} connection${level.connections === 1 ? '' : 's'}: ${generator}, median of ${rounds} rounds of ${requests} distinct callbacks, ${process.version}\n`,
      );
      process.stdout.write(`${line(table[0]!)}\n|${w.map((n, c) => (c === 0 ? '-'.repeat(n + 2) : `${'-'.repeat(n + 1)}:`)).join('|')}|\n`);
      for (const row of table.slice(1)) process.stdout.write(`${line(row)}\n`);
    }
    const say = (ok: boolean) => (ok ? 'met' : 'NOT met');
    process.stdout.write(
      `\ntargets (req/CPU-s vs the minimal handler${levels.some((l) => l.connections === 16) ? ', at 16 connections' : ''}): ` +
        `memory >= ${TARGETS.memory}x: ${fmt(checks.memory.value, 'x')} ${say(met.memory)}; ` +
        `SQLite >= ${TARGETS.sqlite}x: ${fmt(checks.sqlite.value, 'x')} ${say(met.sqlite)}; ` +
        `p99 (memory) <= ${TARGETS.p99At16}x the minimal's: ${fmt(checks.p99At16.value, 'x')} ${say(met.p99At16)}` +
        `${sqliteP99 === null ? '' : ` (SQLite ${sqliteP99}x)`}\n`,
    );
    process.stdout.write('req/s and latency move with the load generator sharing the cores; req/CPU-s is the server process alone.\n');
  } finally {
    for (const { child } of running.values()) await stop(child);
    for (const spec of specs) await spec.cleanup?.().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
