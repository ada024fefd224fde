/**
 * A worker process for the outbox kill test and the push benchmark. It is meant to be killed
 * with SIGKILL mid-run and started again.
 *
 *   node --import tsx bench/push/outbox-child.ts '<json config>'
 *
 * mode `enqueue`: stores `messages` messages fanned out to every key (one transaction), prints
 * `enqueued <rows>`, then delivers until the outbox is empty and prints `done`.
 * mode `resume`: delivers whatever is pending until the outbox is empty, prints `done`.
 */
import { WebhookClient } from '../../src/client/index.js';
import { openStore } from '../../src/store/index.js';

export interface ChildConfig {
  mode: 'enqueue' | 'resume';
  databaseUrl: string;
  namespace: string;
  baseUrl: string;
  keys: string[];
  messages: number;
  limit: number;
  windowMs: number;
  leaseMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const store = await openStore({ databaseUrl: config.databaseUrl, namespace: config.namespace });
const client = new WebhookClient({
  baseUrl: config.baseUrl,
  proxy: false,
  store,
  rateLimit: { limit: config.limit, windowMs: config.windowMs },
  outbox: { leaseMs: config.leaseMs, pollMs: 100, retryDelayMs: 200 },
  retry: { baseDelayMs: 50 },
});
const outbox = client.outbox;
if (!outbox) throw new Error('outbox expected');

if (config.mode === 'enqueue') {
  const messages = Array.from({ length: config.messages }, (_, i) => ({ msgtype: 'text' as const, text: { content: `msg-${i}` } }));
  const report = await client.send(config.keys, messages, { wait: false });
  process.stdout.write(`enqueued ${report.results.reduce((a, r) => a + (r.outboxIds?.length ?? 0), 0)}\n`);
}
await outbox.drain({ untilEmpty: true });
const counts = await outbox.counts();
process.stdout.write(`done ${JSON.stringify(counts)}\n`);
await client.close();
await store.close();
