import { afterEach, describe, expect, it } from 'vitest';
import { openMeteo } from '../../../src/bots/notifier/weather/open-meteo.js';
import { qweather } from '../../../src/bots/notifier/weather/qweather.js';
import { SourceError } from '../../../src/bots/notifier/weather/http-json.js';
import { startFakeOpenMeteo, startFakeQWeather, type FakeWeatherServer } from '../../../src/testing/fake-weather.js';

let server: FakeWeatherServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Open-Meteo provider', () => {
  it('geocodes a Chinese city name, then reads the daily forecast', async () => {
    server = await startFakeOpenMeteo();
    const provider = openMeteo({ baseUrl: server.url, geocodingBaseUrl: server.url });
    const f = await provider.forecast({ city: '北京' });
    expect(f).toMatchObject({
      place: '北京',
      date: '2026-11-25',
      condition: '小雨',
      tempMinC: 12,
      tempMaxC: 19,
      precipitationChance: 80,
      precipitationMm: 4.5,
      source: 'Open-Meteo',
    });
    const forecastRequest = server.requests.find((r) => r.path === '/v1/forecast');
    expect(forecastRequest?.query.get('latitude')).toBe('39.9');
    expect(forecastRequest?.query.get('timezone')).toBe('Asia/Shanghai');
  });

  it('uses coordinates directly without geocoding', async () => {
    server = await startFakeOpenMeteo();
    const f = await openMeteo({ baseUrl: server.url }).forecast({ latitude: 31.23, longitude: 121.47, name: '上海' });
    expect(f.place).toBe('上海');
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/forecast']);
  });

  it('names an unknown city instead of crashing', async () => {
    server = await startFakeOpenMeteo();
    const provider = openMeteo({ baseUrl: server.url, geocodingBaseUrl: server.url });
    await expect(provider.forecast({ city: '不存在市' })).rejects.toThrow(/does not know the city "不存在市"/);
  });

  it('turns an HTTP 500 into a SourceError', async () => {
    server = await startFakeOpenMeteo();
    server.failNext(1);
    const err = await openMeteo({ baseUrl: server.url })
      .forecast({ latitude: 1, longitude: 2 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).message).toMatch(/HTTP 500/);
  });
});

describe('QWeather provider', () => {
  it('sends the key in a header, never the URL, and combines day and night text', async () => {
    server = await startFakeQWeather('k-secret-1');
    const provider = qweather({ apiKey: 'k-secret-1', baseUrl: server.url, geoBaseUrl: server.url });
    const f = await provider.forecast({ city: '深圳' });
    expect(f).toMatchObject({
      place: '深圳',
      condition: '晴转多云',
      tempMaxC: 37,
      tempMinC: 26,
      precipitationMm: 0,
      precipitationChance: 20,
      source: '和风天气',
    });
    for (const r of server.requests) expect(r.query.toString()).not.toContain('k-secret-1');
    expect(server.requests.find((r) => r.path === '/v7/weather/3d')?.query.get('location')).toBe('101280601');
  });

  it('reports a rejected key without echoing it', async () => {
    server = await startFakeQWeather('right-key');
    const err = await qweather({ apiKey: 'wrong-key', baseUrl: server.url, geoBaseUrl: server.url })
      .forecast({ latitude: 22.5, longitude: 114.1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(String((err as Error).message)).not.toContain('wrong-key');
  });

  it('refuses to start without a key', () => {
    expect(() => qweather({ apiKey: '' })).toThrow(/API key/);
  });
});
