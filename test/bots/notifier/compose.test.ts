import { afterEach, describe, expect, it } from 'vitest';
import { composeNotifierMessages } from '../../../src/bots/notifier/compose.js';
import { parseNotifierConfig, type NotifierConfigInput } from '../../../src/bots/notifier/config.js';
import { renderWeatherMarkdown, weatherWarnings } from '../../../src/bots/notifier/report/render-weather.js';
import { startFakeOpenMeteo, type FakeWeatherServer } from '../../../src/testing/fake-weather.js';

const noSleep = async () => {};
let server: FakeWeatherServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function config(input: NotifierConfigInput) {
  return parseNotifierConfig(input);
}

describe('notifier composition', () => {
  it('retries a failing provider and succeeds', async () => {
    server = await startFakeOpenMeteo();
    server.failNext(2);
    const c = config({
      weather: { provider: 'open-meteo', location: { latitude: 39.9, longitude: 116.4, name: '北京' }, baseUrl: server.url },
    });
    const out = await composeNotifierMessages(c, { sleep: noSleep });
    expect(out.failures).toEqual([]);
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toContain('北京');
    expect(server.requests).toHaveLength(3);
  });

  it('sends a short notice when the provider keeps failing', async () => {
    server = await startFakeOpenMeteo();
    server.failNext(100);
    const c = config({
      weather: { provider: 'open-meteo', location: { city: '北京' }, baseUrl: server.url, geocodingBaseUrl: server.url },
      retry: { attempts: 2, backoffMs: 0 },
    });
    const out = await composeNotifierMessages(c, { sleep: noSleep });
    expect(out.messages).toHaveLength(1);
    expect(out.messages[0]).toContain('暂时无法获取');
    expect(out.failures[0]?.reason).toMatch(/HTTP 500/);
  });

  it('sends nothing when configured silent', async () => {
    server = await startFakeOpenMeteo();
    server.failNext(100);
    const c = config({
      onFailure: 'silent',
      retry: { attempts: 1, backoffMs: 0 },
      weather: { provider: 'open-meteo', location: { latitude: 1, longitude: 1 }, baseUrl: server.url },
    });
    const out = await composeNotifierMessages(c, { sleep: noSleep });
    expect(out.messages).toEqual([]);
    expect(out.failures).toHaveLength(1);
  });

  it('rejects a configuration with neither weather nor report', () => {
    expect(() => config({})).toThrow(/notifier.weather, notifier.report/);
  });

  it('rejects a job name SCF would not accept as a trigger name', () => {
    expect(() => config({ name: '9-bad name', weather: { provider: 'offline-sample', location: { city: 'x' } } })).toThrow(
      /name must be a letter, then letters, digits/,
    );
  });
});

describe('weather markdown', () => {
  const base = { place: '广州', date: '2026-07-01', condition: '雷阵雨', tempMinC: 27, tempMaxC: 36, source: 'test' };

  it('warns about rain and heat in the warning colour', () => {
    const md = renderWeatherMarkdown({ ...base, precipitationChance: 90 });
    expect(md).toContain('<font color="warning">☔');
    expect(md).toContain('高温 36°C');
    expect(md).toContain('降水概率：90%');
  });

  it('warns about cold and stays quiet about rain on a dry day', () => {
    const w = weatherWarnings({ ...base, condition: '晴', tempMinC: -3, tempMaxC: 4, precipitationChance: 0 });
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('低温 -3°C');
  });

  it('falls back to the condition words when no precipitation figures exist', () => {
    expect(weatherWarnings({ ...base, tempMaxC: 20 })).toHaveLength(1);
    expect(weatherWarnings({ ...base, condition: '多云', tempMaxC: 20 })).toHaveLength(0);
  });
});
