import { WecombotError } from '../errors.js';

// In a file of its own: the environment check runs at every cold start, and the corp API's
// other errors pull in the errcode table.
/** WECOM_CORP_ID / WECOM_CORP_SECRET or an option of the corp client is missing or malformed; the message names it, never its value. */
export class CorpConfigError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('corp_config', message, options);
  }
}
