/**
 * The heap of a wecombot long-connection client over 300,000 messages, sampled (after two GCs)
 * every 50,000: does it grow, or only move? bench:ws takes one sample after 100,000, which GC
 * fragmentation alone moves by ±10 %; this trace tells a trend from that noise.
 *
 *   node --import tsx bench/ws/heap-trace.ts [sqlite:/tmp/x.db | redis://127.0.0.1:6379]   # default: memory store
 */
import { fork } from 'node:child_process';
import { startFakeLongConnection } from '../../src/testing/index.js';
import { buildChild } from './build.js';

const SECRET = 'bench-secret-123456';
const store = process.argv[2];
const childPath = await buildChild();
const waiting = new Map<string, () => void>();
const fake = await startFakeLongConnection({
  bots: { b: SECRET },
  record: false,
  onFrame: (f) => {
    if (f.cmd !== 'aibot_respond_msg' || f.errcode !== 0) return;
    const done = waiting.get(f.reqId);
    waiting.delete(f.reqId);
    done?.();
  },
});
const child = fork(childPath, ['wecombot', fake.url, 'b', SECRET, ...(store ? [store] : [])], { execArgv: ['--expose-gc'] });
await new Promise((resolve) => child.once('message', resolve));
const heapMb = () =>
  new Promise<number>((resolve) => {
    child.once('message', (m: { heap: number }) => resolve(m.heap / 2 ** 20));
    child.send('mem');
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
const samples = [await heapMb()];
for (let i = 0; i < 6; i++) {
  await windowed(50_000, 200);
  samples.push(await heapMb());
}
console.log(`${store ?? 'memory store'}: heap MB after 3k, then every 50k messages: ${samples.map((x) => x.toFixed(1)).join(' → ')}`);
child.send('stop');
await new Promise((resolve) => child.once('exit', resolve));
await fake.close();
