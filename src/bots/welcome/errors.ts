import { WecombotError } from '../../errors.js';

/**
 * A coupon pool file or pattern that cannot be imported: the message names the file, the
 * line and the reason, like a compiler (`codes.csv:14: duplicate of line 3`), so the fix is
 * one look away. Nothing of a refused file is imported.
 */
export class CouponPoolError extends WecombotError {
  readonly file: string;
  /** 0 when the problem is the file as a whole (it cannot be read). */
  readonly line: number;
  constructor(file: string, line: number, reason: string, cause?: unknown) {
    super('welcome_pool_invalid', line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`, {
      hint: 'a pool file is CSV with a code column, or one code a line; see docs/en/welcome.md#coupons',
      ...(cause !== undefined ? { cause } : {}),
    });
    this.file = file;
    this.line = line;
  }
}
