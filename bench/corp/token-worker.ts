// One instance for the token-sharing benchmark: `node --import tsx token-worker.ts '<json>'`.
// Opens its store, prints "ready", and for every "go" line makes `calls` corp API calls
// (`concurrency` in flight), then prints {"ok":n,"failed":n,"ms":t}. Ends with stdin.
import { createInterface } from 'node:readline';
import { createCorpClient } from '../../src/corp/index.js';
import { openStore } from '../../src/store/index.js';

const o = JSON.parse(process.argv[2] as string) as {
  baseUrl: string;
  corpId: string;
  secret: string;
  databaseUrl: string;
  redisUrl?: string;
  namespace: string;
  calls: number;
  concurrency: number;
};
const store = await openStore({ databaseUrl: o.databaseUrl, redisUrl: o.redisUrl, namespace: o.namespace });
const corp = createCorpClient({
  corpId: o.corpId,
  secret: o.secret,
  store,
  baseUrl: o.baseUrl,
  proxy: false,
  retry: { baseDelayMs: 10, maxDelayMs: 100 },
});
process.stdout.write('ready\n');

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'go') continue;
  const started = performance.now();
  let next = 0;
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next++ < o.calls)
        await corp.tags.list().then(
          () => ok++,
          () => failed++,
        );
    }),
  );
  process.stdout.write(JSON.stringify({ ok, failed, ms: performance.now() - started }) + '\n');
}
await corp.close();
await store.close();
