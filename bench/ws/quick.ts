/**
 * A quick look at the throughput phase of bench:ws only (no reconnect, no memory phase), for
 * profiling and iterating: `node --import tsx bench/ws/quick.ts [sdk|wecombot|both] [messages]`.
 * Prints msgs/s and the client's CPU µs per message. WS_BENCH_CPU_PROF=<dir> profiles the client's
 * CPU, WS_BENCH_HEAP_PROF=<dir> its allocations (every sampled one, collected or not: <client>.heapprofile),
 * WS_BENCH_STORE=sqlite:…|redis://… picks wecombot's store, WS_BENCH_EXEC_ARGV adds node flags (--trace-gc).
 */
import { startPingDriver } from './driver.js';

const [which = 'both', n = '20000'] = process.argv.slice(2);
const messages = Number(n);
const profDir = process.env.WS_BENCH_CPU_PROF;

async function run(client: 'sdk' | 'wecombot'): Promise<Record<string, number | string>> {
  const driver = await startPingDriver({
    client,
    ...(process.env.WS_BENCH_STORE ? { storeUrl: process.env.WS_BENCH_STORE } : {}),
    execArgv: [
      ...(profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : []),
      ...(process.env.WS_BENCH_EXEC_ARGV?.split(' ').filter(Boolean) ?? []),
    ],
  });
  await driver.windowed(3000, 50);
  const heapProf = process.env.WS_BENCH_HEAP_PROF;
  if (heapProf) await driver.control('heap-start');
  const c0 = await driver.cpuUs();
  const p0 = process.cpuUsage();
  const t0 = performance.now();
  await driver.windowed(messages, Number(process.env.INFLIGHT ?? 200));
  const s = (performance.now() - t0) / 1000;
  const p1 = process.cpuUsage(p0);
  const c1 = await driver.cpuUs();
  if (heapProf) await driver.control(`heap-stop ${heapProf}/${client}.heapprofile`);
  await driver.stop();
  return {
    client,
    msgsPerS: Math.round(messages / s),
    cpuUsPerMsg: Math.round((c1 - c0) / messages),
    serverCpuUsPerMsg: Math.round((p1.user + p1.system) / messages),
  };
}

const rounds = Number(process.env.ROUNDS ?? 1);
for (let r = 0; r < rounds; r++)
  for (const c of which === 'both' ? (['sdk', 'wecombot'] as const) : [which as 'sdk' | 'wecombot'])
    console.log(JSON.stringify(await run(c)));
