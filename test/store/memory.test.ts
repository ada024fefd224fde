import { openStore } from '../../src/store/index.js';
import { describeStoreConformance, testNamespace } from './conformance.js';

describeStoreConformance('memory', async () => {
  const store = await openStore({ databaseUrl: 'memory:', namespace: testNamespace('mem') });
  return { open: async () => store, shared: false, cleanup: async () => {} };
});
