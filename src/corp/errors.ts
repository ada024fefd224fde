import { WecombotError } from '../errors.js';
import { lookupCorpErrcode } from '../protocol/errcode/table.js';
import type { Retryable } from '../protocol/errcode/table.js';
import { redactSecrets } from '../redact.js';

/**
 * A non-zero errcode from the corp API. `code` is the stable name from the errcode table,
 * `hint` says how to fix it, `errmsg` is WeCom's text with every secret hidden, `api` names
 * the call (e.g. `externalcontact/send_welcome_msg`, or `gettoken`).
 *
 * @example
 * try { await corp.welcome.send({ welcome_code, text: { content: 'Hi' } }); }
 * catch (err) { if (err instanceof CorpApiError && err.errcode === 41051) return; throw err; }
 */
export class CorpApiError extends WecombotError {
  readonly errcode: number;
  readonly errmsg: string;
  readonly retryable: Retryable;
  readonly api: string;

  constructor(api: string, errcode: number, errmsg: string, options: { secrets?: readonly string[]; cause?: unknown } = {}) {
    const info = lookupCorpErrcode(errcode);
    const safe = redactSecrets(errmsg, options.secrets);
    super(info.code, `WeCom ${api} errcode ${errcode}: ${safe}`, { hint: info.hint, cause: options.cause });
    this.errcode = errcode;
    this.errmsg = safe;
    this.retryable = info.retryable;
    this.api = api;
  }
}

export { CorpConfigError } from './config-error.js';

/**
 * A request field WeCom would refuse, caught before the request is sent. `field` is its path
 * (`attachments[2].link.title`); the message says the limit.
 */
export class CorpRequestError extends WecombotError {
  readonly field: string;
  constructor(field: string, message: string, options: { hint?: string } = {}) {
    super('corp_request_invalid', `${field} ${message}`, options);
    this.field = field;
  }
}

/**
 * No answer from the corp API. `maybeSent` is false only when the connection was never made
 * (refused, DNS): then the request surely did not reach WeCom. A timeout or a reset after the
 * request went out leaves it open whether WeCom acted on it.
 */
export class CorpNetworkError extends WecombotError {
  declare readonly code: 'corp_network' | 'corp_timeout';
  readonly maybeSent: boolean;
  constructor(code: 'corp_network' | 'corp_timeout', message: string, options: { maybeSent: boolean; hint?: string; cause?: unknown }) {
    super(code, message, options);
    this.maybeSent = options.maybeSent;
  }
}

/** The corp API (or a gateway in front of it) answered a non-200 status or a body that is not WeCom JSON. */
export class CorpHttpError extends WecombotError {
  readonly status: number;
  constructor(status: number, message: string, options: { hint?: string } = {}) {
    super('corp_http', message, options);
    this.status = status;
  }
}

/** No access token could be had: gettoken answered without one, or another instance held the fetch too long. */
export class CorpTokenError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('corp_token_unavailable', message, options);
  }
}
