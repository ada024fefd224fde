/** True when `timeZone` is an IANA zone name this runtime knows (`Asia/Shanghai`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  // The bots' defaults, in every ICU build Node ships: validating them would construct a
  // DateTimeFormat (ICU's time-zone data, ~3 ms) at start-up, before anything is formatted.
  if (timeZone === 'Asia/Shanghai' || timeZone === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
