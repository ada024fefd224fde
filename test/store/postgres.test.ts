import { describe } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from './cleanup.js';
import { describeStoreConformance, testNamespace } from './conformance.js';

const available = await serviceAvailable('postgres', POSTGRES_URL);

describe.skipIf(!available)('postgres driver', () => {
  describeStoreConformance('postgres (two pools)', async () => {
    const namespace = testNamespace('pg');
    return {
      open: () => openStore({ databaseUrl: POSTGRES_URL, namespace }),
      shared: true,
      cleanup: () => dropPostgresNamespace(POSTGRES_URL, namespace),
    };
  });
});
