import type { NotifierConfig } from './config.js';
import { renderUnavailableMarkdown, renderWeatherMarkdown, DEFAULT_THRESHOLDS } from './report/render-weather.js';
import { urlReport } from './report/url-source.js';
import { withRetry } from './retry.js';
import { describeLocation, type WeatherProvider } from './weather/forecast.js';
import { offlineSample } from './weather/offline-sample.js';
import { openMeteo } from './weather/open-meteo.js';
import { qweather } from './weather/qweather.js';

/** What one run of the notifier produced. `messages` is empty only when nothing should go out. */
export interface NotifierOutcome {
  messages: string[];
  /** Sources that failed after all retries, with their one-line reasons. */
  failures: Array<{ source: string; reason: string }>;
}

export interface ComposeDeps {
  /** Replaces the configured provider (tests, the offline demo fallback). */
  weatherProvider?: WeatherProvider;
  sleep?: (ms: number) => Promise<void>;
}

function providerFor(weather: NonNullable<NotifierConfig['weather']>, timeoutMs: number): WeatherProvider {
  switch (weather.provider) {
    case 'open-meteo':
      return openMeteo({ baseUrl: weather.baseUrl, geocodingBaseUrl: weather.geocodingBaseUrl, timeoutMs });
    case 'qweather':
      return qweather({ apiKey: weather.apiKey, baseUrl: weather.baseUrl, geoBaseUrl: weather.geoBaseUrl, timeoutMs });
    case 'offline-sample':
      return offlineSample();
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Builds the markdown messages of one notifier run. Provider failures are retried; if they
 * persist, the run yields a short "unavailable" notice or nothing, as configured, never an
 * exception and never an empty message.
 */
export async function composeNotifierMessages(config: NotifierConfig, deps: ComposeDeps = {}): Promise<NotifierOutcome> {
  const outcome: NotifierOutcome = { messages: [], failures: [] };
  if (config.weather) {
    const weather = config.weather;
    const provider = deps.weatherProvider ?? providerFor(weather, config.timeoutMs);
    try {
      const forecast = await withRetry(() => provider.forecast(weather.location), config.retry, deps.sleep);
      outcome.messages.push(
        renderWeatherMarkdown(forecast, { title: weather.title, thresholds: { ...DEFAULT_THRESHOLDS, ...weather.thresholds } }),
      );
    } catch (err) {
      outcome.failures.push({ source: provider.name, reason: reasonOf(err) });
      if (config.onFailure === 'notice')
        outcome.messages.push(renderUnavailableMarkdown(describeLocation(weather.location), weather.title));
    }
  }
  if (config.report) {
    const fetchReport = urlReport({ ...config.report, timeoutMs: config.timeoutMs });
    try {
      const text = (await withRetry(() => fetchReport(), config.retry, deps.sleep)).trim();
      if (text) outcome.messages.push(text);
      else outcome.failures.push({ source: 'report', reason: 'the template rendered an empty message' });
    } catch (err) {
      outcome.failures.push({ source: 'report', reason: reasonOf(err) });
      if (config.onFailure === 'notice') outcome.messages.push('<font color="comment">今日报告暂时无法获取，请稍后再试。</font>');
    }
  }
  return outcome;
}
