/**
 * A quick look at the throughput phase of bench:ws only (no reconnect, no memory phase), for
 * profiling and iterating: `node --import tsx bench/ws/quick.ts [sdk|wecombot|both] [messages]`.
 * Prints msgs/s and the client's CPU µs per message. WS_BENCH_CPU_PROF=<dir> profiles the client.
 */
import { fork } from 'node:child_process';
import { startFakeLongConnection } from '../../src/testing/index.js';
import { buildChild } from './build.js';

const [which = 'both', n = '20000'] = process.argv.slice(2);
const messages = Number(n);
const profDir = process.env.WS_BENCH_CPU_PROF;
const childPath = await buildChild();

async function run(client: 'sdk' | 'wecombot'): Promise<Record<string, number | string>> {
  const waiting = new Map<string, () => void>();
  const fake = await startFakeLongConnection({
    bots: { b: 'bench-secret-123456' },
    record: false,
    onFrame: (f) => {
      if (f.cmd !== 'aibot_respond_msg' || f.errcode !== 0) return;
      const done = waiting.get(f.reqId);
      waiting.delete(f.reqId);
      done?.();
    },
  });
  const child = fork(childPath, [client, fake.url, 'b', 'bench-secret-123456'], {
    execArgv: profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [],
  });
  await new Promise((r) => child.once('message', r));
  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { cpuUs: number }) => resolve(m.cpuUs));
      child.send('cpu');
    });
  let seq = 0;
  const one = () => new Promise<void>((resolve) => waiting.set(fake.text(`u${seq % 50}`, `ping ${seq++}`).reqId, resolve));
  const windowed = async (count: number, inFlight: number) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (started++ < count) await one();
      }),
    );
  };
  await windowed(3000, 50);
  const c0 = await cpu();
  const p0 = process.cpuUsage();
  const t0 = performance.now();
  await windowed(messages, Number(process.env.INFLIGHT ?? 200));
  const s = (performance.now() - t0) / 1000;
  const p1 = process.cpuUsage(p0);
  const c1 = await cpu();
  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  await fake.close();
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
