import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from './cleanup.js';
import { testNamespace } from './conformance.js';

const run = promisify(execFile);
const racer = fileURLToPath(new URL('./fixtures/racer.ts', import.meta.url));
const PROCESSES = 4;

interface Outcome {
  won: number[];
  slots: number;
  locks: number;
  migrated: string[];
}

/** Starts PROCESSES separate Node processes that race on one store from the same instant. */
async function race(databaseUrl: string, namespace: string, redisUrl = ''): Promise<Outcome[]> {
  const startAt = String(Date.now() + 3000);
  const children = Array.from({ length: PROCESSES }, () =>
    run(process.execPath, ['--import', 'tsx', racer, databaseUrl, namespace, startAt, redisUrl], { timeout: 30_000 }),
  );
  return (await Promise.all(children)).map(({ stdout }) => JSON.parse(stdout.trim()) as Outcome);
}

function expectExactlyOnce(outcomes: Outcome[]): void {
  const wins = outcomes.flatMap((o) => o.won).sort((x, y) => x - y);
  expect(wins).toEqual(Array.from({ length: 30 }, (_, i) => i));
  expect(outcomes.reduce((sum, o) => sum + o.locks, 0)).toBe(30);
  // 4 processes x 20 attempts against a limit of 25 in one window.
  expect(outcomes.reduce((sum, o) => sum + o.slots, 0)).toBe(25);
  expect(outcomes.flatMap((o) => o.migrated)).toEqual(['race-table']);
}

const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const redis = await serviceAvailable('redis', REDIS_URL);

describe('separate processes racing on one store', () => {
  it('sqlite file: exactly one winner per key and lock, never over the slot limit, one migration', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-race-'));
    try {
      expectExactlyOnce(await race(`sqlite:${path.join(dir, 'race.db')}`, testNamespace('pr')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(!postgres)(
    'postgres: the same guarantees',
    async () => {
      const namespace = testNamespace('prp');
      try {
        expectExactlyOnce(await race(POSTGRES_URL, namespace));
      } finally {
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      }
    },
    60_000,
  );

  it.skipIf(!redis || !postgres)(
    'redis + postgres: the same guarantees',
    async () => {
      const namespace = testNamespace('prr');
      try {
        expectExactlyOnce(await race(POSTGRES_URL, namespace, REDIS_URL));
      } finally {
        await deleteRedisNamespace(REDIS_URL, namespace);
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      }
    },
    60_000,
  );
});
