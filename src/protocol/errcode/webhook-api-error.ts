import { WecombotError } from '../../errors.js';
import { redactSecrets } from '../../redact.js';
import { lookupErrcode, type Retryable } from './table.js';

/**
 * A non-zero `errcode` in a webhook (or upload) answer. `code` is the stable name from the
 * errcode table, `hint` says how to fix it, `errmsg` is WeCom's text with the webhook key
 * redacted.
 *
 * @example
 * if (body.errcode !== 0) throw new WebhookApiError(body.errcode, body.errmsg);
 */
export class WebhookApiError extends WecombotError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly retryable: Retryable;

  constructor(errcode: number, errmsg: string, options: { cause?: unknown } = {}) {
    const info = lookupErrcode(errcode);
    const safe = redactSecrets(errmsg);
    super(info.code, `WeCom webhook errcode ${errcode}: ${safe}`, { hint: info.hint, cause: options.cause });
    this.errcode = errcode;
    this.errmsg = safe;
    this.retryable = info.retryable;
  }
}
