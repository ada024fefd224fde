/**
 * The heap of a wecombot long-connection client over 300,000 messages, sampled (after two GCs)
 * every 50,000: does it grow, or only move? bench:ws takes one sample after 100,000, which GC
 * fragmentation alone moves by ±10 %; this trace tells a trend from that noise.
 *
 *   node --import tsx bench/ws/heap-trace.ts [sqlite:/tmp/x.db | redis://127.0.0.1:6379]   # default: memory store
 */
import { startPingDriver } from './driver.js';

const storeUrl = process.argv[2];
const driver = await startPingDriver({ client: 'wecombot', storeUrl, execArgv: ['--expose-gc'] });
const heapMb = async () => (await driver.heapBytes()) / 2 ** 20;
await driver.windowed(3000, 50);
const samples = [await heapMb()];
for (let i = 0; i < 6; i++) {
  await driver.windowed(50_000, 200);
  samples.push(await heapMb());
}
console.log(`${storeUrl ?? 'memory store'}: heap MB after 3k, then every 50k messages: ${samples.map((x) => x.toFixed(1)).join(' → ')}`);
await driver.stop();
