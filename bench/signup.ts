/**
 * Sign-ups under concurrency, as a benchmark: 200 members sign up at once through two
 * instances (two bots, two store connections to one database) for 50 seats, on a SQLite file
 * and on PostgreSQL (when reachable). Each round is a fresh activity; figures are medians.
 *
 *   npm run bench:signup                       # table
 *   npm run bench:signup -- --json             # one JSON object
 *   npm run bench:signup -- --members 400 --capacity 100 --rounds 5
 *
 * Rows per store:
 * - **bot, locked**: the signup bot end to end — signed, encrypted callbacks into `bot.handle`,
 *   de-duplication, routing, the sign-up transaction under the activity's row lock, the
 *   encrypted passive reply. Latency is from sending a callback to its decrypted answer, with
 *   all 200 in flight at once (so it includes the wait for the lock).
 * - **ledger, locked**: the same sign-up transaction called directly (no HTTP, no crypto).
 * - **baseline: naive check**: the capacity check done the way a bot without a lock would —
 *   count the confirmed, then insert — as two statements outside a transaction. It is faster,
 *   and it over-fills: that is what the lock is for.
 * - **baseline: raw insert**: one plain INSERT per sign-up, no check at all: the store's write
 *   rate, the floor under any sign-up.
 *
 * "exact" says whether exactly `capacity` seats were confirmed and the numbers are the arrival
 * order (1…N, the seated ones first); the naive baseline reports its over-fill instead.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, type Bot } from '../src/bot/bot.js';
import { moduleTable } from '../src/bot/module.js';
import { parseSignupConfig } from '../src/bots/signup/config.js';
import { SignupDesk } from '../src/bots/signup/desk.js';
import { rosterOf } from '../src/bots/signup/ledger/roster.js';
import { signup } from '../src/bots/signup/module.js';
import { openStore, type Store } from '../src/store/index.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../src/testing/fake-group/index.js';
import { startFakeWecom } from '../src/testing/fake-wecom/index.js';
import { median, percentile } from './lib/timing.js';
import { BENCH_POSTGRES_URL as postgresUrl, dropPostgresNamespace, postgresReachable } from './lib/services.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const members = arg('members', 200);
const capacity = arg('capacity', 50);
const rounds = arg('rounds', 3);
const CHAT = 'wrBENCHSIGNUP';
const HOUR = 3_600_000;

/** One measured burst. */
interface Burst {
  ms: number[];
  wallMs: number;
  confirmed: number;
  exact: boolean;
}

interface Row {
  name: string;
  signupsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Seats confirmed (median over rounds). */
  confirmed: number;
  /** Seats confirmed beyond the capacity (worst round). */
  overfill: number;
  /** Every round confirmed exactly `capacity`, numbered in arrival order (null: not checked). */
  exact: boolean | null;
}

const ids = Array.from({ length: members }, (_, i) => `m${String(i).padStart(4, '0')}`);
const deskOf = (store: Store) => new SignupDesk(store, (t) => moduleTable(store.namespace, 'signup', t), parseSignupConfig({}));

/** Starts all `n` operations at once; each one's latency, and the wall time of the burst. */
async function burst(n: number, op: (i: number) => Promise<unknown>): Promise<{ ms: number[]; wallMs: number }> {
  const started = performance.now();
  const ms = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t = performance.now();
      await op(i);
      return performance.now() - t;
    }),
  );
  return { ms, wallMs: performance.now() - started };
}

async function newActivity(store: Store): Promise<string> {
  const startsAt = Date.now() + 48 * HOUR;
  const a = await deskOf(store).create(
    { title: 'bench', chatId: CHAT, startsAt, capacity, deadlineAt: startsAt, cancelBy: startsAt, fields: [], offerMs: HOUR },
    'bench',
  );
  return a.id;
}

