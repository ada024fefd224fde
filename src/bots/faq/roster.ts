/**
 * The duty roster: who answers customers when the bot hands over, by weekday and hour in the
 * roster's timezone (Asia/Shanghai by default). The first member on duty is the one mentioned.
 */

/** One shift of the roster, as parsed. */
export interface Shift {
  userId: string;
  name?: string;
  /** Weekdays, 1 = Monday … 7 = Sunday. */
  days: ReadonlySet<number>;
  /** Minutes after midnight; `end` may be below `start` for a night shift (22:00-06:00). */
  start: number;
  end: number;
}

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Parses a days expression: `mon-fri`, `sat,sun`, `daily`, `weekdays`, `weekends`, or a list.
 * Returns a reason instead when it is not one.
 *
 * @example parseDays('mon-fri') // Set {1, 2, 3, 4, 5}
 */
export function parseDays(value: string | readonly string[]): Set<number> | string {
  const parts = (typeof value === 'string' ? value.split(',') : [...value]).map((p) => p.trim().toLowerCase()).filter(Boolean);
  const days = new Set<number>();
  for (const part of parts) {
    if (part === 'daily') [1, 2, 3, 4, 5, 6, 7].forEach((d) => days.add(d));
    else if (part === 'weekdays') [1, 2, 3, 4, 5].forEach((d) => days.add(d));
    else if (part === 'weekends') [6, 7].forEach((d) => days.add(d));
    else {
      const [from, to = from] = part.split('-').map((p) => DAY_NAMES.indexOf(p.trim().slice(0, 3)) + 1);
      if (!from || !to) return `"${part}" is not a day (mon … sun, daily, weekdays, weekends, or a range such as mon-fri)`;
      for (let d = from; ; d = (d % 7) + 1) {
        days.add(d);
        if (d === to) break;
      }
    }
  }
  return days.size > 0 ? days : 'names no day';
}

/**
 * Parses hours: `09:00-18:00` or `9-18` (the end is exclusive; `22-6` runs over midnight).
 *
 * @example parseHours('9-18') // { start: 540, end: 1080 }
 */
export function parseHours(value: string): { start: number; end: number } | string {
  const m = /^\s*(\d{1,2})(?::(\d{2}))?\s*-\s*(\d{1,2})(?::(\d{2}))?\s*$/.exec(value);
  if (!m) return `"${value}" is not a time range such as 09:00-18:00`;
  const start = Number(m[1]) * 60 + Number(m[2] ?? 0);
  const end = Number(m[3]) * 60 + Number(m[4] ?? 0);
  if (start > 24 * 60 || end > 24 * 60 || Number(m[2] ?? 0) > 59 || Number(m[4] ?? 0) > 59) return `"${value}" has a time past 24:00`;
  if (start === end) return `"${value}" is an empty range`;
  return { start, end };
}

/** Weekday (1 = Monday) and minute of the day of `at` in `timezone`. */
export function localTime(at: number, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAY_NAMES.indexOf(get('weekday').toLowerCase()) + 1, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

function covers(shift: Shift, day: number, minute: number): boolean {
  if (shift.start < shift.end) return shift.days.has(day) && minute >= shift.start && minute < shift.end;
  // Over midnight: the evening belongs to the listed day, the early hours to the day after it.
  const yesterday = day === 1 ? 7 : day - 1;
  return (shift.days.has(day) && minute >= shift.start) || (shift.days.has(yesterday) && minute < shift.end);
}

/** The first member of the roster on duty at `at`, or undefined. */
export function onDuty(roster: readonly Shift[], at: number, timezone: string): Shift | undefined {
  if (roster.length === 0) return undefined;
  const { day, minute } = localTime(at, timezone);
  return roster.find((s) => covers(s, day, minute));
}
