import { isErrorCode, type ErrorCode } from '../../error-codes.js';

/** The last delivery error of an outbox row: its code and its (redacted) message, kept apart. */
export interface StoredError {
  code: ErrorCode;
  message: string;
}

/** What a code read back from the database means here: a code this version does not know is `unknown`. */
export function storedCode(value: unknown): ErrorCode {
  return isErrorCode(value) ? value : 'unknown';
}

/**
 * Splits an error stored in the one-column format of `client_webhook_outbox_1`,
 * `<code>: <message>`. Codes of that time were partly UPPER_SNAKE (`WEBHOOK_HTTP`), and unknown
 * errcodes were `wecom_error_<n>`; both map to today's names. Anything else keeps the whole
 * text as the message, with the code `unknown`, so nothing of the old row is lost.
 *
 * @example splitLegacyError('WEBHOOK_HTTP: x answered HTTP 502') // { code: 'webhook_http', message: 'x answered HTTP 502' }
 */
export function splitLegacyError(text: string): StoredError {
  const m = /^([A-Za-z][A-Za-z0-9_]*): ([\s\S]*)$/.exec(text);
  if (!m) return { code: 'unknown', message: text };
  const code = (m[1] as string).toLowerCase();
  const message = m[2] as string;
  if (isErrorCode(code)) return { code, message };
  if (/^wecom_error_(minus_)?\d+$/.test(code)) return { code: 'wecom_unknown_errcode', message };
  return { code: 'unknown', message: text };
}
