import type { DailyForecast, WeatherLocation, WeatherProvider } from '../../bots/notifier/weather/forecast.js';

/**
 * Tries the real provider once, quickly; when it cannot be reached (an offline laptop, a
 * closed network) answers from the fallback and says so through `onFallback`.
 */
export function withOfflineFallback(
  primary: WeatherProvider,
  fallback: WeatherProvider,
  onFallback: (reason: string) => void,
): WeatherProvider {
  return {
    name: primary.name,
    async forecast(location: WeatherLocation): Promise<DailyForecast> {
      try {
        return await primary.forecast(location, { signal: AbortSignal.timeout(3000) });
      } catch (err) {
        onFallback(err instanceof Error ? err.message : String(err));
        return fallback.forecast(location);
      }
    },
  };
}
