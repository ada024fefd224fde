import { describeLocation, type DailyForecast, type WeatherLocation, type WeatherProvider } from './forecast.js';
import { fetchJson, SourceError, toNumber } from './http-json.js';
import { describeWmoCode } from './wmo-codes.js';

export interface OpenMeteoOptions {
  /** Forecast API base, default `https://api.open-meteo.com`. */
  baseUrl?: string;
  /** Geocoding API base, default `https://geocoding-api.open-meteo.com`. */
  geocodingBaseUrl?: string;
  /** IANA time zone the "day" is counted in; default Asia/Shanghai. */
  timezone?: string;
  timeoutMs?: number;
}

interface Place {
  name: string;
  latitude: number;
  longitude: number;
}

/** Open-Meteo: free, no API key. A city name is geocoded first (Chinese names work). */
export function openMeteo(options: OpenMeteoOptions = {}): WeatherProvider {
  const baseUrl = (options.baseUrl ?? 'https://api.open-meteo.com').replace(/\/+$/, '');
  const geoBase = (options.geocodingBaseUrl ?? 'https://geocoding-api.open-meteo.com').replace(/\/+$/, '');
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const fetchOpts = (signal?: AbortSignal) => ({ timeoutMs: options.timeoutMs, signal });

  async function resolve(location: WeatherLocation, signal?: AbortSignal): Promise<Place> {
    if (!('city' in location)) return { name: describeLocation(location), latitude: location.latitude, longitude: location.longitude };
    const url = `${geoBase}/v1/search?${new URLSearchParams({ name: location.city, count: '1', language: 'zh', format: 'json' })}`;
    const body = (await fetchJson(url, 'Open-Meteo geocoding', fetchOpts(signal))) as { results?: Array<Record<string, unknown>> };
    const hit = body.results?.[0];
    const latitude = toNumber(hit?.latitude);
    const longitude = toNumber(hit?.longitude);
    if (!hit || latitude === undefined || longitude === undefined) {
      throw new SourceError(`Open-Meteo does not know the city "${location.city}"`, {
        hint: 'give coordinates instead: { latitude, longitude, name }',
      });
    }
    return { name: location.city, latitude, longitude };
  }

  return {
    name: 'Open-Meteo',
    async forecast(location, { signal } = {}) {
      const place = await resolve(location, signal);
      const query = new URLSearchParams({
        latitude: String(place.latitude),
        longitude: String(place.longitude),
        daily: 'weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max,precipitation_sum',
        timezone,
        forecast_days: '1',
      });
      const body = (await fetchJson(`${baseUrl}/v1/forecast?${query}`, 'Open-Meteo forecast', fetchOpts(signal))) as {
        daily?: Record<string, unknown[] | undefined>;
      };
      const daily = body.daily ?? {};
      const first = (key: string) => daily[key]?.[0];
      const tempMax = toNumber(first('temperature_2m_max'));
      const tempMin = toNumber(first('temperature_2m_min'));
      const code = toNumber(first('weather_code'));
      if (tempMax === undefined || tempMin === undefined || code === undefined) {
        throw new SourceError('Open-Meteo answered without a daily forecast');
      }
      const forecast: DailyForecast = {
        place: place.name,
        date: String(first('time') ?? ''),
        condition: describeWmoCode(code),
        tempMinC: tempMin,
        tempMaxC: tempMax,
        source: 'Open-Meteo',
      };
      const chance = toNumber(first('precipitation_probability_max'));
      const mm = toNumber(first('precipitation_sum'));
      if (chance !== undefined) forecast.precipitationChance = chance;
      if (mm !== undefined) forecast.precipitationMm = mm;
      return forecast;
    },
  };
}
