import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookClient, resolveTarget } from '../../src/client/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { captureLogger } from './helpers.js';

describe('webhook keys never appear in logs, errors or reports', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
  });
  afterAll(async () => {
    await fake.close();
  });

  function everything(value: unknown, seen = new Set<unknown>()): string {
    // Walks errors too (message, hint, cause chain), which JSON.stringify skips.
    if (value === null || typeof value !== 'object') return String(value);
    if (seen.has(value)) return '';
    seen.add(value);
    const own = Object.getOwnPropertyNames(value).map((k) => `${k}=${everything((value as Record<string, unknown>)[k], seen)}`);
    return own.join(' ');
  }

  it('redacts on success, API errors, HTTP 500, network errors and timeouts', async () => {
    const key = fake.newKey();
    const { lines, logger } = captureLogger();
    const client = new WebhookClient({
      baseUrl: fake.baseUrl,
      proxy: false,
      logger,
      timeoutMs: 100,
      retry: { retries: 1, baseDelayMs: 5 },
    });
    const closed = await startFakeWecom();
    await closed.close();
    try {
      const reports = [];
      reports.push(await client.text(fake.webhookUrl(key), 'ok'));
      fake.failNext(93000, 1, { key });
      reports.push(await client.text(fake.webhookUrl(key), 'bad'));
      fake.failNext('http500', 2, { key });
      reports.push(await client.text(fake.webhookUrl(key), '500'));
      fake.failNext('slow', 2, { key, delayMs: 300 });
      reports.push(await client.text(fake.webhookUrl(key), 'slow'));
      reports.push(await client.text(closed.webhookUrl(key), 'refused'));
      await expect(client.uploadMedia(fake.webhookUrl('x'.repeat(36)), Buffer.from('abcdefgh'), { type: 'file' })).rejects.toSatisfy(
        (e: unknown) => !everything(e).includes('x'.repeat(36)),
      );
      const failures = reports.flatMap((r) => r.results).filter((r) => !r.ok);
      expect(failures.map((f) => f.error?.code)).toEqual([
        'wecom_invalid_webhook_url',
        'webhook_http',
        'webhook_timeout',
        'webhook_network',
      ]);
      expect(lines.length).toBeGreaterThan(4);
      const all = [
        everything(reports),
        lines.join('\n'),
        ...failures.map((f) => `${f.error?.message} ${f.error?.hint} ${f.error?.describe()}`),
      ].join('\n');
      expect(all).not.toContain(key);
      expect(all).toContain(`key=${key.slice(0, 4)}…${key.slice(-4)}`);
    } finally {
      await client.close();
    }
  });

  it('labels show the redacted key only', () => {
    const t = resolveTarget('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7abc-4bc4-97a0-0ec2aaaa5aaa', '');
    expect(t.label).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…5aaa');
    expect(t.robotId).toMatch(/^[0-9a-f]{16}$/);
    expect(resolveTarget('693a91f6-7abc-4bc4-97a0-0ec2aaaa5aaa', 'http://127.0.0.1:1').sendUrl).toBe(
      'http://127.0.0.1:1/cgi-bin/webhook/send?key=693a91f6-7abc-4bc4-97a0-0ec2aaaa5aaa',
    );
    expect(() => resolveTarget('https://qyapi.weixin.qq.com/cgi-bin/webhook/send', '')).toThrow(/no key=/);
    expect(() => resolveTarget({}, '')).toThrow(/no webhook URL or key/);
  });
});
