import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/index.js';
import { describeStoreConformance, testNamespace } from './conformance.js';

describeStoreConformance('sqlite (file, two connections)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-store-'));
  const databaseUrl = `sqlite:${path.join(dir, 'nested', 'data.db')}`;
  const namespace = testNamespace('sq');
  return {
    open: () => openStore({ databaseUrl, namespace }),
    shared: true,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeStoreConformance('sqlite (:memory:)', async () => {
  const store = await openStore({ databaseUrl: 'sqlite::memory:', namespace: testNamespace('sqm') });
  return { open: async () => store, shared: false, cleanup: async () => {} };
});
