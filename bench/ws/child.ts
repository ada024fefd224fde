/** One client of bench:ws in its own process, so its memory is its own: `child.ts sdk|wecombot URL BOT SECRET`. */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startSdkPing, startWecombotPing } from './clients.js';

const [which, url, botId, secret, storeUrl] = process.argv.slice(2) as [string, string, string, string, string?];
const client = which === 'sdk' ? await startSdkPing(url, botId, secret) : await startWecombotPing(url, botId, secret, storeUrl);
process.on('message', (m: string) => {
  if (m === 'mem') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  } else if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpuUs: u.user + u.system });
  } else if (m === 'heap-start') {
    // Allocation profiling (bench/ws/quick.ts, WS_BENCH_HEAP_PROF): every sampled allocation, collected or not.
    void heapSampling.start().then(() => process.send?.({ ok: 1 }));
  } else if (m.startsWith('heap-stop ')) {
    void heapSampling.stop(m.slice('heap-stop '.length)).then(() => process.send?.({ ok: 1 }));
  } else if (m === 'stop') void client.close().then(() => process.exit(0));
});
process.send?.('ready');

const heapSampling = {
  session: undefined as Session | undefined,
  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  },
  async stop(path: string): Promise<void> {
    const { profile } = await this.session!.post('HeapProfiler.stopSampling');
    writeFileSync(path, JSON.stringify(profile));
  },
};
