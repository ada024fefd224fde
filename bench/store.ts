/**
 * What a storage choice costs: ops/s of the two primitives every callback and every push
 * touch, on memory, SQLite (file, WAL), PostgreSQL and Redis, in one run.
 *
 *   npm run bench:store                   # table
 *   npm run bench:store -- --json         # one JSON object
 *   npm run bench:store -- --ms 2000 --concurrency 32
 *
 * - setIfAbsent: a fresh key per op (the callback de-duplication path: one insert);
 * - lock: acquireLock + releaseLock on a per-worker name (the scheduler/outbox path; one op = the pair).
 * Each is measured sequentially (one caller: latency-bound) and with --concurrency callers in
 * flight (what one busy process gets). Memory is the baseline; the last column is the ratio of
 * sequential setIfAbsent to memory's. Servers that are unreachable are skipped with a message.
 * PostgreSQL/Redis: WECOMBOT_BENCH_POSTGRES_URL / WECOMBOT_BENCH_REDIS_URL (default 127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { openStore, type Store } from '../src/store/index.js';
import { BENCH_POSTGRES_URL as POSTGRES_URL, BENCH_REDIS_URL as REDIS_URL, reachable } from './lib/services.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const msPerCase = arg('ms', 1500);
const concurrency = arg('concurrency', 16);

interface Driver {
  name: string;
  open(namespace: string): Promise<Store>;
  /** Where the data lives, to show what was measured. */
  where: string;
  cleanup(namespace: string, store: Store): Promise<void>;
}

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-bench-store-'));

async function drivers(): Promise<{ list: Driver[]; skipped: string[] }> {
  const list: Driver[] = [
    {
      name: 'memory',
      where: 'this process',
      open: (namespace) => openStore({ databaseUrl: 'memory:', namespace }),
      cleanup: async () => {},
    },
    {
      name: 'sqlite',
      where: 'file in tmpdir, WAL',
      open: (namespace) => openStore({ databaseUrl: `sqlite:${path.join(dir, 'bench.db')}`, namespace }),
      cleanup: async () => {},
    },
  ];
  const skipped: string[] = [];
  if (await reachable(POSTGRES_URL)) {
    list.push({
      name: 'postgres',
      where: new URL(POSTGRES_URL).host,
      open: (namespace) => openStore({ databaseUrl: POSTGRES_URL, namespace }),
      cleanup: async (namespace, store) => {
        const { sql } = await import('kysely');
        for (const t of ['kv', 'counters', 'slots', 'locks', 'migrations'])
          await sql.raw(`drop table if exists "${namespace}_${t}"`).execute(store.db());
      },
    });
  } else skipped.push(`postgres: not reachable at ${new URL(POSTGRES_URL).host}`);
  if (await reachable(REDIS_URL)) {
    list.push({
      name: 'redis',
      where: new URL(REDIS_URL).host,
      // The SQL half stays unused (and unopened): only key-value and locks are measured.
      open: (namespace) => openStore({ redisUrl: REDIS_URL, databaseUrl: `sqlite:${path.join(dir, 'redis-sql.db')}`, namespace }),
      cleanup: async (namespace) => {
        const { Redis } = await import('ioredis');
        const client = new Redis(REDIS_URL);
        let cursor = '0';
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length) await client.del(...keys);
        } while (cursor !== '0');
        client.disconnect();
      },
    });
  } else skipped.push(`redis: not reachable at ${new URL(REDIS_URL).host}`);
  return { list, skipped };
}

/** `workers` loops each call `op(worker, i)` until the time is up; returns ops/s. */
async function measure(workers: number, ms: number, op: (worker: number, i: number) => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + ms;
  const start = performance.now();
  let ops = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(w, i);
        ops++;
      }
    }),
  );
  return ops / ((performance.now() - start) / 1000);
}

interface Row {
  driver: string;
  where: string;
  setIfAbsentSeq: number;
  setIfAbsentConc: number;
  lockSeq: number;
  lockConc: number;
}

async function benchDriver(driver: Driver): Promise<Row> {
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  const store = await driver.open(namespace);
  try {
    let run = 0;
    const sia = async (workers: number) => {
      const prefix = `sia${run++}`;
      const ok = await measure(workers, 200, (w, i) => store.setIfAbsent(`warm${prefix}:${w}:${i}`, '1', { ttlMs: 600_000 })); // warm-up
      void ok;
      return measure(workers, msPerCase, async (w, i) => {
        if (!(await store.setIfAbsent(`${prefix}:${w}:${i}`, '1', { ttlMs: 600_000 }))) throw new Error('fresh key refused');
      });
    };
    const lock = (workers: number) =>
      measure(workers, msPerCase, async (w) => {
        const name = `lock${run}:${w}`;
        if (!(await store.acquireLock(name, { owner: `o${w}`, ttlMs: 30_000 }))) throw new Error('free lock refused');
        if (!(await store.releaseLock(name, `o${w}`))) throw new Error('own lock not released');
      });
    return {
      driver: driver.name,
      where: driver.where,
      setIfAbsentSeq: await sia(1),
      setIfAbsentConc: await sia(concurrency),
      lockSeq: await lock(1),
      lockConc: await lock(concurrency),
    };
  } finally {
    await driver.cleanup(namespace, store).catch((err: unknown) => console.error(`cleanup of ${driver.name} failed:`, err));
    await store.close();
  }
}

const { list, skipped } = await drivers();
const rows: Row[] = [];
for (const driver of list) rows.push(await benchDriver(driver));
rmSync(dir, { recursive: true, force: true });

const baseline = rows.find((r) => r.driver === 'memory')?.setIfAbsentSeq ?? 1;
const env = { node: process.version, cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`, msPerCase, concurrency };

if (json) {
  process.stdout.write(`${JSON.stringify({ benchmark: 'store', unit: 'ops/s', baseline: 'memory', env, results: rows, skipped })}\n`);
} else {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const header = [
    'driver',
    'setIfAbsent seq',
    `setIfAbsent x${concurrency}`,
    'lock+unlock seq',
    `lock+unlock x${concurrency}`,
    'seq vs memory',
  ];
  const body = rows.map((r) => [
    r.driver,
    fmt(r.setIfAbsentSeq),
    fmt(r.setIfAbsentConc),
    fmt(r.lockSeq),
    fmt(r.lockConc),
    `${(r.setIfAbsentSeq / baseline).toFixed(3)}x`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => (b[c] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  console.log(`store primitives, ops/s (Node ${env.node}, ${env.cpus}, ${msPerCase} ms per case)`);
  console.log(line(header));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
  for (const s of skipped) console.log(`skipped ${s}`);
  console.log('lock+unlock: one op = acquireLock + releaseLock; setIfAbsent: a fresh key per op.');
}
