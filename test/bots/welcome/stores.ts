/**
 * Two stores on one database, as two instances of a bot see it: two connections to one SQLite
 * file, or two pools on the shared PostgreSQL (tables under a fresh namespace, dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../../../src/store/index.js';
import { POSTGRES_URL } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';

export interface StorePair {
  stores: [Store, Store];
  close(): Promise<void>;
}

export async function sqlitePair(): Promise<StorePair> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-welcome-'));
  const url = `sqlite:${path.join(dir, 'shared.db')}`;
  const stores: [Store, Store] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
  return {
    stores,
    async close() {
      for (const s of stores) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresPair(): Promise<StorePair> {
  const namespace = testNamespace('welcome');
  const stores: [Store, Store] = [
    await openStore({ databaseUrl: POSTGRES_URL, namespace }),
    await openStore({ databaseUrl: POSTGRES_URL, namespace }),
  ];
  return {
    stores,
    async close() {
      for (const s of stores) await s.close();
      await dropPostgresNamespace(POSTGRES_URL, namespace);
    },
  };
}
