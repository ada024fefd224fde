import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookClient, type WebhookClientOptions } from '../../src/client/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';

describe('failures: retries with back-off, 45009 waits, no retry of permanent errors', () => {
  let fake: FakeWecom;
  let sleeps: number[];
  const make = (o: WebhookClientOptions = {}) =>
    new WebhookClient({
      baseUrl: fake.baseUrl,
      proxy: false,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
      rateLimit: { limit: 100, windowMs: 300 },
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((r) => setTimeout(r, ms));
      },
      ...o,
    });
  let client: WebhookClient;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
    client = make();
  });
  afterAll(async () => {
    await client.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    sleeps = [];
  });

  const sends = () => fake.received.filter((r) => r.endpoint === 'send');

  it.each([
    ['errcode -1', -1],
    ['errcode 45033', 45033],
    ['HTTP 500', 'http500'],
    ['a dropped connection', 'drop'],
  ] as const)('retries %s and then succeeds', async (_name, kind) => {
    fake.failNext(kind, 2);
    const r = await client.text(fake.url, 'retry me');
    expect(r.results[0]).toMatchObject({ ok: true, attempts: 3 });
    expect(sends()).toHaveLength(3);
    expect(fake.accepted()).toHaveLength(1);
    // two back-off sleeps, each within [base*2^n/2, base*2^n]
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10);
    expect(sleeps[0]).toBeLessThanOrEqual(20);
    expect(sleeps[1]).toBeGreaterThanOrEqual(20);
    expect(sleeps[1]).toBeLessThanOrEqual(40);
  });

  it('times out a slow answer, retries, and the abandoned request is not delivered', async () => {
    const c = make({ timeoutMs: 150 });
    try {
      fake.failNext('slow', 1, { delayMs: 600 });
      const r = await c.text(fake.url, 'slow');
      expect(r.results[0]).toMatchObject({ ok: true, attempts: 2 });
      await new Promise((res) => setTimeout(res, 600));
      expect(fake.received[0]?.outcome.abandoned).toBe(true);
      expect(fake.accepted()).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('reports a timeout with code webhook_timeout once retries are spent', async () => {
    const c = make({ timeoutMs: 100, retry: { retries: 1, baseDelayMs: 10 } });
    try {
      fake.failNext('slow', 2, { delayMs: 400 });
      const r = await c.text(fake.url, 'slow');
      expect(r.results[0]).toMatchObject({ ok: false, status: 'failed', attempts: 2 });
      expect(r.results[0]?.error?.code).toBe('webhook_timeout');
    } finally {
      await c.close();
    }
  });

  it('a connection dropped after WeCom accepted is retried: the documented duplicate', async () => {
    fake.failNext('drop-after-accept');
    const r = await client.text(fake.url, 'dup');
    expect(r.ok).toBe(true);
    expect(fake.accepted()).toHaveLength(2);
  });

  it('gives up after `retries` and reports the typed error with its hint', async () => {
    fake.failNext(-1, 10);
    const r = await client.text(fake.url, 'busy');
    const res = r.results[0];
    expect(res).toMatchObject({ ok: false, status: 'failed', errcode: -1, attempts: 4 });
    expect(res?.error?.name).toBe('WebhookApiError');
    expect(res?.error?.hint).toMatch(/retry/);
    expect(sends()).toHaveLength(4);
  });

  it('waits one full window on 45009 instead of hammering, then delivers', async () => {
    fake.failNext(45009, 2);
    const r = await client.text(fake.url, 'limited');
    expect(r.results[0]).toMatchObject({ ok: true, attempts: 3 });
    // window 300 + margin 50: each wait is the full window
    expect(sleeps.filter((s) => s >= 350)).toHaveLength(2);
    expect(sends()).toHaveLength(3);
  });

  it('gives up on 45009 after rateLimitRetries windows', async () => {
    const c = make({ retry: { rateLimitRetries: 1 } });
    try {
      fake.failNext(45009, 5);
      const r = await c.text(fake.url, 'limited');
      expect(r.results[0]).toMatchObject({ ok: false, errcode: 45009, attempts: 2 });
      expect(r.results[0]?.error?.code).toBe('wecom_rate_limited');
    } finally {
      await c.close();
    }
  });

  it.each([40058, 93000, 40008, 93004])('never retries errcode %i', async (code) => {
    fake.failNext(code);
    const r = await client.text(fake.url, 'x');
    expect(r.results[0]).toMatchObject({ ok: false, errcode: code, attempts: 1 });
    expect(sends()).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  it('a real bad key answers 93000 with the errcode-table hint, not retried', async () => {
    const r = await client.text(fake.webhookUrl('bad'), 'x');
    expect(r.results[0]).toMatchObject({ ok: false, errcode: 93000, attempts: 1 });
    expect(r.results[0]?.error?.hint).toMatch(/webhook/);
  });

  it('an answer that is not WeCom JSON fails without retry', async () => {
    const r = await client.text(`${fake.baseUrl}/not/the/api?key=${fake.key}`, 'x');
    expect(r.results[0]).toMatchObject({ ok: false, attempts: 1 });
    expect(r.results[0]?.error?.code).toBe('webhook_http');
  });

  it('a refused connection is a network error, retried, then reported', async () => {
    const closed = await startFakeWecom();
    const url = closed.url;
    await closed.close();
    const r = await client.text(url, 'x');
    expect(r.results[0]).toMatchObject({ ok: false, attempts: 4 });
    expect(r.results[0]?.error?.code).toBe('webhook_network');
  });

  it('stops sending later parts of a split message after a permanent failure', async () => {
    fake.failNext(40058, 1);
    const long = Array.from({ length: 400 }, (_, i) => `line ${i} of a long report`).join('\n');
    const r = await client.text(fake.url, long);
    expect(r.results[0]).toMatchObject({ ok: false, delivered: 0 });
    expect(r.results[0]?.parts).toBeGreaterThan(1);
    expect(sends()).toHaveLength(1);
  });
});
