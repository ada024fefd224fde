import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, openStoreFromEnv, StoreConfigError, StoreConnectionError } from '../../src/store/index.js';
import { parseDatabaseUrl, parseRedisUrl } from '../../src/store/url.js';
import { WecombotError } from '../../src/errors.js';
import { redactUrl } from '../../src/redact.js';

async function failure(promise: Promise<unknown>): Promise<WecombotError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WecombotError);
  return err as WecombotError;
}

/** Everything a user could see: message, hint, the cause chain and the stacks. */
function everything(err: Error): string {
  let text = `${err.message}\n${(err as WecombotError).hint ?? ''}\n${err.stack ?? ''}`;
  let cause = err.cause;
  while (cause instanceof Error) {
    text += `\n${cause.message}\n${cause.stack ?? ''}`;
    cause = cause.cause;
  }
  if (err instanceof AggregateError) for (const e of err.errors) text += `\n${String(e)}`;
  return text;
}

describe('database URLs', () => {
  it('parses every supported form', () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: 'sqlite', file: './.wecombot/data.db' });
    expect(parseDatabaseUrl('  ')).toEqual({ kind: 'sqlite', file: './.wecombot/data.db' });
    expect(parseDatabaseUrl('memory:')).toEqual({ kind: 'memory' });
    expect(parseDatabaseUrl('sqlite:./x.db')).toEqual({ kind: 'sqlite', file: './x.db' });
    expect(parseDatabaseUrl('sqlite:///var/data/x.db')).toEqual({ kind: 'sqlite', file: '/var/data/x.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(parseDatabaseUrl('postgresql://u:pw@db.example:5432/bot')).toMatchObject({
      kind: 'postgres',
      redacted: 'postgresql://u:***@db.example:5432/bot',
    });
    expect(parseRedisUrl('')).toBeUndefined();
    expect(parseRedisUrl('rediss://:pw@cache:6380/2')).toMatchObject({ redacted: 'rediss://:***@cache:6380/2' });
  });

  it.each([
    ['mysql://u:hunter2@h/db', /unsupported scheme "mysql:"/],
    ['sqlite:', /names no SQLite file/],
    ['postgres://u:hunter2@/db', /not a valid URL|has no host/],
    ['postgres://u:hunter2@host:port/db', /not a valid URL|invalid port/],
    ['just-a-path.db', /is not a URL/],
  ])('refuses %s, naming WECOMBOT_DATABASE_URL without the password', async (url, reason) => {
    const err = await failure(openStore({ databaseUrl: url }));
    expect(err).toBeInstanceOf(StoreConfigError);
    expect(err.code).toBe('store_config');
    expect(err.message).toContain('WECOMBOT_DATABASE_URL');
    expect(err.message).toMatch(reason);
    expect(err.hint).toBeTruthy();
    expect(everything(err)).not.toContain('hunter2');
  });

  it('refuses a malformed redis URL, naming WECOMBOT_REDIS_URL', async () => {
    for (const url of ['http://:hunter2@cache:6379', 'redis://:hunter2@cache:6379/zero']) {
      const err = await failure(openStore({ databaseUrl: 'memory:', redisUrl: url }));
      expect(err).toBeInstanceOf(StoreConfigError);
      expect(err.message).toContain('WECOMBOT_REDIS_URL');
      expect(everything(err)).not.toContain('hunter2');
    }
  });

  it('refuses an invalid namespace', async () => {
    const err = await failure(openStore({ databaseUrl: 'memory:', namespace: 'drop table;' }));
    expect(err).toBeInstanceOf(StoreConfigError);
  });

  it('redacts passwords, even in URLs that do not parse', () => {
    expect(redactUrl('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactUrl('postgres://u:se cret@h:xx/db')).toBe('postgres://u:***@h:xx/db');
    expect(redactUrl('sqlite:./a.db')).toBe('sqlite:./a.db');
  });
});

describe('unreachable servers', () => {
  it('postgres: names the variable and the failure, never the password', async () => {
    const err = await failure(openStore({ databaseUrl: 'postgres://u:secret@127.0.0.1:1/x' }));
    expect(err).toBeInstanceOf(StoreConnectionError);
    expect(err.code).toBe('store_connection');
    expect(err.message).toContain('WECOMBOT_DATABASE_URL');
    expect(err.message).toContain('127.0.0.1:1');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(everything(err)).not.toContain('secret');
  });

  it('redis: names the variable and the failure, never the password', async () => {
    const err = await failure(openStore({ databaseUrl: 'memory:', redisUrl: 'redis://:secret@127.0.0.1:1/0' }));
    expect(err).toBeInstanceOf(StoreConnectionError);
    expect(err.message).toContain('WECOMBOT_REDIS_URL');
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(everything(err)).not.toContain('secret');
  });

  it('sqlite: a file that cannot be created names the variable and the path', async () => {
    // A regular file as the "directory": creating the database must fail (even as root).
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-url-'));
    const blocker = path.join(dir, 'not-a-dir');
    writeFileSync(blocker, '');
    try {
      const err = await failure(openStore({ databaseUrl: `sqlite:${blocker}/data.db` }));
      expect(err).toBeInstanceOf(StoreConnectionError);
      expect(err.message).toContain('WECOMBOT_DATABASE_URL');
      expect(err.message).toContain(`${blocker}/data.db`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openStoreFromEnv reads the variables', async () => {
    const err = await failure(openStoreFromEnv({ WECOMBOT_DATABASE_URL: 'mongodb://x' }));
    expect(err.message).toContain('WECOMBOT_DATABASE_URL');
    const store = await openStoreFromEnv({ WECOMBOT_DATABASE_URL: 'memory:', WECOMBOT_STORE_NAMESPACE: 'envns' });
    expect(store.driver).toBe('memory');
    expect(store.namespace).toBe('envns');
    await store.close();
  });
});
