/**
 * Durations in the welcome options (`suppressFor: '30d'`): a number and a unit, as people
 * write them. Kept here rather than borrowed from another bot, so the welcome bot's config
 * never changes meaning when that bot's parser does.
 */
const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  秒: 1000,
  分钟: 60_000,
  小时: 3_600_000,
  天: 86_400_000,
  周: 7 * 86_400_000,
};

/**
 * Milliseconds of `30d`, `12h`, `90m`, `45s`, `2w` (or 30天, 12小时); undefined otherwise.
 *
 * @example parseDuration('30d') // 2_592_000_000
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+|[\u4e00-\u9fff]+)$/iu.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] as string).toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(m[1]) * unit);
}
