import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/client/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { maxInAnyWindow } from './helpers.js';

const LIMIT = 4;
const WINDOW = 800;

describe('per-robot rate limiter', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: LIMIT, windowMs: WINDOW });
  });
  afterAll(async () => {
    await fake.close();
  });

  const arrivals = (key: string) => fake.accepted(key).map((r) => r.at);

  it('in memory: 10 concurrent sends to one robot, never more than the limit in any window, no 45009', async () => {
    const key = fake.newKey();
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, rateLimit: { limit: LIMIT, windowMs: WINDOW } });
    try {
      const reports = await Promise.all(Array.from({ length: 10 }, (_, i) => client.text(fake.webhookUrl(key), `m${i}`)));
      expect(reports.every((r) => r.ok)).toBe(true);
      expect(reports.every((r) => r.results[0]?.attempts === 1)).toBe(true);
      expect(fake.received.filter((r) => r.key === key && r.outcome.errcode === 45009)).toHaveLength(0);
      expect(maxInAnyWindow(arrivals(key), WINDOW)).toBeLessThanOrEqual(LIMIT);
      // sends to one robot keep their order
      expect(fake.accepted(key).map((r) => (r.body as { text: { content: string } }).text.content)).toEqual(
        Array.from({ length: 10 }, (_, i) => `m${i}`),
      );
    } finally {
      await client.close();
    }
  });

  it('robots have independent windows', async () => {
    const keys = [fake.newKey(), fake.newKey(), fake.newKey()];
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, rateLimit: { limit: LIMIT, windowMs: WINDOW } });
    try {
      const t0 = Date.now();
      const r = await Promise.all(
        Array.from({ length: LIMIT }, () =>
          client.text(
            keys.map((k) => fake.webhookUrl(k)),
            'x',
          ),
        ),
      );
      expect(r.every((x) => x.ok)).toBe(true);
      // LIMIT messages per robot fit in one window: nothing had to wait for a window to pass
      for (const k of keys) expect(arrivals(k).every((t) => t - t0 < WINDOW)).toBe(true);
    } finally {
      await client.close();
    }
  });

  async function twoClientsShareOneWindow(open: () => Promise<Store>) {
    const key = fake.newKey();
    const stores = [await open(), await open()];
    // Two limiters share the store's window; the margin covers what one cannot see of the
    // other's delays (generous here, as test files run in parallel on a busy machine).
    const clients = stores.map(
      (store) =>
        new WebhookClient({
          baseUrl: fake.baseUrl,
          proxy: false,
          store,
          outbox: false,
          rateLimit: { limit: LIMIT, windowMs: WINDOW, marginMs: 300 },
        }),
    );
    try {
      const sends = clients.flatMap((c, ci) => Array.from({ length: 5 }, (_, i) => c.text(fake.webhookUrl(key), `c${ci}-${i}`)));
      const reports = await Promise.all(sends);
      expect(reports.every((r) => r.ok && r.results[0]?.attempts === 1)).toBe(true);
      expect(fake.accepted(key)).toHaveLength(10);
      expect(fake.received.filter((r) => r.key === key && r.outcome.errcode === 45009)).toHaveLength(0);
      expect(maxInAnyWindow(arrivals(key), WINDOW)).toBeLessThanOrEqual(LIMIT);
    } finally {
      for (const c of clients) await c.close();
      for (const s of stores) await s.close();
    }
  }

  it('two clients with their own SQLite connections share one window', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'wecombot-rl-')), 'rl.db');
    await twoClientsShareOneWindow(() => openStore({ databaseUrl: `sqlite:${file}`, namespace: 'client_rl' }));
  });

  it('two clients over PostgreSQL share one window', async (ctx) => {
    if (!(await serviceAvailable('postgres', POSTGRES_URL))) return ctx.skip();
    await twoClientsShareOneWindow(() => openStore({ databaseUrl: POSTGRES_URL, namespace: 'client_rl' }));
  });

  it('two clients over Redis share one window', async (ctx) => {
    if (!(await serviceAvailable('redis', REDIS_URL))) return ctx.skip();
    await twoClientsShareOneWindow(() => openStore({ redisUrl: REDIS_URL, databaseUrl: 'memory:', namespace: 'client_rl' }));
  });
});
