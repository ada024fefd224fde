/**
 * The local day of a welcome, for the weekday and holiday templates: the date and ISO weekday
 * in the configured time zone (a welcome at 23:30 UTC is already tomorrow in Shanghai).
 */
export { isTimeZone } from '../shared/time-zone.js';

/** 1 = Monday … 7 = Sunday (ISO 8601). */
import { parseWeekday, type IsoWeekday } from '../shared/weekday.js';

export { parseWeekday, type IsoWeekday };

export interface LocalDay {
  /** `2025-10-01` */
  date: string;
  weekday: IsoWeekday;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * The date and weekday of `at` (epoch ms) in `timeZone`.
 *
 * @example localDay(Date.parse('2025-09-30T16:30:00Z'), 'Asia/Shanghai') // { date: '2025-10-01', weekday: 3 }
 */
export function localDay(at: number, timeZone: string): LocalDay {
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: parseWeekday(parts.weekday) ?? 1 };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch ms of a calendar date at UTC midnight, or undefined when the date does not exist. */
function dateValue(text: string): number | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text.trim() ? ms : undefined;
}

/**
 * The dates of `2025-10-01` or of a range `2025-10-01..2025-10-07` (at most a year), or a
 * reason why the text is neither.
 *
 * @example holidayDates('2025-10-01..2025-10-03') // ['2025-10-01', '2025-10-02', '2025-10-03']
 */
export function holidayDates(text: string): string[] | { reason: string } {
  const [fromText, toText, extra] = text.split('..');
  if (extra !== undefined) return { reason: `"${text}" is not a date or a range (use 2025-10-01 or 2025-10-01..2025-10-07)` };
  const from = dateValue(fromText ?? '');
  const to = toText === undefined ? from : dateValue(toText);
  if (from === undefined || to === undefined)
    return { reason: `"${text}" is not a date or a range (use 2025-10-01 or 2025-10-01..2025-10-07)` };
  if (to < from) return { reason: `"${text}" ends before it starts` };
  const days = (to - from) / 86_400_000;
  if (days > 366) return { reason: `"${text}" spans more than a year` };
  return Array.from({ length: days + 1 }, (_, i) => new Date(from + i * 86_400_000).toISOString().slice(0, 10));
}
