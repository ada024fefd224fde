import type { ErrorCode } from './error-codes.js';

/**
 * The root of every error wecombot throws. Each carries a stable `code` (what broke, for
 * programs; one of {@link ErrorCode}), a `hint` (how to fix it, for people) and keeps its `cause`.
 *
 * Messages and hints never contain secrets: callers pass redacted values only.
 */
export class WecombotError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }

  /** One line for logs and CLIs: `message (hint)`. */
  describe(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}
