import { WecombotError } from '../errors.js';

/** Why a request was refused before reaching a handler. Each maps to one HTTP status. */
export type BotRequestErrorCode =
  | 'bot_method_not_allowed'
  | 'bot_not_found'
  | 'bot_missing_query'
  | 'bot_body_too_large'
  | 'bot_signature_mismatch'
  | 'bot_timestamp_stale'
  | 'bot_undecryptable'
  | 'bot_malformed'
  | 'bot_robot_not_configured'
  | 'bot_flat_json_disabled'
  | 'bot_auth_missing'
  | 'bot_token_mismatch';

const STATUS: Record<BotRequestErrorCode, number> = {
  bot_method_not_allowed: 405,
  bot_not_found: 404,
  bot_missing_query: 400,
  bot_body_too_large: 413,
  bot_signature_mismatch: 401,
  bot_timestamp_stale: 401,
  bot_undecryptable: 400,
  bot_malformed: 400,
  bot_robot_not_configured: 404,
  // Flat JSON from a gateway (flat-json.ts): a dialect that is off, and its authentication.
  bot_flat_json_disabled: 415,
  bot_auth_missing: 401,
  bot_token_mismatch: 401,
};

/**
 * A request the core refused (wrong method, bad signature, stale timestamp, ...). `status` is
 * the HTTP status sent back; the message is safe to log (no secrets, no plaintext).
 */
export class BotRequestError extends WecombotError {
  declare readonly code: BotRequestErrorCode;
  readonly status: number;

  constructor(code: BotRequestErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.status = STATUS[code];
  }
}

/** Configuration the bot cannot start with. The message names the field. */
export class BotConfigError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('bot_config_invalid', message, options);
  }
}

/** A reply that has nowhere to go (e.g. the AI bot's single-use response_url was already used). */
export class ReplyError extends WecombotError {
  constructor(code: 'reply_no_channel' | 'reply_unsupported', message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
