/** One day's forecast, provider-neutral: what the notifier renders. */
export interface DailyForecast {
  /** Display name of the place, e.g. `北京` or `39.90,116.40`. */
  place: string;
  /** Local date of the forecast, `YYYY-MM-DD`. */
  date: string;
  /** Conditions in words, e.g. `小雨` or `多云转晴`. */
  condition: string;
  tempMinC: number;
  tempMaxC: number;
  /** Chance of precipitation, 0–100, when the provider gives one. */
  precipitationChance?: number;
  /** Expected precipitation in millimetres, when the provider gives it. */
  precipitationMm?: number;
  /** Which provider answered, for the footer. */
  source: string;
}

/** Where the forecast is for: a name to geocode, or coordinates. */
export type WeatherLocation = { city: string } | { latitude: number; longitude: number; name?: string };

export interface WeatherProvider {
  readonly name: string;
  /** Today's forecast for the location, in the location's own time zone. */
  forecast(location: WeatherLocation, options?: { signal?: AbortSignal }): Promise<DailyForecast>;
}

/** Formats coordinates the way both providers accept them in display text. */
export function describeLocation(location: WeatherLocation): string {
  if ('city' in location) return location.city;
  return location.name ?? `${location.latitude.toFixed(2)},${location.longitude.toFixed(2)}`;
}
