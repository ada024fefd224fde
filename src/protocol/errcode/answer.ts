/**
 * A WeCom API answer: a JSON object with a numeric `errcode` (0 on success, HTTP 200 either
 * way). Anything else (a gateway's HTML page, a truncated body) is not one.
 */
export function parseWecomJson(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as { errcode?: unknown }).errcode === 'number') return v as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return undefined;
}
