import { CallbackParseError } from './errors.js';

/**
 * Reads fields out of a parsed callback (an XML element tree or a JSON object) and throws a
 * {@link CallbackParseError} that names the full field path when something is missing or of the
 * wrong shape. XML paths use `/` (`From/UserId`), JSON paths use `.` (`from.userid`).
 */
export class FieldReader {
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly path: string,
    private readonly sep: '/' | '.',
  ) {}

  /** The full path of a child field, for error messages. */
  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}${this.sep}${key}`;
  }

  /** Own property only: a body can never reach Object.prototype through a key like "constructor". */
  get(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.data, key) ? this.data[key] : undefined;
  }

  /** A required, non-empty string (numbers are accepted and kept as their decimal text). */
  string(key: string): string {
    const value = this.optString(key);
    if (value === undefined) throw missing(this.pathOf(key));
    return value;
  }

  /** A required string that may be empty (message text). */
  text(key: string): string {
    const value = this.get(key);
    if (value === undefined || value === null) throw missing(this.pathOf(key));
    return this.asString(key, value);
  }

  /** An optional string; absent, null and empty all give `undefined`. */
  optString(key: string): string | undefined {
    const value = this.get(key);
    if (value === undefined || value === null) return undefined;
    const text = this.asString(key, value);
    return text === '' ? undefined : text;
  }

  /** A required finite number (numeric strings, as XML gives them, are accepted). */
  number(key: string): number {
    const value = this.optNumber(key);
    if (value === undefined) throw missing(this.pathOf(key));
    return value;
  }

  /** An optional finite number. */
  optNumber(key: string): number | undefined {
    const value = this.get(key);
    if (value === undefined || value === null || value === '') return undefined;
    const num = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(num)) throw invalid(this.pathOf(key), 'a number');
    return num;
  }

  /** A required child object. */
  object(key: string): FieldReader {
    const child = this.optObject(key);
    if (!child) throw missing(this.pathOf(key));
    return child;
  }

  /** An optional child object (an empty XML element counts as absent). */
  optObject(key: string): FieldReader | undefined {
    const value = this.get(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw invalid(this.pathOf(key), 'an object');
    return new FieldReader(value as Record<string, unknown>, this.pathOf(key), this.sep);
  }

  /**
   * A list of objects. XML gives one element as an object and several as an array; JSON gives
   * an array. Both are normalised to an array; absent gives [].
   */
  objects(key: string): FieldReader[] {
    const value = this.get(key);
    if (value === undefined || value === null || value === '') return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => {
      const path = `${this.pathOf(key)}[${index}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw invalid(path, 'an object');
      return new FieldReader(item as Record<string, unknown>, path, this.sep);
    });
  }

  /** A list of strings (single value or array); absent gives []. */
  strings(key: string): string[] {
    const value = this.get(key);
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => this.asString(`${key}[${index}]`, item));
  }

  /** A list of numbers (single value or array); absent gives []. */
  numbers(key: string): number[] {
    const value = this.get(key);
    if (value === undefined || value === null) return [];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => {
      const num = typeof item === 'number' ? item : typeof item === 'string' ? Number(item) : NaN;
      if (!Number.isFinite(num)) throw invalid(`${this.pathOf(key)}[${index}]`, 'a number');
      return num;
    });
  }

  private asString(key: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw invalid(this.pathOf(key), 'a string');
  }
}

/** Error for a required field that is absent or empty. */
export function missing(path: string): CallbackParseError {
  return new CallbackParseError('callback_missing_field', `callback field ${path} is missing`, { field: path });
}

/** Error for a field with the wrong shape or an undocumented value. */
export function invalid(path: string, expected: string): CallbackParseError {
  return new CallbackParseError('callback_invalid_field', `callback field ${path} must be ${expected}`, { field: path });
}

/**
 * Sets `target[key] = value` when the value is defined (keeps optional fields absent). On the
 * per-callback path this replaces `...optional(key, value)`, which made and spread a temporary
 * object for every optional field.
 */
export function setDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (keeps optional fields absent). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
