import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { notifier } from '../../../src/bots/notifier/module.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/store.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import { startFakeOpenMeteo, startFakeQWeather, type FakeWeatherServer } from '../../../src/testing/fake-weather.js';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function fakes() {
  const wecom = await startFakeWecom();
  closers.push(() => wecom.close());
  return wecom;
}

async function weather(start: Promise<FakeWeatherServer>) {
  const server = await start;
  closers.push(() => server.close());
  return server;
}

describe('notifier bot, end to end', () => {
  it('pushes the Open-Meteo forecast to every configured robot', async () => {
    const wecom = await fakes();
    const meteo = await weather(startFakeOpenMeteo({ code: 63, max: 18, min: 11, pop: 90, mm: 12 }));
    const [k1, k2] = [wecom.newKey(), wecom.newKey()];
    const bot = createBot({ logLevel: 'silent' });
    closers.push(() => bot.close());
    await bot.install(
      notifier({
        webhooks: [wecom.webhookUrl(k1), wecom.webhookUrl(k2)],
        weather: { provider: 'open-meteo', location: { city: '北京' }, baseUrl: meteo.url, geocodingBaseUrl: meteo.url },
      }),
    );
    expect(bot.jobs().map((j) => [j.name, j.schedule])).toEqual([['notifier', '0 0 8 * * *']]);
    const result = await bot.runJob('notifier', new Date('2026-11-25T00:00:00Z'));
    expect(result.status).toBe('ran');
    for (const key of [k1, k2]) {
      const pushes = wecom.accepted(key).map((r) => r.body as { msgtype: string; markdown: { content: string } });
      expect(pushes).toHaveLength(1);
      expect(pushes[0]?.msgtype).toBe('markdown');
      expect(pushes[0]?.markdown.content).toContain('北京');
      expect(pushes[0]?.markdown.content).toContain('中雨');
      expect(pushes[0]?.markdown.content).toContain('<font color="warning">☔');
    }
  });

  it('pushes the QWeather forecast, warning about heat', async () => {
    const wecom = await fakes();
    const qw = await weather(startFakeQWeather('qw-key'));
    const key = wecom.newKey();
    const bot = createBot({ logLevel: 'silent', webhookUrl: wecom.webhookUrl(key) });
    closers.push(() => bot.close());
    await bot.install(
      notifier({ weather: { provider: 'qweather', apiKey: 'qw-key', location: { city: '深圳' }, baseUrl: qw.url, geoBaseUrl: qw.url } }),
    );
    expect((await bot.runJob('notifier')).status).toBe('ran');
    const content = (wecom.accepted(key)[0]?.body as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('晴转多云');
    expect(content).toContain('高温 37°C');
  });

  it('pushes the "unavailable" notice when the provider keeps failing', async () => {
    const wecom = await fakes();
    const meteo = await weather(startFakeOpenMeteo());
    meteo.failNext(50);
    const key = wecom.newKey();
    const bot = createBot({ logLevel: 'silent', webhookUrl: wecom.webhookUrl(key) });
    closers.push(() => bot.close());
    await bot.install(
      notifier({
        retry: { attempts: 2, backoffMs: 1 },
        weather: { provider: 'open-meteo', location: { latitude: 1, longitude: 2, name: '测试' }, baseUrl: meteo.url },
      }),
    );
    expect((await bot.runJob('notifier')).status).toBe('ran');
    const content = (wecom.accepted(key)[0]?.body as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('暂时无法获取');
  });

  it('fails the run with a clear error when there is no webhook', async () => {
    const bot = createBot({ logLevel: 'silent' });
    closers.push(() => bot.close());
    await bot.install(notifier({ weather: { provider: 'offline-sample', location: { city: '北京' } } }));
    const result = await bot.runJob('notifier');
    expect(result.status).toBe('failed');
    expect(result.status === 'failed' && result.error.message).toMatch(/no webhook/);
  });

  it('runs once when two instances share a store and the timer fires on both', async () => {
    const wecom = await fakes();
    const dir = mkdtempSync(join(tmpdir(), 'notifier-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const stores: Store[] = [];
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'shared.db')}` });
      stores.push(store);
      closers.push(() => store.close());
    }
    const key = wecom.newKey();
    const bots = stores.map((store) => createBot({ logLevel: 'silent', store, webhookUrl: wecom.webhookUrl(key) }));
    for (const bot of bots) {
      closers.push(() => bot.close());
      await bot.install(notifier({ weather: { provider: 'offline-sample', location: { city: '北京' } } }));
    }
    const firedAt = new Date('2026-11-26T00:00:00Z');
    const results = await Promise.all(bots.map((bot) => bot.runJob('notifier', firedAt)));
    expect(results.map((r) => r.status).sort()).toEqual(['ran', 'skipped']);
    expect(wecom.accepted(key)).toHaveLength(1);
  });
});
