/**
 * bench:ws — the official @wecom/aibot-node-sdk vs wecombot on the smart robot's long
 * connection, in the same run, against the same fake server (wecombot/testing), each client in
 * its own process, both as plain JavaScript (ws/build.ts). A ping bot: each text message is answered with a finished "pong" stream.
 *
 * - throughput: messages/s from the message frame to its reply frame, 200 in flight;
 * - latency p50/p99 of single messages, 10 in flight;
 * - both measured in --rounds rounds (default 5) with the SDK and wecombot alive side by side,
 *   taking turns (the first of each round alternating); each figure is the median of its rounds,
 *   and each headline ratio the median of the rounds' paired ratios (printed beside it);
 * - reconnect: from a dropped socket to the first handled message (mean of 2 drops, each after
 *   10.5 s up, default back-off);
 * - memory: heap after 100,000 messages vs after the warm-up (gc'd; flat = within 10 %).
 *
 * Usage: npm run bench:ws [-- --json] [-- --messages 100000] [-- --rounds 5] [-- --only sdk|wecombot]
 * Profiling: WS_BENCH_CPU_PROF=<dir> writes a .cpuprofile per client process into <dir>.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_REDIS_URL, reachable } from './lib/services.js';
import { median, percentile } from './lib/timing.js';
import { BENCH_BOT, startPingDriver } from './ws/driver.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const total = Number(args[args.indexOf('--messages') + 1] ?? NaN) || 100_000;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const profDir = process.env.WS_BENCH_CPU_PROF;
const roundCount = Number(args[args.indexOf('--rounds') + 1] ?? NaN) || 5;
const THROUGHPUT_MESSAGES = 20_000;
const LATENCY_MESSAGES = 3000;

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

type Driver = Awaited<ReturnType<typeof startPingDriver>>;

function label(which: 'sdk' | 'wecombot', storeUrl?: string): string {
  if (which === 'sdk') return '@wecom/aibot-node-sdk 1.0.7';
  if (!storeUrl) return 'wecombot (memory store)';
  return storeUrl.startsWith('sqlite:') ? 'wecombot (SQLite file, the serve --ws default)' : 'wecombot (Redis store)';
}

/** `storeUrl`: redis://… or sqlite:… for wecombot's de-duplication; default the memory store. */
async function start(which: 'sdk' | 'wecombot', storeUrl?: string): Promise<{ driver: Driver; heapWarm: number }> {
  const driver = await startPingDriver({
    client: which,
    storeUrl,
    execArgv: ['--expose-gc', ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [])],
  });
  await driver.windowed(3000, 50);
  return { driver, heapWarm: await driver.heapBytes() };
}

/** One measuring round: throughput and CPU at 200 in flight, then latency at 10 in flight. */
async function round(driver: Driver): Promise<{ throughput: number; cpuUsPerMsg: number; lat: number[] }> {
  const cpu0 = await driver.cpuUs();
  const t0 = performance.now();
  await driver.windowed(THROUGHPUT_MESSAGES, 200);
  const throughput = THROUGHPUT_MESSAGES / ((performance.now() - t0) / 1000);
  const cpuUsPerMsg = ((await driver.cpuUs()) - cpu0) / THROUGHPUT_MESSAGES;
  const lat: number[] = [];
  await driver.windowed(LATENCY_MESSAGES, 10, (ms) => lat.push(ms));
  return { throughput, cpuUsPerMsg, lat };
}

/** Reconnect after two drops, each after a stable connection (the back-off resets after 10 s up), as in production; then the rest of `total`, and the heap. */
async function finish(
  which: 'sdk' | 'wecombot',
  storeUrl: string | undefined,
  { driver, heapWarm }: { driver: Driver; heapWarm: number },
  rounds: { throughput: number; cpuUsPerMsg: number; lat: number[] }[],
): Promise<Result> {
  const recon: number[] = [];
  for (let i = 0; i < 2; i++) {
    await new Promise((r) => setTimeout(r, 10_500));
    const d0 = performance.now();
    driver.fake.drop(BENCH_BOT);
    await driver.one();
    recon.push(performance.now() - d0);
  }
  const sent = 3000 + rounds.length * (THROUGHPUT_MESSAGES + LATENCY_MESSAGES) + 2;
  await driver.windowed(Math.max(0, total - sent), 200);
  const heapAfter = await driver.heapBytes();
  await driver.stop();
  const p = (q: number) => median(rounds.map((r) => percentile(r.lat, q)));
  return {
    client: label(which, storeUrl),
    throughput: Math.round(median(rounds.map((r) => r.throughput))),
    p50: +p(50).toFixed(2),
    p99: +p(99).toFixed(2),
    reconnectMs: Math.round(recon.reduce((a, b) => a + b, 0) / recon.length),
    heapWarmMb: +(heapWarm / 2 ** 20).toFixed(1),
    heapAfterMb: +(heapAfter / 2 ** 20).toFixed(1),
    heapGrowth: +((heapAfter / heapWarm - 1) * 100).toFixed(1),
    cpuUsPerMsg: Math.round(median(rounds.map((r) => r.cpuUsPerMsg))),
  };
}

