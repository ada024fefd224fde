/**
 * The duty roster: when a rep takes new leads. A shift (`09:00-18:00`, or overnight
 * `22:00-06:00`), the weekdays on duty and days off, all read in the bot's time zone, so the
 * same config means the same hours on a server in Frankfurt and a function in Guangzhou.
 */

import { parseWeekday } from '../shared/weekday.js';

/** When a rep is on duty; minutes are from local midnight. */
export interface Shift {
  /** Minutes from midnight; undefined = all day. */
  from: number | undefined;
  to: number | undefined;
  /** ISO weekdays 1 (Mon) … 7 (Sun). */
  days: ReadonlySet<number>;
  /** `YYYY-MM-DD` dates off. */
  off: ReadonlySet<string>;
  timezone: string;
}

/** A problem with a roster field; `field` is relative to the rep (`shift`, `days[1]`, `off[0]`). */
export class ShiftError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function minutes(text: string, field: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59 || (Number(m[1]) === 24 && Number(m[2]) > 0))
    throw new ShiftError(field, `"${text}" is not a time of day (use 09:00-18:00)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function parseShift(input: {
  shift?: string | undefined;
  days?: (string | number)[] | undefined;
  off?: string[];
  timezone: string;
}): Shift {
  let from: number | undefined;
  let to: number | undefined;
  if (input.shift !== undefined) {
    const parts = input.shift.split(/\s*[-–~]\s*/);
    if (parts.length !== 2) throw new ShiftError('shift', `"${input.shift}" is not a shift (use 09:00-18:00)`);
    from = minutes(parts[0] as string, 'shift');
    to = minutes(parts[1] as string, 'shift');
    if (from === to) throw new ShiftError('shift', 'starts and ends at the same time (leave it out for all day)');
  }
  const days = new Set<number>();
  if (input.days !== undefined) {
    if (!Array.isArray(input.days)) throw new ShiftError('days', 'must be an array (["mon", "tue"] or [1, 2])');
    input.days.forEach((d, i) => {
      const n = parseWeekday(d);
      if (n === undefined) throw new ShiftError(`days[${i}]`, `"${String(d)}" is not a weekday (mon…sun, 周一…周日 or 1…7)`);
      days.add(n);
    });
  } else for (let d = 1; d <= 7; d++) days.add(d);
  const off = new Set<string>();
  (input.off ?? []).forEach((d, i) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw new ShiftError(`off[${i}]`, `"${d}" is not a date (2030-06-01)`);
    off.add(d);
  });
  return { from, to, days, off, timezone: input.timezone };
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function local(at: number, timezone: string): { date: string; weekday: number; minute: number } {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = parseWeekday(parts.weekday) ?? 1;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** True when the shift covers the instant `at` (epoch ms). An overnight shift belongs to the day it starts. */
export function onDuty(shift: Shift, at: number): boolean {
  const t = local(at, shift.timezone);
  if (shift.from === undefined || shift.to === undefined) return shift.days.has(t.weekday) && !shift.off.has(t.date);
  if (shift.from < shift.to) return t.minute >= shift.from && t.minute < shift.to && shift.days.has(t.weekday) && !shift.off.has(t.date);
  // Overnight: the evening part is today's shift, the early-morning part yesterday's.
  if (t.minute >= shift.from) return shift.days.has(t.weekday) && !shift.off.has(t.date);
  if (t.minute < shift.to) {
    const y = local(at - 86_400_000, shift.timezone);
    return shift.days.has(y.weekday) && !shift.off.has(y.date);
  }
  return false;
}
