import type { DailyForecast, WeatherLocation, WeatherProvider } from './forecast.js';
import { describeLocation } from './forecast.js';

/**
 * A fixed forecast for demos without a network (`wecombot dev`). It says what it is in its
 * source line, so nobody mistakes it for a real forecast.
 */
export function offlineSample(today: () => Date = () => new Date()): WeatherProvider {
  return {
    name: 'offline-sample',
    async forecast(location: WeatherLocation): Promise<DailyForecast> {
      return {
        place: describeLocation(location),
        date: today().toISOString().slice(0, 10),
        condition: '小雨转多云',
        tempMinC: 12,
        tempMaxC: 19,
        precipitationChance: 70,
        precipitationMm: 3.2,
        source: '离线示例数据（非真实预报）',
      };
    },
  };
}
