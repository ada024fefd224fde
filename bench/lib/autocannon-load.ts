/**
 * The fallback load generator of bench/lib/load.ts when wrk is not installed: autocannon in its
 * own process (so it does not share the benchmark's event loop), sending a pool file's requests
 * in order. Prints one `WRK_RESULT {…}` line in the shape wrk-pool.lua prints.
 *
 *   node --import tsx bench/lib/autocannon-load.ts <url> <pool file> <requests> <connections>
 */
import autocannon from 'autocannon';
import { readPool } from './load.js';

const [url, poolFile, target, connections] = process.argv.slice(2);
const pool = await readPool(poolFile ?? '');
const amount = Number(target);
let next = 0;
let reused = 0;
const started = process.hrtime.bigint();
const result = await autocannon({
  url: url ?? '',
  connections: Number(connections),
  amount,
  requests: [
    {
      method: 'POST',
      setupRequest: (req) => {
        if (next >= pool.length) reused++;
        const e = pool[next++ % pool.length]!;
        return { ...req, path: e.path, body: e.body, headers: { 'content-type': 'application/xml' } };
      },
    },
  ],
});
const durationUs = Number(process.hrtime.bigint() - started) / 1000;
process.stdout.write(
  `WRK_RESULT ${JSON.stringify({
    requests: amount,
    durationUs: Math.round(durationUs),
    p50Us: Math.round(result.latency.p50 * 1000),
    p99Us: Math.round(result.latency.p99 * 1000),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    reused,
  })}\n`,
);
