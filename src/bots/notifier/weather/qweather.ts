import type { DailyForecast, WeatherLocation, WeatherProvider } from './forecast.js';
import { fetchJson, SourceError, toNumber } from './http-json.js';

export interface QWeatherOptions {
  /** The API key from the QWeather console. Sent in a header, never in the URL. */
  apiKey: string;
  /** Weather API host, default `https://devapi.qweather.com` (set your own API Host here). */
  baseUrl?: string;
  /** City lookup host, default `https://geoapi.qweather.com`. */
  geoBaseUrl?: string;
  timeoutMs?: number;
}

/** QWeather answers HTTP 200 with its own `code`; "200" is success. */
function checkCode(body: { code?: unknown }, label: string): void {
  if (String(body.code) !== '200') {
    const hint = body.code === '401' || body.code === '403' ? 'check the QWeather API key and its API host' : 'see QWeather status codes';
    throw new SourceError(`${label} answered code ${String(body.code)}`, { hint });
  }
}

/** QWeather (和风天气): needs an API key. Accepts a city name, a LocationID or coordinates. */
export function qweather(options: QWeatherOptions): WeatherProvider {
  if (!options.apiKey) throw new SourceError('QWeather needs an API key', { hint: 'set notifier.weather.apiKey (or QWEATHER_API_KEY)' });
  const baseUrl = (options.baseUrl ?? 'https://devapi.qweather.com').replace(/\/+$/, '');
  const geoBase = (options.geoBaseUrl ?? 'https://geoapi.qweather.com').replace(/\/+$/, '');
  const request = (url: string, label: string, signal?: AbortSignal) =>
    fetchJson(url, label, { headers: { 'X-QW-Api-Key': options.apiKey }, timeoutMs: options.timeoutMs, signal });

  async function resolve(location: WeatherLocation, signal?: AbortSignal): Promise<{ id: string; name: string }> {
    if (!('city' in location)) {
      // QWeather takes "longitude,latitude", two decimals.
      const id = `${location.longitude.toFixed(2)},${location.latitude.toFixed(2)}`;
      return { id, name: location.name ?? id };
    }
    if (/^\d{6,}$/.test(location.city)) return { id: location.city, name: location.city };
    const body = (await request(
      `${geoBase}/v2/city/lookup?${new URLSearchParams({ location: location.city, number: '1' })}`,
      'QWeather city lookup',
      signal,
    )) as {
      code?: unknown;
      location?: Array<{ id?: string; name?: string }>;
    };
    checkCode(body, 'QWeather city lookup');
    const hit = body.location?.[0];
    if (!hit?.id) throw new SourceError(`QWeather does not know the city "${location.city}"`);
    return { id: hit.id, name: location.city };
  }

  return {
    name: 'QWeather',
    async forecast(location, { signal } = {}) {
      const place = await resolve(location, signal);
      const query = new URLSearchParams({ location: place.id });
      const body = (await request(`${baseUrl}/v7/weather/3d?${query}`, 'QWeather forecast', signal)) as {
        code?: unknown;
        daily?: Array<Record<string, unknown>>;
      };
      checkCode(body, 'QWeather forecast');
      const day = body.daily?.[0];
      const tempMax = toNumber(day?.tempMax);
      const tempMin = toNumber(day?.tempMin);
      if (!day || tempMax === undefined || tempMin === undefined) throw new SourceError('QWeather answered without a daily forecast');
      const textDay = String(day.textDay ?? '');
      const textNight = String(day.textNight ?? '');
      const forecast: DailyForecast = {
        place: place.name,
        date: String(day.fxDate ?? ''),
        condition: textNight && textNight !== textDay ? `${textDay}转${textNight}` : textDay || '天气未知',
        tempMinC: tempMin,
        tempMaxC: tempMax,
        source: '和风天气',
      };
      const mm = toNumber(day.precip);
      if (mm !== undefined) forecast.precipitationMm = mm;
      // The daily endpoint has no chance of rain; the hourly one does. It is a bonus, so a
      // failure here must not cost the whole report.
      try {
        const hourly = (await request(`${baseUrl}/v7/weather/24h?${query}`, 'QWeather hourly', signal)) as {
          code?: unknown;
          hourly?: Array<{ pop?: unknown }>;
        };
        if (String(hourly.code) === '200') {
          const pops = (hourly.hourly ?? []).map((h) => toNumber(h.pop)).filter((p): p is number => p !== undefined);
          if (pops.length > 0) forecast.precipitationChance = Math.max(...pops);
        }
      } catch {
        /* keep the daily forecast without a chance of rain */
      }
      return forecast;
    },
  };
}
