import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from './cleanup.js';
import { describeStoreConformance, testNamespace } from './conformance.js';

const redis = await serviceAvailable('redis', REDIS_URL);
const postgres = redis && (await serviceAvailable('postgres', POSTGRES_URL));

describe.skipIf(!redis)('redis driver', () => {
  describeStoreConformance('redis + sqlite file (two connections each)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-store-'));
    const databaseUrl = `sqlite:${path.join(dir, 'data.db')}`;
    const namespace = testNamespace('rd');
    return {
      open: () => openStore({ databaseUrl, redisUrl: REDIS_URL, namespace }),
      shared: true,
      cleanup: async () => {
        await deleteRedisNamespace(REDIS_URL, namespace);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  it('names the composite and keeps keys under the namespace', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-store-'));
    const namespace = testNamespace('rdn');
    const store = await openStore({ databaseUrl: `sqlite:${path.join(dir, 'x.db')}`, redisUrl: REDIS_URL, namespace });
    try {
      expect(store.driver).toBe('redis+sqlite');
      await store.set('k', 'v');
      await store.acquireLock('l', { owner: 'o', ttlMs: 60_000 });
      expect(await deleteRedisNamespace(REDIS_URL, namespace)).toBe(2);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!postgres)('redis + postgres driver', () => {
  describeStoreConformance('redis + postgres', async () => {
    const namespace = testNamespace('rp');
    return {
      open: () => openStore({ databaseUrl: POSTGRES_URL, redisUrl: REDIS_URL, namespace }),
      shared: true,
      cleanup: async () => {
        await deleteRedisNamespace(REDIS_URL, namespace);
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      },
    };
  });
});
