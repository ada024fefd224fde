import { redactError, redactUrl, secretsOfUrl } from '../redact.js';
import { StoreConfigError } from './errors.js';

/** The environment variables a store is configured from. Errors name them. */
export const DATABASE_URL_VAR = 'WECOMBOT_DATABASE_URL';
export const REDIS_URL_VAR = 'WECOMBOT_REDIS_URL';
export const DEFAULT_DATABASE_URL = 'sqlite:./.wecombot/data.db';
export const DEFAULT_NAMESPACE = 'wecombot';

export type DatabaseTarget = { kind: 'memory' } | { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; redacted: string };

export interface RedisTarget {
  url: string;
  redacted: string;
}

/** Parses `WECOMBOT_DATABASE_URL`. Throws `StoreConfigError` naming the variable. */
export function parseDatabaseUrl(raw: string | undefined): DatabaseTarget {
  const value = (raw ?? '').trim() || DEFAULT_DATABASE_URL;
  if (value === 'memory:' || value === 'memory://') return { kind: 'memory' };
  if (value.startsWith('sqlite:')) {
    let file = value.slice('sqlite:'.length);
    // Accept sqlite:./x.db, sqlite:x.db, sqlite:/abs/x.db, sqlite://./x.db and sqlite:///abs/x.db.
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') {
      throw new StoreConfigError(`${DATABASE_URL_VAR} "${value}" names no SQLite file`, {
        hint: 'use sqlite:./.wecombot/data.db, sqlite:/absolute/path.db or sqlite::memory:',
      });
    }
    return { kind: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    const redacted = redactUrl(value);
    let url: URL;
    try {
      url = new URL(value);
    } catch (cause) {
      throw new StoreConfigError(`${DATABASE_URL_VAR} "${redacted}" is not a valid URL`, {
        hint: 'expected postgres://user:password@host:5432/database (percent-encode special characters in the password)',
        cause: scrubCause(cause, value),
      });
    }
    if (!url.hostname) {
      throw new StoreConfigError(`${DATABASE_URL_VAR} "${redacted}" has no host`, {
        hint: 'expected postgres://user:password@host:5432/database',
      });
    }
    if (url.port && !/^\d+$/.test(url.port)) {
      throw new StoreConfigError(`${DATABASE_URL_VAR} "${redacted}" has an invalid port`, {
        hint: 'expected postgres://user:password@host:5432/database',
      });
    }
    return { kind: 'postgres', url: value, redacted };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  throw new StoreConfigError(
    scheme ? `${DATABASE_URL_VAR} uses the unsupported scheme "${scheme}:"` : `${DATABASE_URL_VAR} "${redactUrl(value)}" is not a URL`,
    { hint: 'use sqlite:./path.db, sqlite::memory:, postgres://user:password@host/db or memory:' },
  );
}

/** Parses `WECOMBOT_REDIS_URL`; undefined/empty means no Redis. */
export function parseRedisUrl(raw: string | undefined): RedisTarget | undefined {
  const value = (raw ?? '').trim();
  if (!value) return undefined;
  const redacted = redactUrl(value);
  if (!/^rediss?:\/\//i.test(value)) {
    throw new StoreConfigError(`${REDIS_URL_VAR} "${redacted}" must start with redis:// or rediss://`, {
      hint: 'e.g. redis://:password@127.0.0.1:6379/0',
    });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new StoreConfigError(`${REDIS_URL_VAR} "${redacted}" is not a valid URL`, {
      hint: 'e.g. redis://:password@127.0.0.1:6379/0 (percent-encode special characters in the password)',
      cause: scrubCause(cause, value),
    });
  }
  if (!url.hostname) throw new StoreConfigError(`${REDIS_URL_VAR} "${redacted}" has no host`);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) {
    throw new StoreConfigError(`${REDIS_URL_VAR} "${redacted}" has database "${db}"; Redis databases are numbers`);
  }
  return { url: value, redacted };
}

/** Validates a namespace (it becomes part of SQL table names and Redis keys). */
export function parseNamespace(raw: string | undefined): string {
  const ns = raw ?? DEFAULT_NAMESPACE;
  if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(ns)) {
    throw new StoreConfigError(`store namespace "${ns}" is invalid`, {
      hint: 'use a letter followed by up to 39 letters, digits or underscores',
    });
  }
  return ns;
}

/**
 * Driver errors sometimes echo the connection string. Returns an Error whose message no
 * longer contains the password (or the whole URL), keeping the original's name and code.
 */
export function scrubCause(cause: unknown, rawUrl: string): unknown {
  return redactError(cause, secretsOfUrl(rawUrl));
}

/** Appends a scrubbed cause summary to a message, so a CLI user sees why. */
export function causeText(cause: unknown, rawUrl: string): string {
  const scrubbed = scrubCause(cause, rawUrl);
  if (scrubbed instanceof Error) {
    const code = (scrubbed as { code?: unknown }).code;
    return typeof code === 'string' && !scrubbed.message.includes(code) ? `${code}: ${scrubbed.message}` : scrubbed.message;
  }
  return String(scrubbed);
}
