import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createScheduler,
  fireTimeKey,
  SchedulerConfigError,
  SchedulerCronError,
  SchedulerUnknownJobError,
  type JobContext,
  type SchedulerLogger,
} from '../../src/scheduler/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from '../store/cleanup.js';
import { testNamespace } from '../store/conformance.js';

/** Collects log calls so tests can assert what a failure logged. */
function recordingLogger() {
  const entries: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const log: SchedulerLogger = {
    info: (obj, msg) => entries.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
  };
  return { log, entries };
}

const quiet = recordingLogger().log;

interface Backend {
  label: string;
  /** Two stores (separate connections) over the same data. */
  pair(): Promise<[Store, Store]>;
  cleanup(): Promise<void>;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'wecombot-sched-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const redis = await serviceAvailable('redis', REDIS_URL);

function backends(): Backend[] {
  const list: Backend[] = [];
  const sqliteNs = testNamespace('sch');
  const file = `sqlite:${path.join(tmp, 'sched.db')}`;
  list.push({
    label: 'sqlite file',
    pair: async () => [
      await openStore({ databaseUrl: file, namespace: sqliteNs }),
      await openStore({ databaseUrl: file, namespace: sqliteNs }),
    ],
    cleanup: async () => {},
  });
  if (postgres) {
    const ns = testNamespace('schp');
    list.push({
      label: 'postgres',
      pair: async () => [
        await openStore({ databaseUrl: POSTGRES_URL, namespace: ns }),
        await openStore({ databaseUrl: POSTGRES_URL, namespace: ns }),
      ],
      cleanup: () => dropPostgresNamespace(POSTGRES_URL, ns),
    });
  }
  if (redis) {
    const ns = testNamespace('schr');
    const db = `sqlite:${path.join(tmp, 'sched-redis.db')}`;
    list.push({
      label: 'redis',
      pair: async () => [
        await openStore({ databaseUrl: db, redisUrl: REDIS_URL, namespace: ns }),
        await openStore({ databaseUrl: db, redisUrl: REDIS_URL, namespace: ns }),
      ],
      cleanup: () => deleteRedisNamespace(REDIS_URL, ns).then(() => {}),
    });
  }
  return list;
}

describe.each(backends())('exactly once with two schedulers sharing one store: $label', (backend) => {
  it('runDue: racing instances and retried timer events run each fire time once', async () => {
    const [s1, s2] = await backend.pair();
    try {
      const runs: string[] = [];
      const job = async (ctx: JobContext) => void runs.push(ctx.scheduledAt.toISOString());
      const a = createScheduler({ store: s1, log: quiet }).schedule('report', '0 */5 * * * *', job);
      const b = createScheduler({ store: s2, log: quiet }).schedule('report', '0 */5 * * * *', job);
      // 20 fire times five minutes apart; each delivered twice to each instance, plus a retry 40 s late.
      const base = Date.parse('2031-03-01T01:00:00Z');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => base + i * 300_000).flatMap((t) => [
          a.runDue('report', new Date(t + 150)),
          b.runDue('report', new Date(t + 900)),
          a.runDue('report', new Date(t + 40_000)),
          b.runDue('report', new Date(t - 500)), // the platform clock a little early
        ]),
      );
      expect(runs).toHaveLength(20);
      expect(new Set(runs).size).toBe(20);
      expect(results.filter((r) => r.ran)).toHaveLength(20);
      expect(results.filter((r) => r.reason === 'already-ran')).toHaveLength(60);
      expect(results.find((r) => r.ran)?.runKey).toMatch(/^report@2031-03-01T\d\d:\d\d(:\d\d)?Z$/);
    } finally {
      await s1.close();
      await s2.close();
    }
  });

