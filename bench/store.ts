/**
 * What the store adds over its driver: every primitive a callback or a push runs, beside a bare
 * call of the same driver doing the same number of round trips, in the same run.
 *
 *   npm run bench:store                   # table
 *   npm run bench:store -- --json         # one JSON object
 *   npm run bench:store -- --ms 1000 --rounds 5 --concurrency 16
 *
 * Operations (a fresh key per op):
 * - claim:          store.claim (the callback de-duplication claim, one round trip);
 * - claim+complete: store.claim then store.completeClaim (a callback's whole de-duplication);
 * - lock+unlock:    store.acquireLock then store.releaseLock (scheduler, outbox, sessions);
 * - setIfAbsent:    the older de-duplication primitive.
 * The bare peers, on the same engine, with the same pool size and tables of the same shape:
 * - SQLite: a better-sqlite3 prepared `INSERT … ON CONFLICT DO NOTHING` (and `UPDATE`/`DELETE`
 *   by key for the second call), on its own connection to the same file, same pragmas;
 * - PostgreSQL: `pg` parameterised queries of the same kind on a Pool of the same size (5);
 * - Redis: ioredis `SET key value NX PX` (then `SET … PX` / `DEL`).
 * Each is measured sequentially (one caller: latency) and with --concurrency callers in flight.
 * The ratio is store ops/s over bare ops/s; the target is >= 0.80x. Store and bare run in
 * alternating 100 ms slices (--rounds x --ms each in total), so drift and load from other
 * processes on a shared machine hit both sides alike. Unreachable servers are skipped with a message.
 * PostgreSQL/Redis: WECOMBOT_BENCH_POSTGRES_URL / WECOMBOT_BENCH_REDIS_URL (default 127.0.0.1).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openStore, type Store } from '../src/store/index.js';
import {
  BENCH_POSTGRES_URL as POSTGRES_URL,
  BENCH_REDIS_URL as REDIS_URL,
  dropPostgresNamespace,
  postgresReachable,
  reachable,
} from './lib/services.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number`);
    process.exit(2);
  }
  return value;
}
const json = process.argv.includes('--json');
const msPerCase = arg('ms', 1000);
const rounds = arg('rounds', 3);
const concurrency = arg('concurrency', 16);
const LEASE = { leaseMs: 60_000 };
const TTL = 600_000;

type Op = (key: string, worker: number) => Promise<unknown>;
const OPS = ['claim', 'claim+complete', 'lock+unlock', 'setIfAbsent'] as const;
type OpName = (typeof OPS)[number];

/** One driver: the store's operations and the bare driver's peers of each. */
interface Subject {
  name: string;
  where: string;
  store: Record<OpName, Op>;
  bare: Record<OpName, Op> | undefined;
  close(): Promise<void>;
}

function storeOps(store: Store): Record<OpName, Op> {
  return {
    claim: async (key, w) => {
      if ((await store.claim(key, { owner: `o${w}`, ...LEASE })) !== 'claimed') throw new Error('fresh key not claimed');
    },
    'claim+complete': async (key, w) => {
      if ((await store.claim(key, { owner: `o${w}`, ...LEASE })) !== 'claimed') throw new Error('fresh key not claimed');
      if (!(await store.completeClaim(key, { owner: `o${w}`, ttlMs: TTL }))) throw new Error('own claim not completed');
    },
    'lock+unlock': async (key, w) => {
      if (!(await store.acquireLock(key, { owner: `o${w}`, ttlMs: 30_000 }))) throw new Error('free lock refused');
      if (!(await store.releaseLock(key, `o${w}`))) throw new Error('own lock not released');
    },
    setIfAbsent: async (key) => {
      if (!(await store.setIfAbsent(key, '1', { ttlMs: TTL }))) throw new Error('fresh key refused');
    },
  };
}

