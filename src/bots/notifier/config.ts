import { JOB_NAME_PATTERN, JOB_NAME_RULE } from '../../bot/jobs.js';
import { OptionReader, optionKeys } from '../shared/options.js';
import type { WeatherLocation } from './weather/forecast.js';
import type { WeatherThresholds } from './report/render-weather.js';

interface WeatherCommon {
  location: WeatherLocation;
  /** Heading of the message (default 今日天气). */
  title?: string;
  thresholds?: Partial<WeatherThresholds>;
}

export type WeatherConfig =
  | (WeatherCommon & { provider: 'open-meteo'; baseUrl?: string; geocodingBaseUrl?: string })
  | (WeatherCommon & { provider: 'qweather'; apiKey: string; baseUrl?: string; geoBaseUrl?: string })
  | (WeatherCommon & { provider: 'offline-sample' });

/** The `notifier` bot's options, as written in wecombot.config. */
export interface NotifierConfigInput {
  /** Job name; becomes the SCF timer trigger name (default `notifier`). */
  name?: string;
  /** Cron with 5, 6 (seconds) or 7 (SCF: seconds … year) fields (default `0 0 8 * * *`). */
  schedule?: string;
  /** IANA time zone (default Asia/Shanghai). */
  timezone?: string;
  /** Robots to push to; default WECOM_WEBHOOK_URL. */
  webhooks?: string[];
  weather?: WeatherConfig;
  /** A URL (JSON or text) rendered through a template. */
  report?: { url: string; template: string; headers?: Record<string, string> };
  /** After the retries: a short "unavailable" notice (default), or nothing. */
  onFailure?: 'notice' | 'silent';
  retry?: { attempts?: number; backoffMs?: number };
  /** Per request to a provider (default 8000 ms). */
  timeoutMs?: number;
}

export interface NotifierConfig {
  name: string;
  schedule: string;
  timezone: string;
  webhooks: string[];
  weather?: WeatherConfig;
  report?: { url: string; template: string; headers?: Record<string, string> };
  onFailure: 'notice' | 'silent';
  retry: { attempts: number; backoffMs: number };
  timeoutMs: number;
}

const JOB_NAME: [RegExp, string] = [JOB_NAME_PATTERN, `must be ${JOB_NAME_RULE}`];

const OPTIONS = optionKeys<NotifierConfigInput>({
  name: true,
  schedule: true,
  timezone: true,
  webhooks: true,
  weather: true,
  report: true,
  onFailure: true,
  retry: true,
  timeoutMs: true,
});
const PROVIDER_KEYS: Record<WeatherConfig['provider'], readonly string[]> = {
  'open-meteo': ['baseUrl', 'geocodingBaseUrl'],
  qweather: ['apiKey', 'baseUrl', 'geoBaseUrl'],
  'offline-sample': [],
};
/** The keys of every provider's options; which belong to the chosen provider is checked after it is read. */
const PROVIDER_ONLY = [...new Set(Object.values(PROVIDER_KEYS).flat())];
const WEATHER = ['location', 'title', 'thresholds', 'provider', ...PROVIDER_ONLY];

function location(r: OptionReader): WeatherLocation {
  const at =
    r.object('location', ['city', 'latitude', 'longitude', 'name']) ??
    r.fail('location', 'is required: { city } or { latitude, longitude }');
  if (at.has('city')) return { city: at.requiredString('city') };
  const latitude = at.number('latitude', { min: -90, max: 90 }) ?? at.fail('latitude', 'is required (or give city)');
  const longitude = at.number('longitude', { min: -180, max: 180 }) ?? at.fail('longitude', 'is required (or give city)');
  const name = at.string('name');
  return name ? { latitude, longitude, name } : { latitude, longitude };
}

function weather(r: OptionReader): WeatherConfig {
  const common: WeatherCommon = { location: location(r) };
  const title = r.string('title');
  if (title) common.title = title;
  const t = r.object('thresholds', optionKeys<WeatherThresholds>({ rainChance: true, rainMm: true, heatC: true, coldC: true }));
  if (t) {
    common.thresholds = {};
    for (const key of ['rainChance', 'rainMm', 'heatC', 'coldC'] as const) {
      const v = t.number(key, key === 'rainChance' ? { min: 0, max: 100 } : key === 'rainMm' ? { min: 0 } : {});
      if (v !== undefined) common.thresholds[key] = v;
    }
  }
  const provider = r.oneOf('provider', ['open-meteo', 'qweather', 'offline-sample'] as const) ?? r.fail('provider', 'is required');
  // A key of another provider (apiKey with open-meteo) would be ignored: refused by name instead.
  for (const key of PROVIDER_ONLY) {
    if (r.has(key) && !PROVIDER_KEYS[provider].includes(key)) r.fail(key, `is not an option of the ${provider} provider`);
  }
  const url = (key: string) => r.string(key, { url: true });
  switch (provider) {
    case 'open-meteo':
      return { ...common, provider, ...defined({ baseUrl: url('baseUrl'), geocodingBaseUrl: url('geocodingBaseUrl') }) };
    case 'qweather': {
      const apiKey = r.string('apiKey') ?? r.fail('apiKey', 'is required for QWeather (or set QWEATHER_API_KEY)');
      return { ...common, provider, apiKey, ...defined({ baseUrl: url('baseUrl'), geoBaseUrl: url('geoBaseUrl') }) };
    }
    case 'offline-sample':
      return { ...common, provider };
  }
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Validates the options once, at start-up; errors name the field. */
export function parseNotifierConfig(input: NotifierConfigInput = {}): NotifierConfig {
  const r = OptionReader.root('notifier', input, OPTIONS);
  const config: NotifierConfig = {
    name: r.string('name', { default: 'notifier', pattern: JOB_NAME })!,
    schedule: r.string('schedule', { default: '0 0 8 * * *' })!,
    timezone: r.string('timezone', { default: 'Asia/Shanghai' })!,
    webhooks: r.strings('webhooks', { url: true }),
    onFailure: r.oneOf('onFailure', ['notice', 'silent'] as const, 'notice')!,
    retry: { attempts: 3, backoffMs: 2000 },
    timeoutMs: r.number('timeoutMs', { default: 8000, min: 100, integer: true })!,
  };
  const retry = r.object('retry', ['attempts', 'backoffMs']);
  if (retry) {
    config.retry = {
      attempts: retry.number('attempts', { default: 3, min: 1, max: 10, integer: true })!,
      backoffMs: retry.number('backoffMs', { default: 2000, min: 0, integer: true })!,
    };
  }
  const w = r.object('weather', WEATHER);
  if (w) config.weather = weather(w);
  const report = r.object('report', ['url', 'template', 'headers']);
  if (report) {
    config.report = { url: report.requiredString('url', { url: true }), template: report.requiredString('template') };
    const headers = report.stringRecord('headers');
    if (headers) config.report.headers = headers;
  }
  if (!config.weather && !config.report) r.fail('weather', 'or report is required: give notifier.weather, notifier.report, or both');
  return config;
}
