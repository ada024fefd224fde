/**
 * A store outage fails closed: the member is told nothing happened, nothing was recorded (a
 * transaction failing half-way rolls back, seat and number included), and once the store is
 * back the same member signs up as if the outage had never been.
 */
import {
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { rosterOf } from '../../../src/bots/signup/ledger/roster.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { auditActions, ledgerOf, reading, said, signupGroup, statuses, testClock } from './helpers.js';

const UNAVAILABLE = '⚠️ 报名系统暂时不可用，这次操作**没有**生效，请稍后再试。';

/** A database that refuses every connection, as PostgreSQL does when it is down. */
function unreachableDb(): Kysely<never> {
  const refuse = async (): Promise<never> => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  };
  return new Kysely<never>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: refuse,
        beginTransaction: refuse,
        commitTransaction: refuse,
        rollbackTransaction: refuse,
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
    },
  });
}

/** Fails right after an INSERT has run (inside the transaction, before its commit). */
class FailAfterInsert implements KyselyPlugin {
  #inserts = new Set<unknown>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'InsertQueryNode') this.#inserts.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#inserts.has(args.queryId)) throw new Error('connection terminated unexpectedly');
    return args.result;
  }
}

type Mode = 'up' | 'down' | 'mid-transaction';

/** The real store, with a switch: down (every call fails) or failing in the middle of transactions. */
function switchable(inner: Store): { store: Store; set(mode: Mode): void } {
  let mode: Mode = 'up';
  const broken = unreachableDb();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'db')
        return () => (mode === 'down' ? broken : mode === 'mid-transaction' ? target.db().withPlugin(new FailAfterInsert()) : target.db());
      if (prop === 'close' || prop === 'migrate') return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        if (mode === 'down') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, set: (m) => void (mode = m) };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(fields: string[] = []) {
  const inner = await openStore({ databaseUrl: 'memory:' });
  const sw = switchable(inner);
  const clock = testClock();
  const made = await signupGroup({ activities: [reading({ capacity: 1, fields })], now: clock.now }, { store: sw.store });
  close = async () => {
    await made.close();
    await inner.close();
  };
  return { group: made.group, store: inner, sw };
}

describe('signup: a store outage fails closed', () => {
  it('the store down: the member is told, nothing is recorded, and afterwards the sign-up works as new', async () => {
    const { group, store, sw } = await setup();
    await group.member('alice').says('@bot 活动'); // the config activity is in the ledger
    sw.set('down');
    const refused = said(await group.member('alice').says('@bot 报名'));
    expect(refused).toEqual({ text: UNAVAILABLE, visibleTo: 'alice' });
    sw.set('up');
    expect(await rosterOf(ledgerOf(store), 'reading')).toEqual([]);
    expect(said(await group.member('alice').says('@bot 报名')).text).toContain('编号是 **1**');
  });

  it('failing after the seat was written: rolled back, the seat and the number are still free', async () => {
    const { group, store, sw } = await setup();
    await group.member('alice').says('@bot 活动');
    sw.set('mid-transaction');
    expect(said(await group.member('alice').says('@bot 报名')).text).toBe(UNAVAILABLE);
    sw.set('up');
    expect(await rosterOf(ledgerOf(store), 'reading', { all: true })).toEqual([]);
    expect(await auditActions(store, 'reading')).toEqual(['create']);
    // Capacity 1: had the failed attempt kept its seat, bob would be waitlisted.
    expect(said(await group.member('bob').says('@bot 报名')).text).toContain('编号是 **1**，已报 1/1');
    expect(said(await group.member('alice').says('@bot 报名')).text).toContain('候补名单第 **1** 位（编号 2）');
  });

  it('a cancellation during an outage keeps the seat and promotes nobody', async () => {
    const { group, store, sw } = await setup();
    await group.member('alice').says('@bot 报名');
    await group.member('bob').says('@bot 报名');
    sw.set('mid-transaction');
    expect(said(await group.member('alice').says('@bot 取消报名')).text).toBe(UNAVAILABLE);
    sw.set('up');
    await group.settle();
    expect(await statuses(store, 'reading')).toEqual({ alice: 'confirmed', bob: 'waitlisted' });
    expect(group.pushes()).toEqual([]);
  });

  it('the form: an answer during the outage is refused, sent again afterwards it completes the sign-up', async () => {
    const { group, store, sw } = await setup(['name']);
    expect(said(await group.member('alice').says('@bot 报名')).text).toContain('**姓名**');
    sw.set('down');
    expect(said(await group.member('alice').says('@bot 张三')).text).toBe(UNAVAILABLE);
    sw.set('up');
    expect(said(await group.member('alice').says('@bot 张三')).text).toContain('报名成功');
    expect(await statuses(store, 'reading')).toEqual({ alice: 'confirmed' });
  });

  it('the sweep job fails (and is retried by the scheduler) instead of sending anything', async () => {
    const { group, sw } = await setup();
    await group.member('alice').says('@bot 报名');
    sw.set('down');
    expect((await group.bot.runJob('signup-sweep')).status).toBe('failed');
    sw.set('up');
    expect((await group.bot.runJob('signup-sweep')).status).toBe('ran');
  });
});
