/**
 * Callback throughput of `wecombot serve`: signed, encrypted text callbacks (`@bot ping`), each
 * answered with an encrypted passive reply (`pong`, the built-in diagnostic bot), under
 * autocannon; in the same run, a bare `node:http` server answering a constant.
 *
 *   npm run bench:callback                  # table
 *   npm run bench:callback -- --json        # one JSON object
 *   npm run bench:callback -- --connections 32 --requests 20000
 *
 * Both servers run as child processes; `wecombot serve` is compiled first (esbuild, like an
 * installed package; not tsx). The bare server gets the same POSTs. The load generator runs here.
 * Every callback carries its own MsgId (pre-encrypted before the run, so the generator does no
 * crypto), so none is short-cut by de-duplication: each one is verified, decrypted, parsed,
 * de-duplicated in the store, routed, answered and encrypted. Target: >= 0.5x bare.
 *
 * Session cost: the same callbacks (from 500 members) against `wecombot serve` on a SQLite file
 * and on PostgreSQL (when reachable), once with the diagnostic bot and once with a module that
 * reads and writes the member's session per callback (bench/fixtures/session-bot.config.ts),
 * alternating in rounds; the difference is the session's cost. `--store-requests N` per round.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { groupCallbackJson, groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import { BENCH_POSTGRES_URL as postgresUrl, dropPostgresNamespace, postgresReachable } from './lib/services.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const connections = arg('connections', 16);
const requests = arg('requests', 20000);
const rounds = arg('rounds', 3);
const storeRequests = arg('store-requests', 4000);
const root = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server at ${url} did not start`);
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Compiles the CLI like `npm run build` would (plain JavaScript, no dev-time helpers), so the
 * figures are those of an installed `wecombot serve`, not of tsx's on-the-fly transpilation.
 */