/** The bare SQL peers: the same shape of table, the simplest statement doing each round trip. */
function bareSqlOps(
  insert: (key: string, value: string) => Promise<boolean>,
  update: (key: string, value: string) => Promise<boolean>,
  remove: (key: string) => Promise<boolean>,
): Record<OpName, Op> {
  const must = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`bare ${what} changed nothing`);
  };
  return {
    claim: async (key, w) => must(await insert(key, `run:o${w}`), 'insert'),
    'claim+complete': async (key, w) => {
      must(await insert(key, `run:o${w}`), 'insert');
      must(await update(key, 'done'), 'update');
    },
    'lock+unlock': async (key, w) => {
      must(await insert(key, `o${w}`), 'insert');
      must(await remove(key), 'delete');
    },
    setIfAbsent: async (key) => must(await insert(key, '1'), 'insert'),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-bench-store-'));
const bareTable = (namespace: string) => `${namespace}_bare`;
const bareDdl = (table: string) => `create table if not exists "${table}" (key text primary key, value text not null, expires_at bigint)`;

async function memorySubject(namespace: string): Promise<Subject> {
  const store = await openStore({ databaseUrl: 'memory:', namespace });
  return { name: 'memory', where: 'this process', store: storeOps(store), bare: undefined, close: () => store.close() };
}

async function sqliteSubject(namespace: string): Promise<Subject> {
  const file = path.join(dir, 'bench.db');
  const store = await openStore({ databaseUrl: `sqlite:${file}`, namespace });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const t = bareTable(namespace);
  db.exec(bareDdl(t));
  const insert = db.prepare(`insert into "${t}" (key, value, expires_at) values (?, ?, ?) on conflict (key) do nothing`);
  const update = db.prepare(`update "${t}" set value = ?, expires_at = ? where key = ?`);
  const remove = db.prepare(`delete from "${t}" where key = ?`);
  return {
    name: 'sqlite',
    where: 'file in tmpdir, WAL',
    store: storeOps(store),
    // The bare calls are synchronous; `async` gives them the same one-promise shape as a caller sees.
    bare: bareSqlOps(
      async (key, value) => insert.run(key, value, Date.now() + TTL).changes > 0,
      async (key, value) => update.run(value, Date.now() + TTL, key).changes > 0,
      async (key) => remove.run(key).changes > 0,
    ),
    close: async () => {
      db.close();
      await store.close();
    },
  };
}

async function postgresSubject(namespace: string): Promise<Subject> {
  const store = await openStore({ databaseUrl: POSTGRES_URL, namespace });
  // The store's pool has 5 connections (postgres-engine.ts); the bare pool gets the same.
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 5 });
  const t = bareTable(namespace);
  await pool.query(bareDdl(t));
  const insert = `insert into "${t}" (key, value, expires_at) values ($1, $2, $3) on conflict (key) do nothing`;
  const update = `update "${t}" set value = $1, expires_at = $2 where key = $3`;
  const remove = `delete from "${t}" where key = $1`;
  return {
    name: 'postgres',
    where: new URL(POSTGRES_URL).host,
    store: storeOps(store),
    bare: bareSqlOps(
      async (key, value) => ((await pool.query(insert, [key, value, Date.now() + TTL])).rowCount ?? 0) > 0,
      async (key, value) => ((await pool.query(update, [value, Date.now() + TTL, key])).rowCount ?? 0) > 0,
      async (key) => ((await pool.query(remove, [key])).rowCount ?? 0) > 0,
    ),
    close: async () => {
      await pool.end();
      await store.close();
      await dropPostgresNamespace(POSTGRES_URL, namespace);
    },
  };
}

async function redisSubject(namespace: string): Promise<Subject> {
  // The SQL half stays unused (and unopened): only key-value, claims and locks are measured.
  const store = await openStore({ redisUrl: REDIS_URL, databaseUrl: `sqlite:${path.join(dir, 'redis-sql.db')}`, namespace });
  const client = new Redis(REDIS_URL);
  const k = (key: string) => `${namespace}:bare:${key}`;
  const must = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`bare ${what} changed nothing`);
  };
  const setNx = async (key: string, value: string) => must((await client.set(k(key), value, 'PX', TTL, 'NX')) === 'OK', 'SET NX');
  return {
    name: 'redis',
    where: new URL(REDIS_URL).host,
    store: storeOps(store),
    bare: {
      claim: (key, w) => setNx(key, `run:o${w}`),
      'claim+complete': async (key, w) => {
        await setNx(key, `run:o${w}`);
        must((await client.set(k(key), 'done', 'PX', TTL)) === 'OK', 'SET');
      },
      'lock+unlock': async (key, w) => {
        await setNx(key, `o${w}`);
        must((await client.del(k(key))) === 1, 'DEL');
      },
      setIfAbsent: (key) => setNx(key, '1'),
    },
    close: async () => {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await client.del(...keys);
      } while (cursor !== '0');
      client.disconnect();
      await store.close();
    },
  };
}

/** `workers` loops each call `op` on fresh keys until the time is up; returns ops and seconds. */
let keySeq = 0;
async function run(workers: number, ms: number, op: Op): Promise<{ ops: number; s: number }> {
  const prefix = `k${keySeq++}`;
  const deadline = performance.now() + ms;
  const start = performance.now();
  let ops = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(`${prefix}:${w}:${i}`, w);
        ops++;
      }
    }),
  );
  return { ops, s: (performance.now() - start) / 1000 };
}

/**
 * Store and bare in alternating slices of SLICE_MS, `rounds * msPerCase` each in total: load
 * from other processes on a shared machine then falls on both sides alike.
 */