/** A client alone: its rounds back to back. */
async function run(which: 'sdk' | 'wecombot', storeUrl?: string): Promise<Result> {
  const started = await start(which, storeUrl);
  const rounds = [];
  for (let i = 0; i < roundCount; i++) rounds.push(await round(started.driver));
  return finish(which, storeUrl, started, rounds);
}

if (only === 'sdk' || only === 'wecombot') {
  // One client alone (profiling, quick checks): no ratios, the peer did not run.
  console.log(JSON.stringify(await run(only), null, 2));
  process.exit(0);
}
// The two clients under comparison run alive side by side and take turns, round after round,
// the first of each round alternating: the machine's noise (these are shared VMs, and one round
// is about a second) then falls on both alike, and each figure is the median of its rounds.
const pair = { sdk: await start('sdk'), wecombot: await start('wecombot') };
const perRound: Record<'sdk' | 'wecombot', Awaited<ReturnType<typeof round>>[]> = { sdk: [], wecombot: [] };
const roundRatios: { throughput: number; p99: number; cpuPerMsg: number }[] = [];
for (let i = 0; i < roundCount; i++) {
  const order = i % 2 === 0 ? (['sdk', 'wecombot'] as const) : (['wecombot', 'sdk'] as const);
  for (const which of order) perRound[which].push(await round(pair[which].driver));
  const s = perRound.sdk[i]!;
  const w = perRound.wecombot[i]!;
  roundRatios.push({
    throughput: w.throughput / s.throughput,
    p99: percentile(w.lat, 99) / percentile(s.lat, 99),
    cpuPerMsg: w.cpuUsPerMsg / s.cpuUsPerMsg,
  });
}
const [sdk, ours] = await Promise.all([
  finish('sdk', undefined, pair.sdk, perRound.sdk),
  finish('wecombot', undefined, pair.wecombot, perRound.wecombot),
]);
// The de-duplication keys of 100,000 messages live an hour: in the memory store they are this
// process's heap; in a SQLite file (`serve --ws` by default) or Redis (several instances) they
// are not. Redis is skipped when it is down.
const sqliteDir = await mkdtemp(join(tmpdir(), 'wecombot-bench-ws-'));
const withSqlite = await run('wecombot', `sqlite:${join(sqliteDir, 'data.db')}`);
await rm(sqliteDir, { recursive: true, force: true });
const redisUrl = BENCH_REDIS_URL;
const withRedis = (await reachable(redisUrl, 6379)) ? await run('wecombot', redisUrl) : undefined;
// The headline ratios are paired: the median over rounds of wecombot's figure over the SDK's in
// the same round (a ratio of the two medians would pair figures from different rounds).
const targets = {
  throughput: median(roundRatios.map((r) => r.throughput)),
  p99: median(roundRatios.map((r) => r.p99)),
  cpuPerMsg: median(roundRatios.map((r) => r.cpuPerMsg)),
};
if (json) {
  console.log(
    JSON.stringify(
      {
        messages: total,
        rounds: roundCount,
        sdk,
        wecombot: ours,
        wecombotSqlite: withSqlite,
        wecombotRedis: withRedis ?? null,
        ratios: targets,
        roundRatios,
      },
      null,
      2,
    ),
  );
} else {
  const rows = [sdk, ours, withSqlite, ...(withRedis ? [withRedis] : [])];
  console.log(
    `bench:ws — ping bot, ${total.toLocaleString('en')} messages per client, same fake server, one process per client, medians of ${roundCount} interleaved rounds\n`,
  );
  console.log('| client | msgs/s | client CPU µs/msg | p50 ms | p99 ms | reconnect ms | heap warm MB | heap after MB | growth |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows)
    console.log(
      `| ${r.client} | ${r.throughput} | ${r.cpuUsPerMsg} | ${r.p50} | ${r.p99} | ${r.reconnectMs} | ${r.heapWarmMb} | ${r.heapAfterMb} | ${r.heapGrowth}% |`,
    );
  console.log(
    `\nper round, wecombot/SDK: throughput ${roundRatios.map((r) => r.throughput.toFixed(2)).join(' ')}; p99 ${roundRatios.map((r) => r.p99.toFixed(2)).join(' ')}; CPU per message ${roundRatios.map((r) => r.cpuPerMsg.toFixed(2)).join(' ')}` +
      `\nwecombot/SDK, median of the rounds' ratios: throughput ${targets.throughput.toFixed(2)}x (target >= 1.0), p99 ${targets.p99.toFixed(2)}x (target <= 1.2), client CPU per message ${targets.cpuPerMsg.toFixed(2)}x, reconnect ${ours.reconnectMs} ms (target <= 2000), memory growth ${ours.heapGrowth}% (target within 10%), ${withSqlite.heapGrowth}% with SQLite${withRedis ? `, ${withRedis.heapGrowth}% with Redis` : ''}`,
  );
}
