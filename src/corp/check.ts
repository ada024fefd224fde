import { CorpRequestError } from './errors.js';

/**
 * Field checks for corp API requests. Each names the field by its path (`attachments[1].link.title`)
 * and says the limit, so the error tells what to change. Byte limits count UTF-8 bytes, as WeCom does.
 */

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string with at least one non-space character. */
export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new CorpRequestError(field, value === undefined ? 'is required' : 'must be a string');
  if (value.trim() === '') throw new CorpRequestError(field, 'is empty');
  return value;
}

/** At most `max` UTF-8 bytes. */
export function checkBytes(value: string, max: number, field: string): void {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > max)
    throw new CorpRequestError(field, `is ${bytes} bytes; WeCom allows at most ${max} (UTF-8 bytes, a Chinese character is 3)`);
}

/** At most `max` characters (code points). */
export function checkChars(value: string, max: number, field: string): void {
  const chars = [...value].length;
  if (chars > max) throw new CorpRequestError(field, `is ${chars} characters; WeCom allows at most ${max}`);
}

/** A required, non-empty string of at most `max` bytes. */
export function requireTextBytes(value: unknown, max: number, field: string): string {
  const text = requireText(value, field);
  checkBytes(text, max, field);
  return text;
}

/** An optional string of at most `max` bytes (undefined passes). */
export function optionalTextBytes(value: unknown, max: number, field: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new CorpRequestError(field, 'must be a string');
  checkBytes(value, max, field);
}

/** A list of non-empty strings with `min`…`max` items. */
export function checkIdList(value: unknown, field: string, limits: { min?: number; max: number }): string[] {
  if (!Array.isArray(value)) throw new CorpRequestError(field, value === undefined ? 'is required' : 'must be a list');
  if (value.length < (limits.min ?? 0)) throw new CorpRequestError(field, `has ${value.length} items; give at least ${limits.min}`);
  if (value.length > limits.max) throw new CorpRequestError(field, `has ${value.length} items; WeCom allows at most ${limits.max}`);
  value.forEach((v, i) => requireText(v, `${field}[${i}]`));
  return value as string[];
}

/** An integer in [min, max]. */
export function checkInteger(value: unknown, min: number, max: number, field: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CorpRequestError(field, `must be an integer from ${min} to ${max}`);
  }
}

/** One of the listed values. */
export function checkOneOf<T>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T))
    throw new CorpRequestError(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return value as T;
}

/** An object (not null, not a list). */
export function requireObject(value: unknown, field: string): Record<string, unknown> {
  if (!isObject(value)) throw new CorpRequestError(field, value === undefined ? 'is required' : 'must be an object');
  return value;
}
