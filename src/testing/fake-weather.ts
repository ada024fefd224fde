import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake weather server saw. */
export interface SeenRequest {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface FakeWeatherServer {
  /** Base URL to give a provider as `baseUrl` (and as its geocoding base). */
  url: string;
  requests: SeenRequest[];
  /** The next `n` requests answer HTTP 500. */
  failNext(n: number): void;
  close(): Promise<void>;
}

type Route = (query: URLSearchParams, headers: http.IncomingHttpHeaders) => { status?: number; body: unknown };

async function serve(routes: Record<string, Route>): Promise<FakeWeatherServer> {
  const requests: SeenRequest[] = [];
  let failures = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const route = routes[url.pathname];
    if (failures > 0) {
      failures--;
      res.writeHead(500).end('injected failure');
      return;
    }
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    const { status = 200, body } = route(url.searchParams, req.headers);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(n) {
      failures = n;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Cities both fakes know, with the numbers their forecasts report. */
const CITIES: Record<string, { lat: number; lon: number; id: string }> = {
  北京: { lat: 39.9, lon: 116.4, id: '101010100' },
  深圳: { lat: 22.54, lon: 114.06, id: '101280601' },
};

/** Speaks Open-Meteo's geocoding and forecast APIs (the fields wecombot reads). */
export function startFakeOpenMeteo(
  forecast: { code: number; max: number; min: number; pop: number; mm: number } = { code: 61, max: 19, min: 12, pop: 80, mm: 4.5 },
): Promise<FakeWeatherServer> {
  return serve({
    '/v1/search': (q) => {
      const city = CITIES[q.get('name') ?? ''];
      return { body: city ? { results: [{ name: q.get('name'), latitude: city.lat, longitude: city.lon }] } : { generationtime_ms: 0.1 } };
    },
    '/v1/forecast': (q) => ({
      body: {
        latitude: Number(q.get('latitude')),
        longitude: Number(q.get('longitude')),
        daily: {
          time: ['2026-11-25'],
          weather_code: [forecast.code],
          temperature_2m_max: [forecast.max],
          temperature_2m_min: [forecast.min],
          precipitation_probability_max: [forecast.pop],
          precipitation_sum: [forecast.mm],
        },
      },
    }),
  });
}

/** Speaks QWeather's city lookup, 3-day and 24-hour APIs; only `apiKey` is accepted. */
export function startFakeQWeather(
  apiKey: string,
  day = { tempMax: '37', tempMin: '26', textDay: '晴', textNight: '多云', precip: '0.0' },
): Promise<FakeWeatherServer> {
  const authorized = (h: http.IncomingHttpHeaders) => h['x-qw-api-key'] === apiKey;
  return serve({
    '/v2/city/lookup': (q, h) => {
      if (!authorized(h)) return { status: 401, body: { code: '401' } };
      const city = CITIES[q.get('location') ?? ''];
      return { body: city ? { code: '200', location: [{ name: q.get('location'), id: city.id }] } : { code: '404' } };
    },
    '/v7/weather/3d': (_q, h) =>
      authorized(h) ? { body: { code: '200', daily: [{ fxDate: '2026-11-25', ...day }] } } : { status: 401, body: { code: '401' } },
    '/v7/weather/24h': (_q, h) =>
      authorized(h)
        ? { body: { code: '200', hourly: [{ pop: '10' }, { pop: '20' }, { pop: '15' }] } }
        : { status: 401, body: { code: '401' } },
  });
}