async function compileCli(): Promise<string> {
  const esbuild = await import('esbuild');
  const out = join(root, '.wecombot', 'bench-cli.mjs');
  await esbuild.build({
    entryPoints: [join(root, 'src/cli/main.ts')],
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
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

interface Measured {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests per CPU-second of the server process (Linux /proc), undefined elsewhere. */
  reqPerCpuSec: number | undefined;
  non2xx: number;
  errors: number;
}

/**
 * CPU time (user + system, ms) a process has used, from /proc/<pid>/stat. Throughput under
 * a load generator on the same machine swings with the generator and the neighbours; CPU time
 * per request is the server's own cost.
 */
async function cpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

type Req = { path: string; body: Buffer };

async function load(url: string, next: () => Req | undefined, amount = requests, pid?: number): Promise<Measured> {
  const cpuBefore = await cpuMs(pid);
  const started = process.hrtime.bigint();
  const result = await autocannon({
    url,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const r = next();
          if (!r) return req;
          return { ...req, path: r.path, body: r.body };
        },
      },
    ],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = await cpuMs(pid);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
  return {
    reqPerCpuSec: cpu ? Math.round((amount - result.errors) / (cpu / 1000)) : undefined,
    // Completed requests over wall time (autocannon's per-second average is coarse for short runs).
    reqPerSec: Math.round((amount - result.errors) / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Distinct signed, encrypted `@bot ping` callbacks (unique MsgIds), made before the run. */
function makePool(signer: CallbackSigner, format: 'xml' | 'json', n: number, tag: string, members = 1): Req[] {
  const pool: Req[] = [];
  for (let i = 0; i < n; i++) {
    const userId = members === 1 ? 'alice' : `member-${i % members}`;
    const fields = {
      msgId: `bench-${tag}-${i}`,
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
      chatId: 'wrBENCH',
      chatType: 'group',
      from: { userId, name: userId },
    };
    const event = { kind: 'text', content: '@bot ping' } as const;
    const req = signer.post(
      '/wecom/callback',
      format === 'xml' ? groupCallbackXml(fields, event) : groupCallbackJson(fields, event),
      format,
    );
    pool.push({ path: `${req.path}?${req.rawQuery}`, body: Buffer.from(req.body) });
  }
  return pool;
}

function row(name: string, m: Measured, bare: Measured): string[] {
  const cpu =
    m.reqPerCpuSec !== undefined && bare.reqPerCpuSec
      ? [String(m.reqPerCpuSec), `${(m.reqPerCpuSec / bare.reqPerCpuSec).toFixed(2)}x`]
      : ['n/a', 'n/a'];
  return [name, String(m.reqPerSec), String(m.p50Ms), String(m.p99Ms), `${(m.reqPerSec / bare.reqPerSec).toFixed(2)}x`, ...cpu];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

/** The median of each figure over rounds; non-2xx answers and errors are summed. */
function med(ms: Measured[]): Measured {
  const cpu = ms.map((m) => m.reqPerCpuSec).filter((v): v is number => v !== undefined);
  return {
    reqPerSec: median(ms.map((m) => m.reqPerSec)),
    p50Ms: median(ms.map((m) => m.p50Ms)),
    p99Ms: median(ms.map((m) => m.p99Ms)),
    reqPerCpuSec: cpu.length === ms.length ? median(cpu) : undefined,
    non2xx: ms.reduce((a, m) => a + m.non2xx, 0),
    errors: ms.reduce((a, m) => a + m.errors, 0),
  };
}

function serve(cli: string, port: number, env: NodeJS.ProcessEnv, config?: string): ChildProcess {
  const args = ['node', 'wecombot', 'serve', '--port', String(port), '--no-jobs', ...(config ? ['--config', config] : [])];
  return start(
    ['--input-type=module', '-e', `import(${JSON.stringify(pathToFileURL(cli).href)}).then((m) => m.run(${JSON.stringify(args)}))`],
    env,
  );
}

interface SessionCost {
  store: string;
  without: Measured;
  withSession: Measured;
  /** Server CPU time a session read+write adds to one callback. */
  cpuMsPerCallback: number | null;
  p50AddedMs: number;
}

/**
 * One store: the diagnostic bot and the session bot on it, alternating for `rounds` rounds of
 * fresh callbacks (500 members, so most sessions exist after the first round).
 */
async function sessionCost(
  cli: string,
  signer: CallbackSigner,
  secrets: { token: string; encodingAesKey: string },
  store: string,
  databaseUrl: string,
  namespace = 'wecombot',
): Promise<SessionCost> {
  const total = storeRequests * rounds + warmN;
  const pools = {
    without: makePool(signer, 'xml', total, `so-${store}`, 500),
    withSession: makePool(signer, 'xml', total, `sw-${store}`, 500),
  };
  const env = {
    WECOM_TOKEN: secrets.token,
    WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
    WECOMBOT_DATABASE_URL: databaseUrl,
    WECOMBOT_STORE_NAMESPACE: namespace,
    WECOMBOT_LOG_LEVEL: 'warn',
  };
  const ports = { without: await freePort(), withSession: await freePort() };
  const servers = {
    without: serve(cli, ports.without, env),
    withSession: serve(cli, ports.withSession, env, join(root, 'bench/fixtures/session-bot.config.ts')),
  };
  try {
    for (const port of Object.values(ports)) await waitReady(`http://127.0.0.1:${port}/healthz`);
    const runs: Record<'without' | 'withSession', Measured[]> = { without: [], withSession: [] };
    const cursor = { without: 0, withSession: 0 };
    const next = (k: 'without' | 'withSession') => () => pools[k][cursor[k]++];
    for (const k of ['without', 'withSession'] as const) await load(`http://127.0.0.1:${ports[k]}`, next(k), warmN);
    for (let r = 0; r < rounds; r++) {
      for (const k of r % 2 ? (['withSession', 'without'] as const) : (['without', 'withSession'] as const)) {
        runs[k].push(await load(`http://127.0.0.1:${ports[k]}`, next(k), storeRequests, servers[k].pid));
      }
    }
    for (const m of [...runs.without, ...runs.withSession]) {
      if (m.non2xx || m.errors) throw new Error(`a ${store} run had ${m.non2xx} non-2xx answers and ${m.errors} errors`);
    }
    const without = med(runs.without);
    const withSession = med(runs.withSession);
    return {
      store,
      without,
      withSession,
      cpuMsPerCallback:
        without.reqPerCpuSec && withSession.reqPerCpuSec
          ? Number((1000 / withSession.reqPerCpuSec - 1000 / without.reqPerCpuSec).toFixed(3))
          : null,
      p50AddedMs: Number((withSession.p50Ms - without.p50Ms).toFixed(2)),
    };
  } finally {
    await stop(servers.without);
    await stop(servers.withSession);
  }
}

const warmN = 1000;

async function main(): Promise<void> {
  const secrets = randomSecrets();
  const signer = new CallbackSigner(secrets);
  const xml = makePool(signer, 'xml', requests * rounds + warmN + 1, 'x');
  const jsonPool = makePool(signer, 'json', requests * rounds + warmN, 'j');

  const botPort = await freePort();
  const barePort = await freePort();
  const cli = await compileCli();
  const bot = serve(cli, botPort, {
    WECOM_TOKEN: secrets.token,
    WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
    WECOMBOT_DATABASE_URL: 'memory:',
    WECOMBOT_LOG_LEVEL: 'warn',
  });
  const bare = start(
    [
      '-e',
      `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); }).listen(${barePort}, '127.0.0.1');`,
    ],
    {},
  );
  try {
    await waitReady(`http://127.0.0.1:${botPort}/healthz`);
    await waitReady(`http://127.0.0.1:${barePort}/`);
    const botUrl = `http://127.0.0.1:${botPort}`;
    const bareUrl = `http://127.0.0.1:${barePort}`;

    // The answer is right: decrypt one passive reply.
    const probe = xml[xml.length - 1] as Req;
    const res = await fetch(`${botUrl}${probe.path}`, { method: 'POST', body: probe.body });
    const reply = signer.openReply({ body: await res.text() });
    if (reply?.content !== 'pong') throw new Error(`wecombot serve answered ${JSON.stringify(reply)} instead of pong`);

    const from = (pool: Req[], offset: number) => {
      let i = offset;
      return () => pool[i++];
    };
    const cycle = (pool: Req[]) => {
      let i = 0;
      return () => pool[i++ % requests];
    };
    // Warm-up of both servers, then `rounds` rounds of bare, wecombot XML and wecombot JSON in a
    // rotating order; each figure is the median over rounds, so a noisy moment on the machine
    // does not decide the ratio. The bare server gets the very same POSTs (it drains the body
    // and answers a constant).
    await load(bareUrl, cycle(xml), warmN);
    await load(botUrl, from(xml, requests * rounds), warmN);
    await load(botUrl, from(jsonPool, requests * rounds), warmN);
    const runs: Record<'bare' | 'xml' | 'json', Measured[]> = { bare: [], xml: [], json: [] };
    const order: ('bare' | 'xml' | 'json')[] = ['bare', 'xml', 'json'];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < order.length; k++) {
        const which = order[(k + r) % order.length] as 'bare' | 'xml' | 'json';
        if (which === 'bare') runs.bare.push(await load(bareUrl, cycle(xml), requests, bare.pid));
        else if (which === 'xml') runs.xml.push(await load(botUrl, from(xml, r * requests), requests, bot.pid));
        else runs.json.push(await load(botUrl, from(jsonPool, r * requests), requests, bot.pid));
      }
    }
    const wbXml = med(runs.xml);
    const wbJson = med(runs.json);
    const bareM = med(runs.bare);
    for (const m of [...runs.xml, ...runs.json]) {
      if (m.non2xx || m.errors) throw new Error(`a wecombot run had ${m.non2xx} non-2xx answers and ${m.errors} errors`);
    }
    const bareRps = bareM.reqPerSec;
    await stop(bot);
    await stop(bare);
    const sessions: SessionCost[] = [];
    if (!process.argv.includes('--no-sessions')) {
      const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-session-'));
      try {
        sessions.push(await sessionCost(cli, signer, secrets, 'SQLite file', `sqlite:${join(dir, 'bench.db')}`));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      if (await postgresReachable(postgresUrl)) {
        const namespace = `bench_${process.pid}`;
        try {
          sessions.push(await sessionCost(cli, signer, secrets, 'PostgreSQL', postgresUrl, namespace));
        } finally {
          await dropPostgresNamespace(postgresUrl, namespace);
        }
      } else process.stderr.write(`PostgreSQL not reachable at ${new URL(postgresUrl).host}: its session row is left out\n`);
    }
    const result = {
      node: process.version,
      connections,
      requests,
      rounds,
      wecombotXml: wbXml,
      wecombotJson: wbJson,
      bare: bareM,
      ratioXml: Number((wbXml.reqPerSec / bareRps).toFixed(2)),
      ratioJson: Number((wbJson.reqPerSec / bareRps).toFixed(2)),
      cpuRatioXml: bareM.reqPerCpuSec && wbXml.reqPerCpuSec ? Number((wbXml.reqPerCpuSec / bareM.reqPerCpuSec).toFixed(2)) : null,
      cpuRatioJson: bareM.reqPerCpuSec && wbJson.reqPerCpuSec ? Number((wbJson.reqPerCpuSec / bareM.reqPerCpuSec).toFixed(2)) : null,
      target: 0.5,
      sessions,
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const rows = [
      ['server', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'req/CPU-s', 'vs bare'],
      row('wecombot serve, XML callback (WeCom default) + encrypted passive reply', wbXml, bareM),
      row('wecombot serve, JSON callback (robot_callback_format=json)', wbJson, bareM),
      row('bare node:http constant (same POST bodies)', bareM, bareM),
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    process.stdout.write(
      `callback throughput, median of ${rounds} rounds of ${requests} requests, ${connections} connections, ${process.version}\n`,
    );
    for (const r of rows)
      process.stdout.write(`${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ')}\n`);
    process.stdout.write(
      `target: >= ${result.target}x bare. req/s depends on the load generator sharing the machine; req/CPU-s is the server's own cost.\n`,
    );
    if (sessions.length > 0) {
      const srows = [
        ['store', 'bot', 'req/s', 'p50 ms', 'p99 ms', 'req/CPU-s', 'session CPU ms/callback', 'p50 added ms'],
        ...sessions.flatMap((c) => [
          [
            c.store,
            'diagnostic (dedupe only)',
            String(c.without.reqPerSec),
            String(c.without.p50Ms),
            String(c.without.p99Ms),
            String(c.without.reqPerCpuSec ?? 'n/a'),
            '',
            '',
          ],
          [
            c.store,
            'session read+write',
            String(c.withSession.reqPerSec),
            String(c.withSession.p50Ms),
            String(c.withSession.p99Ms),
            String(c.withSession.reqPerCpuSec ?? 'n/a'),
            String(c.cpuMsPerCallback ?? 'n/a'),
            String(c.p50AddedMs),
          ],
        ]),
      ];
      const sw = srows[0]!.map((_, c) => Math.max(...srows.map((r) => r[c]!.length)));
      process.stdout.write(
        `\nsession cost, median of ${rounds} rounds of ${storeRequests} XML callbacks from 500 members, ${connections} connections\n`,
      );
      for (const r of srows) process.stdout.write(`${r.map((v, c) => (c < 2 ? v.padEnd(sw[c]!) : v.padStart(sw[c]!))).join('  ')}\n`);
    }
  } finally {
    await stop(bot);
    await stop(bare);
  }
}

await main();
