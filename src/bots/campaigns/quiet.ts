/**
 * Quiet hours: no campaign starts sending between `from` and `to` (local time of the bots'
 * zone; `21:00`–`09:00` spans midnight). A run that fires inside them waits, and the sweep job
 * starts it when they end.
 */
export interface QuietHours {
  /** Minutes after local midnight. */
  from: number;
  to: number;
  timezone: string;
}

/** `21:30` → 1290; undefined when it is not HH:MM. */
export function parseClock(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes after local midnight of `at` in `timezone`. */
export function localMinutes(at: number, timezone: string): number {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  const parts = f.formatToParts(new Date(at));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/** True inside the quiet hours. */
export function isQuiet(quiet: QuietHours | undefined, at: number): boolean {
  if (!quiet || quiet.from === quiet.to) return false;
  const m = localMinutes(at, quiet.timezone);
  return quiet.from < quiet.to ? m >= quiet.from && m < quiet.to : m >= quiet.from || m < quiet.to;
}
