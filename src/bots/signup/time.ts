/**
 * Times as people write them in a chat or a config (`2025-06-07 14:00`, `6月7日 14:00`,
 * `明天 19:30`) and durations (`2h`, `2小时`, `开始前 30分钟`), read in the activity's time zone
 * (Asia/Shanghai by default), and the short form the bot writes back (`6月7日 周六 14:00`).
 */
export { isTimeZone } from '../shared/time-zone.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The wall-clock fields of `epochMs` in `timeZone`. */
function wallClock(
  epochMs: number,
  timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  }).formatToParts(new Date(epochMs));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday,
  };
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (Asia/Shanghai: +8 h). */
function zoneOffset(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(epochMs / MINUTE) * MINUTE;
}

/** Epoch ms of a wall-clock time in `timeZone`; undefined for a date that does not exist (6月31日). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const probe = new Date(guess);
  if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) return undefined;
  // Two passes settle the offset across a daylight-saving change.
  let at = guess - zoneOffset(guess, timeZone);
  at = guess - zoneOffset(at, timeZone);
  return at;
}

/** `… 14:00`, `… 14：00`, `… 2点`, `… 2点半`, `… 2点30分` at the end; the date part before it. */
function splitClock(text: string): { datePart: string; hour: number; minute: number } {
  const colon = /(\d{1,2})[:：](\d{2})$/u.exec(text);
  if (colon) return { datePart: text.slice(0, colon.index).trim(), hour: Number(colon[1]), minute: Number(colon[2]) };
  const dian = /(\d{1,2})点(?:(半)|(\d{1,2})分?)?$/u.exec(text);
  if (dian) return { datePart: text.slice(0, dian.index).trim(), hour: Number(dian[1]), minute: dian[2] ? 30 : Number(dian[3] ?? 0) };
  return { datePart: text, hour: 0, minute: 0 };
}

const RELATIVE_DAYS: Record<string, number> = { '': 0, 今天: 0, 今日: 0, 明天: 1, 明日: 1, 后天: 2 };

/**
 * Reads an absolute time. Accepted: `2025-06-07 14:00`, `2025/6/7 14:00`, `2025年6月7日 14:00`,
 * `6-7 14:00`, `6月7日 14:00` (the next such date), `明天 19:30`, and ISO 8601 with an offset
 * (`2025-06-07T14:00:00+08:00`). A date without a time means 00:00.
 *
 * @example parseTime('6月7日 14:00', { timeZone: 'Asia/Shanghai', now: Date.parse('2025-05-01T00:00:00Z') })
 * // Date.parse('2025-06-07T06:00:00Z')
 */
export function parseTime(input: string, options: { timeZone: string; now: number }): number | undefined {
  const text = input.trim().replace(/\s+/g, ' ');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : at;
  }
  const { datePart, hour, minute } = splitClock(text);
  if (hour > 23 || minute > 59) return undefined;
  const today = wallClock(options.now, options.timeZone);

  const relative = RELATIVE_DAYS[datePart];
  if (relative !== undefined) {
    const base = Date.UTC(today.year, today.month - 1, today.day + relative);
    const d = new Date(base);
    return zonedTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, options.timeZone);
  }
  const full = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/u.exec(datePart);
  if (full) return zonedTime(Number(full[1]), Number(full[2]), Number(full[3]), hour, minute, options.timeZone);
  const short = /^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$/u.exec(datePart);
  if (short) {
    const month = Number(short[1]);
    const day = Number(short[2]);
    const thisYear = zonedTime(today.year, month, day, hour, minute, options.timeZone);
    // A date already past this year means next year's (创建 12 月的活动时写「1月5日」).
    if (thisYear !== undefined && thisYear < options.now - DAY)
      return zonedTime(today.year + 1, month, day, hour, minute, options.timeZone);
    return thisYear;
  }
  return undefined;
}

const UNITS: [RegExp, number][] = [
  [/^(?:d|day|days|天)$/i, DAY],
  [/^(?:h|hr|hour|hours|小时|个小时|时)$/i, HOUR],
  [/^(?:m|min|mins|minute|minutes|分钟|分)$/i, MINUTE],
];

/**
 * Reads a duration: `2h`, `30m`, `1d`, `1.5h`, `2小时`, `30分钟`, `1天`, optionally after
 * `开始前` / `前`. Undefined when it is not one.
 *
 * @example parseDuration('开始前 2小时') // 7_200_000
 */
export function parseDuration(input: string): number | undefined {
  const text = input
    .trim()
    .replace(/^(?:开始前|活动前|前)\s*/u, '')
    .replace(/\s*(?:前|before)$/iu, '');
  const m = /^(\d+(?:\.\d+)?)\s*(\S+)$/u.exec(text);
  if (!m) return undefined;
  const amount = Number(m[1]);
  const unit = UNITS.find(([re]) => re.test(m[2] as string));
  if (!unit || !Number.isFinite(amount)) return undefined;
  return Math.round(amount * unit[1]);
}

/**
 * A deadline relative to the start (`2h` = two hours before) or absolute (`6月6日 20:00`).
 * Undefined when it is neither.
 */
export function parseDeadline(input: string, startsAt: number, options: { timeZone: string; now: number }): number | undefined {
  const before = parseDuration(input);
  if (before !== undefined) return startsAt - before;
  return parseTime(input, options);
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** `6月7日 周六 14:00` in `timeZone` (the year is added when it is not the current one). */
export function formatTime(epochMs: number, timeZone: string, now = Date.now()): string {
  const w = wallClock(epochMs, timeZone);
  const year = w.year === wallClock(now, timeZone).year ? '' : `${w.year}年`;
  return `${year}${w.month}月${w.day}日 ${WEEKDAYS[w.weekday] ?? ''} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}

/** `2025-06-07 14:00` in `timeZone`: for CSV exports and the CLI. */
export function formatIsoLocal(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}`;
}

/** `2小时`, `1天`, `30分钟`: how a lead time or a window reads in a message. */
export function formatDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}天`;
  if (ms % HOUR === 0) return `${ms / HOUR}小时`;
  return `${Math.round(ms / MINUTE)}分钟`;
}
