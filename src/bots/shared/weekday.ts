/** ISO weekdays: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Weekday names a config may use (lower-cased English abbreviations, as Intl prints them, and Chinese). */
const WEEKDAY_NAMES: Readonly<Record<string, IsoWeekday>> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
  周一: 1,
  周二: 2,
  周三: 3,
  周四: 4,
  周五: 5,
  周六: 6,
  周日: 7,
  周天: 7,
};

/** `mon`…`sun`, `周一`…`周日`, or 1…7; undefined for anything else. */
export function parseWeekday(value: unknown): IsoWeekday | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 7 ? (value as IsoWeekday) : undefined;
  if (typeof value !== 'string') return undefined;
  return WEEKDAY_NAMES[value.trim().toLowerCase()];
}