  it('start(): two in-process timers on one store fire each second once', async () => {
    const [s1, s2] = await backend.pair();
    const seen: string[] = [];
    const job = (ctx: JobContext) => void seen.push(ctx.scheduledAt.toISOString());
    const a = createScheduler({ store: s1, log: quiet }).schedule('tick', '* * * * * *', job);
    const b = createScheduler({ store: s2, log: quiet }).schedule('tick', '* * * * * *', job);
    try {
      a.start();
      b.start();
      await new Promise((resolve) => setTimeout(resolve, 3500));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await s1.close();
      await s2.close();
      await backend.cleanup();
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('scheduler behaviour (memory store)', () => {
  const open = () => openStore({ databaseUrl: 'memory:' });

  it('retries a failing job with doubling backoff, logs each failure, and reports success', async () => {
    const store = await open();
    const { log, entries } = recordingLogger();
    const pauses: number[] = [];
    let calls = 0;
    const scheduler = createScheduler({ store, log, sleep: async (ms) => void pauses.push(ms) }).schedule(
      'flaky',
      '0 9 * * *',
      async (ctx) => {
        calls++;
        if (ctx.attempt < 3) throw new Error(`upstream 502 (try ${ctx.attempt})`);
      },
      { retry: { attempts: 4, backoffMs: 250 } },
    );
    const result = await scheduler.runDue('flaky', new Date('2031-05-05T01:00:01Z'));
    expect(result).toMatchObject({ ran: true, attempts: 3, runKey: 'flaky@2031-05-05T01:00Z' });
    expect(result.error).toBeUndefined();
    expect(calls).toBe(3);
    expect(pauses).toEqual([250, 500]);
    const errors = entries.filter((e) => e.level === 'error');
    expect(errors.map((e) => e.obj.attempt)).toEqual([1, 2]);
    expect((errors[0]?.obj.err as Error).message).toBe('upstream 502 (try 1)');
    await store.close();
  });

  it('reports the final failure, and a retried timer does not run the job again', async () => {
    const store = await open();
    const { log, entries } = recordingLogger();
    let calls = 0;
    const scheduler = createScheduler({ store, log, sleep: async () => {} }).schedule(
      'broken',
      '0 9 * * *',
      () => {
        calls++;
        throw new Error('database down');
      },
      { retry: { attempts: 2, backoffMs: 10 } },
    );
    const first = await scheduler.runDue('broken', new Date('2031-05-05T01:00:00Z'));
    expect(first.ran).toBe(true);
    expect(first.attempts).toBe(2);
    expect(first.error?.message).toBe('database down');
    expect(entries.at(-1)?.msg).toMatch(/no tries left/);
    const retried = await scheduler.runDue('broken', new Date('2031-05-05T01:03:00Z'));
    expect(retried).toMatchObject({ ran: false, reason: 'already-ran' });
    expect(calls).toBe(2);
    await store.close();
  });

  it('releaseOnFailure: a failed run frees its key for the platform retry', async () => {
    const store = await open();
    let calls = 0;
    const scheduler = createScheduler({ store, log: quiet, releaseOnFailure: true }).schedule(
      'once-more',
      '0 9 * * *',
      () => {
        if (++calls === 1) throw new Error('first invocation fails');
      },
      { retry: { attempts: 1 } },
    );
    expect((await scheduler.runDue('once-more', new Date('2031-05-05T01:00:00Z'))).error?.message).toBe('first invocation fails');
    const retried = await scheduler.runDue('once-more', new Date('2031-05-05T01:02:00Z'));
    expect(retried).toMatchObject({ ran: true, attempts: 1 });
    expect(retried.error).toBeUndefined();
    expect(await scheduler.runDue('once-more', new Date('2031-05-05T01:04:00Z'))).toMatchObject({ reason: 'already-ran' });
    await store.close();
  });

  it('skips events far from any fire time: not-due (no fire time yet) and too-late', async () => {
    const store = await open();
    const scheduler = createScheduler({ store, log: quiet, maxLatenessMs: 3_600_000 })
      .schedule('future', '0 0 9 * * * 2090', () => {})
      .schedule('daily', '0 9 * * *', () => {});
    expect(await scheduler.runDue('future', new Date('2031-01-01T00:00:00Z'))).toMatchObject({ ran: false, reason: 'not-due' });
    const late = await scheduler.runDue('daily', new Date('2031-01-01T03:00:00Z'));
    expect(late).toMatchObject({ ran: false, reason: 'too-late' });
    expect(late.scheduledAt?.toISOString()).toBe('2031-01-01T01:00:00.000Z');
    await store.close();
  });

  it('runNow runs every time, outside run keys', async () => {
    const store = await open();
    let calls = 0;
    const scheduler = createScheduler({ store, log: quiet }).schedule('manual', '0 9 * * *', (ctx) => {
      expect(ctx.scheduled).toBe(false);
      calls++;
    });
    expect((await scheduler.runNow('manual')).ran).toBe(true);
    expect((await scheduler.runNow('manual')).ran).toBe(true);
    expect(calls).toBe(2);
    await store.close();
  });

  it('list() shows each job with its timezone and next fire time', async () => {
    const store = await open();
    const scheduler = createScheduler({ store })
      .schedule('morning', '0 9 * * *', () => {})
      .schedule('utc-noon', '0 0 12 * * * *', () => {}, { timezone: 'UTC' })
      .schedule('gone', '0 0 9 * * * 2020', () => {});
    const list = scheduler.list();
    expect(list.map((j) => [j.name, j.cron, j.timezone])).toEqual([
      ['morning', '0 9 * * *', 'Asia/Shanghai'],
      ['utc-noon', '0 0 12 * * * *', 'UTC'],
      ['gone', '0 0 9 * * * 2020', 'Asia/Shanghai'],
    ]);
    const morning = list[0]?.next as Date;
    expect(morning.getTime()).toBeGreaterThan(Date.now());
    expect(morning.getUTCHours()).toBe(1); // 09:00 in Shanghai
    expect(list[1]?.next?.getUTCHours()).toBe(12);
    expect(list[2]?.next).toBeNull();
    await store.close();
  });

  it('refuses bad definitions at schedule() time', async () => {
    const store = await open();
    const scheduler = createScheduler({ store });
    expect(() => scheduler.schedule('bad', '0 0 25 * * *', () => {})).toThrow(SchedulerCronError);
    expect(() => scheduler.schedule('bad', '0 0 25 * * *', () => {})).toThrow(/"0 0 25 \* \* \*" is invalid: .*hour/i);
    expect(() => scheduler.schedule('bad name', '0 9 * * *', () => {})).toThrow(SchedulerConfigError);
    expect(() => scheduler.schedule('r', '0 9 * * *', () => {}, { retry: { attempts: 0 } })).toThrow(SchedulerConfigError);
    scheduler.schedule('once', '0 9 * * *', () => {});
    expect(() => scheduler.schedule('once', '0 10 * * *', () => {})).toThrow(/twice/);
    await expect(scheduler.runDue('nope')).rejects.toBeInstanceOf(SchedulerUnknownJobError);
    await store.close();
  });

  it('formats run keys by minute, with seconds only when they matter', () => {
    expect(fireTimeKey(new Date('2025-01-06T01:00:00Z'))).toBe('2025-01-06T01:00Z');
    expect(fireTimeKey(new Date('2025-01-06T01:00:05Z'))).toBe('2025-01-06T01:00:05Z');
  });
});
