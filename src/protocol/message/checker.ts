/**
 * Small validation primitives that collect issues with full field paths. Hand-written instead
 * of a schema library so every message reads like "news.articles[0].title is 140 bytes; the
 * limit is 128 UTF-8 bytes".
 */
import { utf8ByteLength } from '../text/utf8.js';
import { MessageValidationError, type ValidationIssue, type ValidationIssueCode } from './errors.js';

/** Options of {@link Checker.str}. */
export interface StringRule {
  /** Default true. */
  required?: boolean;
  /** UTF-8 byte limit. */
  maxBytes?: number;
  /** A regular expression the value must match, with a description for the message. */
  pattern?: { re: RegExp; description: string };
}

/** Collects {@link ValidationIssue}s; `done()` throws them as one MessageValidationError. */
export class Checker {
  readonly issues: ValidationIssue[] = [];

  add(path: string, code: ValidationIssueCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  /** An object; `undefined` when absent (reported if required) or not an object (reported). */
  obj(value: unknown, path: string, required = true): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'message_missing_field', `${path} is required`);
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, 'message_invalid_value', `${path} must be an object`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  /** A string: required strings must be non-empty; optional ones may be absent. */
  str(value: unknown, path: string, rule: StringRule = {}): string | undefined {
    const required = rule.required ?? true;
    if (value === undefined || value === null || (required && value === '')) {
      if (required) this.add(path, 'message_missing_field', `${path} is required and must not be empty`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, 'message_invalid_value', `${path} must be a string`);
      return undefined;
    }
    if (rule.maxBytes !== undefined) {
      const bytes = utf8ByteLength(value);
      if (bytes > rule.maxBytes) {
        this.add(path, 'message_too_long', `${path} is ${bytes} bytes; the limit is ${rule.maxBytes} UTF-8 bytes`);
      }
    }
    if (rule.pattern && !rule.pattern.re.test(value)) {
      this.add(path, 'message_invalid_value', `${path} must be ${rule.pattern.description}`);
    }
    return value;
  }

  /** An array with optional length bounds. */
  list(value: unknown, path: string, bounds: { min?: number; max?: number; required?: boolean } = {}): unknown[] | undefined {
    if (value === undefined || value === null) {
      if (bounds.required) this.add(path, 'message_missing_field', `${path} is required`);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(path, 'message_invalid_value', `${path} must be an array`);
      return undefined;
    }
    if (bounds.max !== undefined && value.length > bounds.max) {
      this.add(path, 'message_too_many', `${path} has ${value.length} items; the limit is ${bounds.max}`);
    }
    if (bounds.min !== undefined && value.length < bounds.min) {
      this.add(path, 'message_too_few', `${path} has ${value.length} items; at least ${bounds.min} required`);
    }
    return value;
  }

  /** An integer from a fixed set. */
  oneOf<T extends number | string>(value: unknown, path: string, allowed: readonly T[], required = false): T | undefined {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'message_missing_field', `${path} is required (one of ${allowed.join(', ')})`);
      return undefined;
    }
    if (!allowed.includes(value as T)) {
      this.add(path, 'message_invalid_value', `${path} is ${JSON.stringify(value)}; it must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** A boolean. */
  bool(value: unknown, path: string): void {
    if (value !== undefined && typeof value !== 'boolean') this.add(path, 'message_invalid_value', `${path} must be true or false`);
  }

  /** Throws a MessageValidationError when any issue was collected. */
  done(): void {
    if (this.issues.length > 0) throw new MessageValidationError(this.issues);
  }
}
