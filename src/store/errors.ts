import { WecombotError } from '../errors.js';

/** A store URL or option is malformed. The message names the variable; passwords are redacted. */
export class StoreConfigError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store_config', message, options);
  }
}

/** The database or Redis server could not be reached or refused us. Passwords are redacted. */
export class StoreConnectionError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store_connection', message, options);
  }
}

/** A feature was asked of a store that cannot provide it (e.g. SQL without a SQL engine). */
export class StoreUnsupportedError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store_unsupported', message, options);
  }
}

/** A migration failed; nothing of the batch was recorded. */
export class StoreMigrationError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store_migration', message, options);
  }
}

/** A store method was called with an invalid argument (empty key, negative TTL, …). */
export class StoreArgumentError extends WecombotError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('store_argument', message, options);
  }
}