/** Exactly `capacity` confirmed, numbers 1…N each once, the seated ones first. */
async function check(store: Store, activityId: string): Promise<{ confirmed: number; exact: boolean }> {
  const roster = await rosterOf({ store, t: deskOf(store).ledger.t, now: Date.now }, activityId, { all: true });
  const confirmed = roster.filter((s) => s.status === 'confirmed');
  const numbers = roster.map((s) => s.number).sort((a, b) => a - b);
  const exact =
    roster.length === members &&
    confirmed.length === Math.min(capacity, members) &&
    numbers.every((n, i) => n === i + 1) &&
    confirmed.every((s) => s.number <= capacity) &&
    roster.filter((s) => s.status === 'waitlisted').every((s) => s.number > capacity);
  return { confirmed: confirmed.length, exact };
}

async function botBurst(stores: [Store, Store], groups: [TestGroup, TestGroup]): Promise<Burst> {
  const id = await newActivity(stores[0]);
  const b = await burst(members, (i) => (groups[i % 2] as TestGroup).member(ids[i] as string).says(`@bot 报名 ${id}`));
  await Promise.all(groups.map((g) => g.settle()));
  return { ...b, ...(await check(stores[1], id)) };
}

async function ledgerBurst(stores: [Store, Store]): Promise<Burst> {
  const id = await newActivity(stores[0]);
  const desks = stores.map(deskOf);
  const b = await burst(members, (i) =>
    (desks[i % 2] as SignupDesk).signUp(id, {
      userId: ids[i] as string,
      name: ids[i] as string,
      party: 1,
      answers: {},
      actor: ids[i] as string,
    }),
  );
  return { ...b, ...(await check(stores[1], id)) };
}

/** The baseline tables: no lock, no unique numbers, nothing but the rows. */
async function baselineTables(store: Store): Promise<{ naive: string; raw: string }> {
  const naive = `${store.namespace}_bench_naive`;
  const raw = `${store.namespace}_bench_raw`;
  const db = store.db();
  for (const t of [naive, raw]) {
    await db.schema.dropTable(t).ifExists().execute();
    await db.schema
      .createTable(t)
      .addColumn('activity', 'varchar(32)')
      .addColumn('user_id', 'varchar(32)')
      .addColumn('status', 'varchar(16)')
      .addColumn('at', 'bigint')
      .execute();
  }
  return { naive, raw };
}

async function naiveBurst(stores: [Store, Store], table: string, round: number): Promise<Burst> {
  const activity = `r${round}`;
  const b = await burst(members, async (i) => {
    const db = (stores[i % 2] as Store).db();
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('activity', '=', activity)
      .where('status', '=', 'confirmed')
      .executeTakeFirst();
    const status = Number(row?.n ?? 0) < capacity ? 'confirmed' : 'waitlisted';
    await db.insertInto(table).values({ activity, user_id: ids[i], status, at: Date.now() }).execute();
  });
  const row = await stores[0]
    .db()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('activity', '=', activity)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return { ...b, confirmed: Number(row?.n ?? 0), exact: false };
}

async function rawBurst(stores: [Store, Store], table: string, round: number): Promise<Burst> {
  const b = await burst(members, (i) =>
    (stores[i % 2] as Store)
      .db()
      .insertInto(table)
      .values({ activity: `r${round}`, user_id: ids[i], status: 'confirmed', at: Date.now() })
      .execute(),
  );
  return { ...b, confirmed: 0, exact: false };
}

function summarize(name: string, bursts: Burst[], checked: 'exact' | 'overfill' | 'none'): Row {
  const all = bursts.flatMap((b) => b.ms);
  const perSec = bursts.map((b) => (members / b.wallMs) * 1000);
  return {
    name,
    signupsPerSec: Math.round(median(perSec)),
    p50Ms: Number(percentile(all, 50).toFixed(1)),
    p99Ms: Number(percentile(all, 99).toFixed(1)),
    confirmed: checked === 'none' ? 0 : median(bursts.map((b) => b.confirmed)),
    overfill: checked === 'none' ? 0 : Math.max(...bursts.map((b) => b.confirmed - capacity)),
    exact: checked === 'exact' ? bursts.every((b) => b.exact) : null,
  };
}

