import { WecombotError } from '../errors.js';

/**
 * The request never got a WeCom answer: connection refused or reset, DNS, TLS, or the timeout
 * fired (`code` WEBHOOK_TIMEOUT). The message may or may not have been delivered.
 */
export class WebhookNetworkError extends WecombotError {
  constructor(code: 'WEBHOOK_NETWORK' | 'WEBHOOK_TIMEOUT', message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** WeCom (or a gateway in front of it) answered with a non-200 HTTP status or a body that is not WeCom JSON. */
export class WebhookHttpError extends WecombotError {
  readonly status: number;
  constructor(status: number, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('WEBHOOK_HTTP', message, options);
    this.status = status;
  }
}

/** A media or image input cannot be sent as is (type, size, missing image library). */
export class WebhookMediaError extends WecombotError {
  constructor(code: string, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
