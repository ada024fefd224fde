import type { ErrorCode } from '../error-codes.js';
import { WecombotError } from '../errors.js';

/** The codes of {@link WebhookMediaError}. */
export type WebhookMediaErrorCode = Extract<ErrorCode, `media_${string}` | `image_${string}`>;

/**
 * The request never got a WeCom answer: connection refused or reset, DNS, TLS, or the timeout
 * fired (`code` webhook_timeout). The message may or may not have been delivered.
 */
export class WebhookNetworkError extends WecombotError {
  declare readonly code: 'webhook_network' | 'webhook_timeout';

  constructor(code: 'webhook_network' | 'webhook_timeout', message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** WeCom (or a gateway in front of it) answered with a non-200 HTTP status or a body that is not WeCom JSON. */
export class WebhookHttpError extends WecombotError {
  readonly status: number;
  constructor(status: number, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('webhook_http', message, options);
    this.status = status;
  }
}

/** A media or image input cannot be sent as is (type, size, missing image library). */
export class WebhookMediaError extends WecombotError {
  declare readonly code: WebhookMediaErrorCode;

  constructor(code: WebhookMediaErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
