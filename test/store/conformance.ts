import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, setJson, StoreArgumentError, StoreMigrationError, type Migration, type Store } from '../../src/store/index.js';

/** How a driver under test is opened. */
export interface ConformanceTarget {
  /** A new connection (new store object) to the same backing data, same namespace. */
  open(): Promise<Store>;
  /**
   * Whether two `open()` calls share data. The memory driver does not; its racing tests then
   * race callers on one store, which is what "concurrent" means in one process.
   */
  shared: boolean;
  /** Removes what the run left behind (tables, keys, files). */
  cleanup(): Promise<void>;
}

/** A namespace unique to this run, so parallel test files sharing PostgreSQL/Redis never collide. */
export function testNamespace(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ROUNDS = 40;

/**
 * The one suite every storage driver passes. `makeTarget` runs in beforeAll; the caller decides
 * (with serviceAvailable) whether the suite runs at all.
 */
export function describeStoreConformance(label: string, makeTarget: () => Promise<ConformanceTarget>): void {
  describe(`Store conformance: ${label}`, () => {
    let target: ConformanceTarget;
    let a: Store;
    let b: Store;
    // A fresh key prefix per test keeps the cases independent inside one namespace.
    let n = 0;
    const k = (name: string) => `${name}:${++n}`;

    beforeAll(async () => {
      target = await makeTarget();
      a = await target.open();
      b = target.shared ? await target.open() : a;
    });

    afterAll(async () => {
      await a?.close();
      if (b && b !== a) await b.close();
      await target?.cleanup();
    });

    describe('key-value', () => {
      it('gets what was set, overwrites, deletes', async () => {
        const key = k('kv');
        expect(await a.get(key)).toBeUndefined();
        await a.set(key, 'first 值');
        expect(await b.get(key)).toBe('first 值');
        await b.set(key, 'second');
        expect(await a.get(key)).toBe('second');
        expect(await a.delete(key)).toBe(true);
        expect(await b.delete(key)).toBe(false);
        expect(await b.get(key)).toBeUndefined();
      });

      it('expires values after their TTL (real time)', async () => {
        const short = k('ttl-short');
        const long = k('ttl-long');
        await a.set(short, 'x', { ttlMs: 150 });
        await a.set(long, 'y', { ttlMs: 60_000 });
        expect(await b.get(short)).toBe('x');
        await sleep(400);
        expect(await b.get(short)).toBeUndefined();
        expect(await b.get(long)).toBe('y');
        expect(await b.delete(short)).toBe(false);
      });

      it('set without TTL clears an earlier TTL', async () => {
        const key = k('ttl-clear');
        await a.set(key, 'x', { ttlMs: 150 });
        await a.set(key, 'y');
        await sleep(400);
        expect(await a.get(key)).toBe('y');
      });

      it('setIfAbsent writes once, and again after expiry', async () => {
        const key = k('sia');
        expect(await a.setIfAbsent(key, 'one', { ttlMs: 150 })).toBe(true);
        expect(await b.setIfAbsent(key, 'two', { ttlMs: 150 })).toBe(false);
        expect(await b.get(key)).toBe('one');
        await sleep(400);
        expect(await b.setIfAbsent(key, 'three', { ttlMs: 60_000 })).toBe(true);
        expect(await a.get(key)).toBe('three');
      });

      it('setIfAbsent has exactly one winner among racing connections, every round', async () => {
        const base = k('race');
        for (let round = 0; round < ROUNDS; round++) {
          const key = `${base}:${round}`;
          const callers = [a, b, a, b, a, b];
          const results = await Promise.all(callers.map((s, i) => s.setIfAbsent(key, `c${i}`, { ttlMs: 60_000 })));
          expect(results.filter(Boolean)).toHaveLength(1);
          expect(await a.get(key)).toBe(`c${results.indexOf(true)}`);
        }
      });

      it('JSON helpers round-trip', async () => {
        const key = k('json');
        await setJson(a, key, { n: 1, list: ['a', '值'] }, { ttlMs: 60_000 });
        expect(await getJson(b, key)).toEqual({ n: 1, list: ['a', '值'] });
        expect(await getJson(b, k('json-missing'))).toBeUndefined();
      });

      it('refuses empty keys and non-positive TTLs', async () => {
        await expect(a.set('', 'x')).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.setIfAbsent(k('bad'), 'x', { ttlMs: 0 })).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.acquireSlot(k('bad'), { limit: 0, windowMs: 1000 })).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.acquireLock(k('bad'), { owner: '', ttlMs: 1000 })).rejects.toBeInstanceOf(StoreArgumentError);
      });
    });

    describe('counters', () => {
      it('counts every increment exactly once under concurrency', async () => {
        const key = k('ctr');
        const calls = Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).incr(key, { windowMs: 60_000 }));
        const values = await Promise.all(calls);
        expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(await a.incr(key, { windowMs: 60_000, by: 10 })).toBe(70);
      });

      it('starts over when the window ends (real time)', async () => {
        const key = k('ctr-window');
        expect(await a.incr(key, { windowMs: 150 })).toBe(1);
        expect(await b.incr(key, { windowMs: 150 })).toBe(2);
        await sleep(400);
        expect(await b.incr(key, { windowMs: 150 })).toBe(1);
      });
    });

    describe('sliding window slots', () => {
      it('never grants more than the limit to racing connections', async () => {
        for (let round = 0; round < 5; round++) {
          const key = k('slot-race');
          const calls = Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).acquireSlot(key, { limit: 7, windowMs: 60_000 }));
          const results = await Promise.all(calls);
          expect(results.filter((r) => r.ok)).toHaveLength(7);
          for (const r of results) {
            if (!r.ok) {
              expect(r.retryAfterMs).toBeGreaterThan(0);
              expect(r.retryAfterMs).toBeLessThanOrEqual(60_000);
            }
          }
          const remaining = results.flatMap((r) => (r.ok ? [r.remaining] : [])).sort((x, y) => x - y);
          expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6]);
        }
      });

      it('slides: a slot frees exactly windowMs after it was taken (injected clock)', async () => {
        const key = k('slot-slide');
        const opts = (now: number) => ({ limit: 2, windowMs: 1000, now: 1_000_000 + now });
        expect(await a.acquireSlot(key, opts(0))).toEqual({ ok: true, remaining: 1 });
        expect(await b.acquireSlot(key, opts(100))).toEqual({ ok: true, remaining: 0 });
        expect(await a.acquireSlot(key, opts(500))).toEqual({ ok: false, retryAfterMs: 500 });
        expect(await b.acquireSlot(key, opts(999))).toEqual({ ok: false, retryAfterMs: 1 });
        // The slot taken at 0 leaves the window (now - 1000, now] at 1000.
        expect(await a.acquireSlot(key, opts(1000))).toEqual({ ok: true, remaining: 0 });
        expect(await b.acquireSlot(key, opts(1050))).toEqual({ ok: false, retryAfterMs: 50 });
        expect(await a.acquireSlot(key, opts(1100))).toEqual({ ok: true, remaining: 0 });
        // A smaller limit on the same key waits for enough slots to leave.
        expect(await b.acquireSlot(key, { limit: 1, windowMs: 1000, now: 1_001_150 })).toEqual({ ok: false, retryAfterMs: 950 });
      });

      it('frees slots in real time', async () => {
        const key = k('slot-real');
        expect((await a.acquireSlot(key, { limit: 1, windowMs: 200 })).ok).toBe(true);
        const denied = await b.acquireSlot(key, { limit: 1, windowMs: 200 });
        expect(denied.ok).toBe(false);
        await sleep(450);
        expect((await b.acquireSlot(key, { limit: 1, windowMs: 200 })).ok).toBe(true);
      });
    });

    describe('lease locks', () => {
      it('one owner at a time; re-acquire extends; only the owner releases', async () => {
        const name = k('lock');
        expect(await a.acquireLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(true);
        expect(await b.acquireLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        expect(await b.acquireLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(true);
        expect(await b.releaseLock(name, 'bob')).toBe(false);
        expect(await b.acquireLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        expect(await a.releaseLock(name, 'alice')).toBe(true);
        expect(await a.releaseLock(name, 'alice')).toBe(false);
        expect(await b.acquireLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(true);
        expect(await b.releaseLock(name, 'bob')).toBe(true);
      });

      it('an expired lease can be stolen, and the old owner can neither renew nor release it', async () => {
        const name = k('lock-expiry');
        expect(await a.acquireLock(name, { owner: 'alice', ttlMs: 150 })).toBe(true);
        await sleep(400);
        expect(await b.acquireLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(true);
        expect(await a.renewLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(false);
        expect(await a.releaseLock(name, 'alice')).toBe(false);
        expect(await a.acquireLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(false);
        expect(await b.releaseLock(name, 'bob')).toBe(true);
      });

      it('renewing keeps a lease alive past its first expiry', async () => {
        const name = k('lock-renew');
        expect(await a.acquireLock(name, { owner: 'alice', ttlMs: 300 })).toBe(true);
        expect(await a.renewLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(true);
        expect(await b.renewLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        await sleep(500);
        expect(await b.acquireLock(name, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        expect(await a.releaseLock(name, 'alice')).toBe(true);
        expect(await a.renewLock(name, { owner: 'alice', ttlMs: 60_000 })).toBe(false);
      });

      it('racing owners: exactly one wins each round', async () => {
        const base = k('lock-race');
        for (let round = 0; round < ROUNDS; round++) {
          const name = `${base}:${round}`;
          const owners = ['o1', 'o2', 'o3', 'o4'];
          const results = await Promise.all(owners.map((owner, i) => (i % 2 ? a : b).acquireLock(name, { owner, ttlMs: 60_000 })));
          expect(results.filter(Boolean)).toHaveLength(1);
        }
      });
    });

    describe('claims (crash-safe de-duplication)', () => {
      it('claimed once; a second owner sees it running, then done once completed', async () => {
        const key = k('claim');
        expect(await a.claim(key, { owner: 'alice', leaseMs: 60_000 })).toBe('claimed');
        expect(await b.claim(key, { owner: 'bob', leaseMs: 60_000 })).toBe('running');
        // The owner's own claim extends its lease (how a long handler renews it).
        expect(await b.claim(key, { owner: 'alice', leaseMs: 60_000 })).toBe('claimed');
        expect(await b.completeClaim(key, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        expect(await a.completeClaim(key, { owner: 'alice', ttlMs: 60_000 })).toBe(true);
        expect(await b.claim(key, { owner: 'bob', leaseMs: 60_000 })).toBe('done');
        expect(await a.claim(key, { owner: 'alice', leaseMs: 60_000 })).toBe('done');
        expect(await a.completeClaim(key, { owner: 'alice', ttlMs: 60_000 })).toBe(false);
        expect(await b.releaseClaim(key, 'alice')).toBe(false);
      });

      it("a crashed owner's lease expires and the work can be claimed again; the late owner cannot complete it", async () => {
        const key = k('claim-expiry');
        expect(await a.claim(key, { owner: 'dead', leaseMs: 150 })).toBe('claimed');
        expect(await b.claim(key, { owner: 'retry', leaseMs: 60_000 })).toBe('running');
        await sleep(400);
        expect(await b.claim(key, { owner: 'retry', leaseMs: 60_000 })).toBe('claimed');
        expect(await a.completeClaim(key, { owner: 'dead', ttlMs: 60_000 })).toBe(false);
        expect(await a.releaseClaim(key, 'dead')).toBe(false);
        expect(await b.completeClaim(key, { owner: 'retry', ttlMs: 60_000 })).toBe(true);
      });

      it('a lapsed claim nobody took can still be completed by its owner', async () => {
        const key = k('claim-lapsed');
        expect(await a.claim(key, { owner: 'slow', leaseMs: 150 })).toBe('claimed');
        await sleep(400);
        expect(await a.completeClaim(key, { owner: 'slow', ttlMs: 60_000 })).toBe(true);
        expect(await b.claim(key, { owner: 'other', leaseMs: 60_000 })).toBe('done');
      });

      it('completion is remembered for its ttl, then the key is free again', async () => {
        const key = k('claim-ttl');
        expect(await a.claim(key, { owner: 'alice', leaseMs: 60_000 })).toBe('claimed');
        expect(await a.completeClaim(key, { owner: 'alice', ttlMs: 150 })).toBe(true);
        expect(await b.claim(key, { owner: 'bob', leaseMs: 60_000 })).toBe('done');
        await sleep(400);
        expect(await b.claim(key, { owner: 'bob', leaseMs: 60_000 })).toBe('claimed');
      });

      it('released claims can be taken at once, by anyone', async () => {
        const key = k('claim-release');
        expect(await a.claim(key, { owner: 'alice', leaseMs: 60_000 })).toBe('claimed');
        expect(await b.releaseClaim(key, 'bob')).toBe(false);
        expect(await b.releaseClaim(key, 'alice')).toBe(true);
        expect(await b.claim(key, { owner: 'bob', leaseMs: 60_000 })).toBe('claimed');
      });

      it('racing owners: exactly one claims each round, the others see it running', async () => {
        const base = k('claim-race');
        for (let round = 0; round < ROUNDS; round++) {
          const key = `${base}:${round}`;
          const results = await Promise.all(
            ['o1', 'o2', 'o3', 'o4'].map((owner, i) => (i % 2 ? a : b).claim(key, { owner, leaseMs: 60_000 })),
          );
          expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
          expect(results.filter((r) => r === 'running')).toHaveLength(3);
        }
      });

      it('refuses bad owners and leases', async () => {
        await expect(a.claim(k('bad'), { owner: '', leaseMs: 1000 })).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.claim(k('bad'), { owner: 'x', leaseMs: 0 })).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.completeClaim(k('bad'), { owner: 'x', ttlMs: -1 })).rejects.toBeInstanceOf(StoreArgumentError);
        await expect(a.claim('', { owner: 'x', leaseMs: 1000 })).rejects.toBeInstanceOf(StoreArgumentError);
      });
    });

    describe('long keys', () => {
      // A 4,000-character MsgId once failed PostgreSQL's index row limit: every operation must work.
      const long = (tag: string) => `${k(tag)}:${'m'.repeat(2000)}${randomBytes(1000).toString('hex')}`;

      it('key-value, set-if-absent, counters, locks and claims accept 4,000-character keys', async () => {
        const key = long('long-kv');
        await a.set(key, 'v');
        expect(await b.get(key)).toBe('v');
        // One character different is another key.
        expect(await b.get(`${key.slice(0, -1)}x`)).toBeUndefined();
        expect(await b.delete(key)).toBe(true);
        const once = long('long-sia');
        expect(await a.setIfAbsent(once, '1', { ttlMs: 60_000 })).toBe(true);
        expect(await b.setIfAbsent(once, '2', { ttlMs: 60_000 })).toBe(false);
        const counter = long('long-ctr');
        expect(await a.incr(counter, { windowMs: 60_000 })).toBe(1);
        expect(await b.incr(counter, { windowMs: 60_000 })).toBe(2);
        const lock = long('long-lock');
        expect(await a.acquireLock(lock, { owner: 'alice', ttlMs: 60_000 })).toBe(true);
        expect(await b.acquireLock(lock, { owner: 'bob', ttlMs: 60_000 })).toBe(false);
        expect(await a.releaseLock(lock, 'alice')).toBe(true);
        expect((await a.acquireSlot(long('long-slot'), { limit: 1, windowMs: 60_000 })).ok).toBe(true);
        const claim = long('long-claim');
        const results = await Promise.all([a, b, a, b].map((s, i) => s.claim(claim, { owner: `o${i}`, leaseMs: 60_000 })));
        expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
      });
    });

    describe('migrations and tables', () => {
      it('applies each migration once with two stores racing, and db() queries the tables', async () => {
        const table = `${a.namespace}_items`;
        const calls: string[] = [];
        const migrations: Migration[] = [
          {
            name: 'items-1',
            up: async (db) => {
              calls.push('items-1');
              await db.schema
                .createTable(table)
                .addColumn('id', 'integer', (c) => c.primaryKey())
                .addColumn('label', 'text')
                .execute();
            },
          },
          {
            name: 'items-2',
            up: async (db) => {
              calls.push('items-2');
              await db.schema
                .alterTable(table)
                .addColumn('qty', 'integer', (c) => c.notNull().defaultTo(0))
                .execute();
            },
          },
        ];
        const [fromA, fromB] = await Promise.all([a.migrate(migrations), b.migrate(migrations)]);
        expect([...fromA, ...fromB].sort()).toEqual(['items-1', 'items-2']);
        expect(calls.sort()).toEqual(['items-1', 'items-2']);
        expect(await a.migrate(migrations)).toEqual([]);

        interface Tables {
          [table: string]: { id: number; label: string | null; qty: number };
        }
        await a.db<Tables>().insertInto(table).values({ id: 1, label: '报名', qty: 2 }).execute();
        const rows = await b.db<Tables>().selectFrom(table).select(['id', 'label', 'qty']).execute();
        expect(rows).toEqual([{ id: 1, label: '报名', qty: 2 }]);
      });

      it('rolls a failing batch back entirely and records nothing', async () => {
        const table = `${a.namespace}_rollback`;
        const broken: Migration[] = [
          { name: 'rb-1', up: async (db) => void (await db.schema.createTable(table).addColumn('id', 'integer').execute()) },
          { name: 'rb-2', up: async () => Promise.reject(new Error('boom')) },
        ];
        const err = await a.migrate(broken).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(StoreMigrationError);
        expect((err as Error).message).toContain('rb-2');
        // rb-1 was rolled back with the batch: it runs again and its table can be created again.
        const fixed: Migration[] = [broken[0] as Migration, { name: 'rb-2', up: async () => {} }];
        expect(await b.migrate(fixed)).toEqual(['rb-1', 'rb-2']);
      });

      it('refuses duplicate migration names', async () => {
        const m: Migration = { name: 'dup', up: async () => {} };
        await expect(a.migrate([m, m])).rejects.toBeInstanceOf(StoreArgumentError);
      });
    });
  });
}