const SLICE_MS = 100;
async function compare(workers: number, store: Op, bare: Op | undefined): Promise<{ store: number; bare: number | null }> {
  const total = { store: { ops: 0, s: 0 }, bare: { ops: 0, s: 0 } };
  const slices = Math.max(1, Math.round((rounds * msPerCase) / SLICE_MS));
  for (let i = 0; i < slices; i++) {
    // Who goes first alternates too.
    const order: ['store' | 'bare', Op][] = bare
      ? i % 2
        ? [
            ['bare', bare],
            ['store', store],
          ]
        : [
            ['store', store],
            ['bare', bare],
          ]
      : [['store', store]];
    for (const [side, op] of order) {
      const r = await run(workers, SLICE_MS, op);
      total[side].ops += r.ops;
      total[side].s += r.s;
    }
  }
  return { store: total.store.ops / total.store.s, bare: bare ? total.bare.ops / total.bare.s : null };
}

interface Row {
  driver: string;
  where: string;
  op: OpName;
  storeSeq: number;
  bareSeq: number | null;
  storeConc: number;
  bareConc: number | null;
}

async function benchSubject(subject: Subject): Promise<Row[]> {
  const rows: Row[] = [];
  for (const op of OPS) {
    const store = subject.store[op];
    const bare = subject.bare?.[op];
    // Warm-up: connections, prepared statements, Lua scripts, JIT.
    await run(concurrency, 150, store);
    if (bare) await run(concurrency, 150, bare);
    const seq = await compare(1, store, bare);
    const conc = await compare(concurrency, store, bare);
    rows.push({
      driver: subject.name,
      where: subject.where,
      op,
      storeSeq: seq.store,
      bareSeq: seq.bare,
      storeConc: conc.store,
      bareConc: conc.bare,
    });
  }
  return rows;
}

const makers: [string, string, (namespace: string) => Promise<Subject>, () => Promise<boolean>][] = [
  ['memory', '', memorySubject, async () => true],
  ['sqlite', '', sqliteSubject, async () => true],
  ['postgres', POSTGRES_URL, postgresSubject, () => postgresReachable(POSTGRES_URL)],
  ['redis', REDIS_URL, redisSubject, () => reachable(REDIS_URL, 6379)],
];
const rows: Row[] = [];
const skipped: string[] = [];
try {
  for (const [name, url, make, available] of makers) {
    if (!(await available())) {
      skipped.push(`${name}: not reachable at ${new URL(url).host}`);
      continue;
    }
    const subject = await make(`bench_${randomBytes(4).toString('hex')}`);
    try {
      rows.push(...(await benchSubject(subject)));
    } finally {
      await subject.close().catch((err: unknown) => console.error(`cleanup of ${name} failed:`, err));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ratio = (store: number, bare: number | null) => (bare ? store / bare : null);
const env = { node: process.version, cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`, msPerCase, rounds, concurrency };
const results = rows.map((r) => ({ ...r, ratioSeq: ratio(r.storeSeq, r.bareSeq), ratioConc: ratio(r.storeConc, r.bareConc) }));
const target = 0.8;
const misses = results.filter((r) => (r.ratioSeq !== null && r.ratioSeq < target) || (r.ratioConc !== null && r.ratioConc < target));

if (json) {
  process.stdout.write(
    `${JSON.stringify({ benchmark: 'store', unit: 'ops/s', baseline: 'bare driver call, same run', target, env, results, skipped })}\n`,
  );
} else {
  const fmt = (n: number | null) => (n === null ? '–' : Math.round(n).toLocaleString('en-US'));
  const x = (n: number | null) => (n === null ? '–' : `${n.toFixed(2)}x`);
  const header = [
    'driver',
    'operation',
    'store seq',
    'bare seq',
    'seq ratio',
    `store x${concurrency}`,
    `bare x${concurrency}`,
    `x${concurrency} ratio`,
  ];
  const body = results.map((r) => [
    r.driver,
    r.op,
    fmt(r.storeSeq),
    fmt(r.bareSeq),
    x(r.ratioSeq),
    fmt(r.storeConc),
    fmt(r.bareConc),
    x(r.ratioConc),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => (b[c] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join(' | ')} |`;
  console.log(
    `store primitives vs the bare driver, ops/s (Node ${env.node}, ${env.cpus}; ${rounds * msPerCase} ms per side, alternating 100 ms slices)`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w, c) => (c < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const b of body) console.log(line(b));
  for (const s of skipped) console.log(`skipped ${s}`);
  console.log(
    'bare: better-sqlite3 prepared statement, pg parameterised query (Pool of 5), ioredis SET NX PX; two calls for the two-step operations.',
  );
  console.log(
    misses.length === 0
      ? `every store operation is >= ${target}x its bare driver call`
      : `below ${target}x: ${misses.map((m) => `${m.driver} ${m.op}`).join(', ')}`,
  );
}