/** Every row for one store (two connections to it). */
async function measure(label: string, open: () => Promise<Store>): Promise<{ store: string; rows: Row[] }> {
  const stores: [Store, Store] = [await open(), await open()];
  const secrets = randomSecrets();
  const fake = await startFakeWecom();
  const bots: Bot[] = [];
  const groups: TestGroup[] = [];
  try {
    for (const store of stores) {
      const bot = createBot({ group: secrets, store, logLevel: 'silent' });
      await bot.install(signup());
      bots.push(bot);
      groups.push(await createTestGroup(bot, { fake, chatId: CHAT }));
    }
    const pair = groups as [TestGroup, TestGroup];
    const tables = await baselineTables(stores[0]);
    // One warm-up burst each (prepared statements, pools, JIT), not counted.
    await botBurst(stores, pair);
    await ledgerBurst(stores);
    const runs = { bot: [] as Burst[], ledger: [] as Burst[], naive: [] as Burst[], raw: [] as Burst[] };
    for (let r = 0; r < rounds; r++) {
      runs.bot.push(await botBurst(stores, pair));
      runs.ledger.push(await ledgerBurst(stores));
      runs.naive.push(await naiveBurst(stores, tables.naive, r));
      runs.raw.push(await rawBurst(stores, tables.raw, r));
    }
    for (const t of [tables.naive, tables.raw]) await stores[0].db().schema.dropTable(t).ifExists().execute();
    return {
      store: label,
      rows: [
        summarize('bot, locked (signup bot, 2 instances, encrypted callbacks)', runs.bot, 'exact'),
        summarize('ledger, locked (the sign-up transaction alone)', runs.ledger, 'exact'),
        summarize('baseline: naive check (count, then insert; no lock)', runs.naive, 'overfill'),
        summarize('baseline: raw insert (no check)', runs.raw, 'none'),
      ],
    };
  } finally {
    for (const g of groups) await g.close();
    for (const b of bots) await b.close();
    await fake.close();
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function main(): Promise<void> {
  const results: { store: string; rows: Row[] }[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'wecombot-bench-signup-'));
  try {
    const file = `sqlite:${join(dir, 'bench.db')}`;
    results.push(await measure('SQLite file (WAL)', () => openStore({ databaseUrl: file })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  if (await postgresReachable(postgresUrl)) {
    const namespace = `bench_signup_${process.pid}`;
    try {
      results.push(await measure('PostgreSQL', () => openStore({ databaseUrl: postgresUrl, namespace })));
    } finally {
      await dropPostgresNamespace(postgresUrl, namespace);
    }
  } else process.stderr.write(`PostgreSQL not reachable at ${new URL(postgresUrl).host}: its rows are left out\n`);

  const result = { node: process.version, members, capacity, instances: 2, rounds, stores: results };
  if (json) return void process.stdout.write(`${JSON.stringify(result)}\n`);
  const rows = [['store', 'run', 'sign-ups/s', 'p50 ms', 'p99 ms', 'confirmed', 'over-fill', 'exact']];
  for (const s of results) {
    for (const r of s.rows) {
      const checked = r.exact !== null || r.overfill !== 0 || r.confirmed !== 0;
      rows.push([
        s.store,
        r.name,
        String(r.signupsPerSec),
        String(r.p50Ms),
        String(r.p99Ms),
        checked ? `${r.confirmed}/${capacity}` : '-',
        checked ? String(Math.max(0, r.overfill)) : '-',
        r.exact === null ? '-' : r.exact ? 'yes' : 'NO',
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write(
    `sign-ups: ${members} at once from 2 instances for ${capacity} seats, median of ${rounds} rounds, ${process.version}\n`,
  );
  for (const r of rows) process.stdout.write(`${r.map((v, c) => (c < 2 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ')}\n`);
  process.stdout.write('latency: from sending to the answer, all sign-ups in flight at once (it includes the wait for the lock).\n');
}

await main();
