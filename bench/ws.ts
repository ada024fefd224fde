/**
 * bench:ws — the official @wecom/aibot-node-sdk vs wecombot on the smart robot's long
 * connection, in the same run, against the same fake server (wecombot/testing), each client in
 * its own process, both as plain JavaScript (ws/build.ts). A ping bot: each text message is answered with a finished "pong" stream.
 *
 * - throughput: messages/s from the message frame to its reply frame, 200 in flight;
 * - latency p50/p99 of single messages, 10 in flight;
 * - reconnect: from a dropped socket to the first handled message (mean of 2 drops, each after
 *   10.5 s up, default back-off);
 * - memory: heap after 100,000 messages vs after the warm-up (gc'd; flat = within 10 %).
 *
 * Usage: npm run bench:ws [-- --json] [-- --messages 100000] [-- --only sdk|wecombot]
 * Profiling: WS_BENCH_CPU_PROF=<dir> writes a .cpuprofile per client process into <dir>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_REDIS_URL, reachable } from './lib/services.js';
import { percentile } from './lib/timing.js';
import { BENCH_BOT, startPingDriver } from './ws/driver.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const total = Number(args[args.indexOf('--messages') + 1] ?? NaN) || 100_000;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const profDir = process.env.WS_BENCH_CPU_PROF;

interface Result {
  client: string;
  throughput: number;
  p50: number;
  p99: number;
  reconnectMs: number;
  heapWarmMb: number;
  heapAfterMb: number;
  heapGrowth: number;
  /** The client process's CPU time (user + system) per message in the throughput phase. */
  cpuUsPerMsg: number;
}

/** `storeUrl`: redis://… or sqlite:… for wecombot's de-duplication; default the memory store. */
async function run(which: 'sdk' | 'wecombot', storeUrl?: string): Promise<Result> {
  const driver = await startPingDriver({
    client: which,
    storeUrl,
    execArgv: ['--expose-gc', ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])],
  });
  const { windowed, one } = driver;
  const mem = driver.heapBytes;
  const cpu = driver.cpuUs;

  await windowed(3000, 50);
  const heapWarm = await mem();
  const cpu0 = await cpu();
  const t0 = performance.now();
  await windowed(20_000, 200);
  const throughput = 20_000 / ((performance.now() - t0) / 1000);
  const cpuUsPerMsg = ((await cpu()) - cpu0) / 20_000;
  const lat: number[] = [];
  await windowed(3000, 10, (ms) => lat.push(ms));
  const recon: number[] = [];
  // Each drop after a stable connection (the back-off resets after 10 s up), as in production.
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 10_500));
    const d0 = performance.now();
    driver.fake.drop(BENCH_BOT);
    await one();
    recon.push(performance.now() - d0);
  }
  await windowed(Math.max(0, total - 26_000), 200);
  const heapAfter = await mem();
  await driver.stop();
  recon.sort((a, b) => a - b);
  return {
    client:
      which === 'sdk'
        ? '@wecom/aibot-node-sdk 1.0.7'
        : !storeUrl
          ? 'wecombot (memory store)'
          : storeUrl.startsWith('sqlite:')
            ? 'wecombot (SQLite file, the serve --ws default)'
            : 'wecombot (Redis store)',
    throughput: Math.round(throughput),
    p50: +percentile(lat, 50).toFixed(2),
    p99: +percentile(lat, 99).toFixed(2),
    reconnectMs: Math.round(recon.reduce((a, b) => a + b, 0) / recon.length),
    heapWarmMb: +(heapWarm / 2 ** 20).toFixed(1),
    heapAfterMb: +(heapAfter / 2 ** 20).toFixed(1),
    heapGrowth: +((heapAfter / heapWarm - 1) * 100).toFixed(1),
    cpuUsPerMsg: Math.round(cpuUsPerMsg),
  };
}

if (only === 'sdk' || only === 'wecombot') {
  // One client alone (profiling, quick checks): no ratios, the peer did not run.
  console.log(JSON.stringify(await run(only), null, 2));
  process.exit(0);
}
const sdk = await run('sdk');
const ours = await run('wecombot');
// The de-duplication keys of 100,000 messages live an hour: in the memory store they are this
// process's heap; in a SQLite file (`serve --ws` by default) or Redis (several instances) they
// are not. Redis is skipped when it is down.
const sqliteDir = await mkdtemp(join(tmpdir(), 'wecombot-bench-ws-'));
const withSqlite = await run('wecombot', `sqlite:${join(sqliteDir, 'data.db')}`);
await rm(sqliteDir, { recursive: true, force: true });
const redisUrl = BENCH_REDIS_URL;
const withRedis = (await reachable(redisUrl, 6379)) ? await run('wecombot', redisUrl) : undefined;
const targets = {
  throughput: ours.throughput / sdk.throughput,
  p99: ours.p99 / sdk.p99,
  cpuPerMsg: ours.cpuUsPerMsg / sdk.cpuUsPerMsg,
};
if (json) {
  console.log(
    JSON.stringify(
      { messages: total, sdk, wecombot: ours, wecombotSqlite: withSqlite, wecombotRedis: withRedis ?? null, ratios: targets },
      null,
      2,
    ),
  );
} else {
  const rows = [sdk, ours, withSqlite, ...(withRedis ? [withRedis] : [])];
  console.log(`bench:ws — ping bot, ${total.toLocaleString('en')} messages per client, same fake server, one process per client\n`);
  console.log('| client | msgs/s | client CPU µs/msg | p50 ms | p99 ms | reconnect ms | heap warm MB | heap after MB | growth |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.client} | ${r.throughput} | ${r.cpuUsPerMsg} | ${r.p50} | ${r.p99} | ${r.reconnectMs} | ${r.heapWarmMb} | ${r.heapAfterMb} | ${r.heapGrowth}% |`,
    );
  console.log(
    `\nwecombot/SDK: throughput ${targets.throughput.toFixed(2)}x (target >= 1.0), p99 ${targets.p99.toFixed(2)}x (target <= 1.2), client CPU per message ${targets.cpuPerMsg.toFixed(2)}x, reconnect ${ours.reconnectMs} ms (target <= 2000), memory growth ${ours.heapGrowth}% (target within 10%), ${withSqlite.heapGrowth}% with SQLite${withRedis ? `, ${withRedis.heapGrowth}% with Redis` : ''}`,
  );
}
