import type { DailyForecast } from '../weather/forecast.js';

/** When a day earns a coloured warning. Defaults suit most of China; all are configurable. */
export interface WeatherThresholds {
  /** Chance of rain (%) from which to warn. */
  rainChance: number;
  /** Expected rain (mm) from which to warn, for providers without a chance. */
  rainMm: number;
  /** Maximum temperature (°C) from which to warn about heat. */
  heatC: number;
  /** Minimum temperature (°C) at or below which to warn about cold. */
  coldC: number;
}

export const DEFAULT_THRESHOLDS: WeatherThresholds = { rainChance: 50, rainMm: 5, heatC: 35, coldC: 0 };

const RAINY = /雨|雪|雷|rain|snow|storm/i;

/** The warnings a forecast earns, in display order. */
export function weatherWarnings(f: DailyForecast, t: WeatherThresholds = DEFAULT_THRESHOLDS): string[] {
  const warnings: string[] = [];
  const wet =
    (f.precipitationChance !== undefined && f.precipitationChance >= t.rainChance) ||
    (f.precipitationMm !== undefined && f.precipitationMm >= t.rainMm) ||
    (f.precipitationChance === undefined && f.precipitationMm === undefined && RAINY.test(f.condition));
  if (wet) warnings.push('<font color="warning">☔ 有降水，出门请带伞</font>');
  if (f.tempMaxC >= t.heatC) warnings.push(`<font color="warning">🔥 高温 ${formatTemp(f.tempMaxC)}，注意防暑</font>`);
  if (f.tempMinC <= t.coldC) warnings.push(`<font color="warning">❄️ 低温 ${formatTemp(f.tempMinC)}，注意保暖</font>`);
  return warnings;
}

function formatTemp(c: number): string {
  return `${Math.round(c)}°C`;
}

/**
 * Renders the morning report as WeCom markdown (the v1 dialect: headings, bold, quotes and
 * the three font colours render in every client).
 */
export function renderWeatherMarkdown(
  f: DailyForecast,
  options: { title?: string; thresholds?: WeatherThresholds; note?: string } = {},
): string {
  const lines = [
    `### ${options.title ?? '今日天气'} · ${f.place}`,
    `> 日期：<font color="comment">${f.date}</font>`,
    `> 天气：**${f.condition}**`,
    `> 气温：${formatTemp(f.tempMinC)} ~ ${formatTemp(f.tempMaxC)}`,
  ];
  if (f.precipitationChance !== undefined) lines.push(`> 降水概率：${Math.round(f.precipitationChance)}%`);
  else if (f.precipitationMm !== undefined) lines.push(`> 降水量：${f.precipitationMm} mm`);
  const warnings = weatherWarnings(f, options.thresholds);
  if (warnings.length > 0) lines.push('', ...warnings);
  else lines.push('', '<font color="info">天气不错，祝你有美好的一天</font>');
  lines.push('', `<font color="comment">数据来源：${f.source}${options.note ? ` · ${options.note}` : ''}</font>`);
  return lines.join('\n');
}

/** The short notice sent instead when every attempt to get a forecast failed. */
export function renderUnavailableMarkdown(place: string, title = '今日天气'): string {
  return `### ${title} · ${place}\n<font color="comment">天气预报暂时无法获取，请稍后查看天气应用。</font>`;
}
