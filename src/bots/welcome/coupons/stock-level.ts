/**
 * Low-pool thresholds: the pool is "at level T" when T is the lowest threshold its free codes
 * have fallen to (free <= T). An alert goes out when the level drops below the one last
 * alerted, so each crossing alerts once however many instances claim at the same moment.
 */

/**
 * The level of `free` codes among `thresholds`, or null when the pool is above all of them.
 *
 * @example stockLevel(7, [20, 5, 0]) // 20
 * @example stockLevel(0, [20, 5, 0]) // 0
 */
export function stockLevel(free: number, thresholds: readonly number[]): number | null {
  let level: number | null = null;
  for (const t of thresholds) if (free <= t && (level === null || t < level)) level = t;
  return level;
}

/** The thresholds a pool row remembers (written by the bot, read by CLI imports). */
export function storedThresholds(alertAt: string | null): number[] {
  if (!alertAt) return [];
  try {
    const parsed = JSON.parse(alertAt) as unknown;
    return Array.isArray(parsed) ? parsed.filter((n): n is number => typeof n === 'number') : [];
  } catch {
    return [];
  }
}
