import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/client/index.js';
import { outboxMigrations, outboxTable } from '../../src/client/outbox/schema.js';
import { splitLegacyError } from '../../src/client/outbox/stored-error.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from '../store/cleanup.js';

describe('splitLegacyError', () => {
  it('splits `code: message` at the first separator and maps old code names to today’s', () => {
    expect(splitLegacyError('WEBHOOK_HTTP: x answered HTTP 502: bad gateway')).toEqual({
      code: 'webhook_http',
      message: 'x answered HTTP 502: bad gateway',
    });
    expect(splitLegacyError('wecom_rate_limited: WeCom webhook errcode 45009: api freq out of limit')).toEqual({
      code: 'wecom_rate_limited',
      message: 'WeCom webhook errcode 45009: api freq out of limit',
    });
    expect(splitLegacyError('wecom_error_12345: WeCom webhook errcode 12345: ?')).toEqual({
      code: 'wecom_unknown_errcode',
      message: 'WeCom webhook errcode 12345: ?',
    });
    expect(splitLegacyError('wecom_error_minus_2: e')).toEqual({ code: 'wecom_unknown_errcode', message: 'e' });
    expect(splitLegacyError('webhook_network: line one\nline two')).toEqual({ code: 'webhook_network', message: 'line one\nline two' });
  });

  it('keeps the whole text, with code unknown, when it is not `code: message` or the code is not one of ours', () => {
    expect(splitLegacyError('socket hang up')).toEqual({ code: 'unknown', message: 'socket hang up' });
    expect(splitLegacyError('ECONNRESET: read failed')).toEqual({ code: 'unknown', message: 'ECONNRESET: read failed' });
    expect(splitLegacyError('webhook_http:no space')).toEqual({ code: 'unknown', message: 'webhook_http:no space' });
  });
});

describe('outbox migration client_webhook_outbox_2', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom();
  });
  afterAll(async () => {
    await fake.close();
  });

  /** Creates the table as version 1 left it, with old-format rows, then lets the client migrate it. */
  async function migratesOldRows(store: Store): Promise<void> {
    const table = outboxTable(store.namespace);
    const [first] = outboxMigrations(store.namespace, store.sqlDialect);
    await store.migrate([first!]);
    const old = [
      'WEBHOOK_HTTP: https://h/send?key=693a…5aaa answered HTTP 502',
      'wecom_invalid_parameter: WeCom webhook errcode 40058: invalid text',
      'wecom_error_12345: WeCom webhook errcode 12345: ?',
      'socket hang up',
      null,
      'WEBHOOK_HTTP: https://h/send?key=693a…5aaa answered HTTP 502',
    ];
    const ids: number[] = [];
    for (const [i, lastError] of old.entries()) {
      const row = await store
        .db()
        .insertInto(table)
        .values({
          batch: 'b',
          part: i,
          robot_id: 'r',
          target_url: fake.url,
          label: 'l',
          body: '{}',
          status: 'failed',
          attempts: 1,
          lease_owner: null,
          lease_until: null,
          not_before: 0,
          created_at: 0,
          delivered_at: null,
          errcode: null,
          last_error: lastError,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(row.id));
    }

    const client = new WebhookClient({ store, baseUrl: fake.baseUrl, proxy: false, outbox: { resume: false } });
    try {
      await client.outbox?.init();
      const entries = (await client.outbox?.entries(ids)) ?? [];
      expect(entries.map((e) => e.lastError)).toEqual([
        { code: 'webhook_http', message: 'https://h/send?key=693a…5aaa answered HTTP 502' },
        { code: 'wecom_invalid_parameter', message: 'WeCom webhook errcode 40058: invalid text' },
        { code: 'wecom_unknown_errcode', message: 'WeCom webhook errcode 12345: ?' },
        { code: 'unknown', message: 'socket hang up' },
        null,
        { code: 'webhook_http', message: 'https://h/send?key=693a…5aaa answered HTTP 502' },
      ]);
      const columns = Object.keys((await store.db().selectFrom(table).selectAll().limit(1).executeTakeFirstOrThrow()) as object);
      expect(columns).toContain('last_error_code');
      expect(columns).not.toContain('last_error');

      // New failures are stored in the new columns.
      fake.failNext(93000);
      const report = await client.text(fake.url, 'after the migration');
      const [entry] = (await client.outbox?.entries(report.results[0]?.outboxIds ?? [])) ?? [];
      expect(entry?.lastError).toEqual({ code: 'wecom_invalid_webhook_url', message: expect.stringContaining('errcode 93000') });
    } finally {
      await client.close();
    }
  }

  it('moves old one-column errors on SQLite', async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:' });
    try {
      await migratesOldRows(store);
    } finally {
      await store.close();
    }
  });

  it('moves old one-column errors on PostgreSQL', async (ctx) => {
    if (!(await serviceAvailable('postgres', POSTGRES_URL))) return ctx.skip();
    const namespace = `outbox_migration_${process.pid}`;
    await dropPostgresNamespace(POSTGRES_URL, namespace);
    const store = await openStore({ databaseUrl: POSTGRES_URL, namespace });
    try {
      await migratesOldRows(store);
    } finally {
      await store.close();
      await dropPostgresNamespace(POSTGRES_URL, namespace);
    }
  });
});
