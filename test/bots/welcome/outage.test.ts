/**
 * A store outage never issues a second coupon: the claim fails closed (the welcome says the
 * coupon is unavailable, with the reason logged under its code, never the coupon code), a
 * claim cut off inside its transaction takes nothing, and a claim that commits after the
 * welcome gave up stays the member's only code.
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
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importCodes } from '../../../src/bots/welcome/coupons/import.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { welcomeRig, type Rig } from './rig.js';

type Mode = 'up' | 'down' | 'cut-after-update' | 'slow';

/** Every connection refused, as a database that is down. */
function refusingDb(): Kysely<never> {
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

/** The connection breaks right after an UPDATE ran, inside its transaction. */
class CutAfterUpdate implements KyselyPlugin {
  #updates = new Set<unknown>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (args.node.kind === 'UpdateQueryNode') this.#updates.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#updates.has(args.queryId)) throw new Error('connection terminated unexpectedly');
    return args.result;
  }
}

/** Every answer of the database arrives late. */
class Slow implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    await new Promise((resolve) => setTimeout(resolve, 150));
    return args.result;
  }
}

/** The real store, whose tables can be switched down, cut mid-transaction, or slow. */
function switchable(inner: Store): { store: Store; set(mode: Mode): void } {
  let mode: Mode = 'up';
  const down = refusingDb();
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'db') {
        return () => {
          if (mode === 'down') return down;
          if (mode === 'cut-after-update') return target.db().withPlugin(new CutAfterUpdate());
          if (mode === 'slow') return target.db().withPlugin(new Slow());
          return target.db();
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, set: (m) => (mode = m) };
}

const UNAVAILABLE = '🎁 新人券暂时无法发放，稍后@我 发送「我的券」查看。';
let rig: Rig | undefined;
let inner: Store | undefined;
afterEach(async () => {
  await rig?.close();
  await inner?.close();
  rig = undefined;
  inner = undefined;
});

async function setUp(claimTimeoutMs = 2000) {
  inner = await openStore({ databaseUrl: 'memory:' });
  const s = switchable(inner);
  rig = await welcomeRig(() => ({ text: '欢迎 {name}！\n{coupon}', lookupNames: false, coupons: { claimTimeoutMs } }), { store: s.store });
  const ledger = await openCouponLedger(inner, 'default');
  await importCodes(ledger, ['C-0001', 'C-0002', 'C-0003'], 'test');
  return { set: s.set, ledger, rig };
}

describe('coupons fail closed', () => {
  it('the database down: the welcome says the coupon is unavailable, nothing is issued, and later exactly one code is', async () => {
    const { set, ledger, rig: r } = await setUp();
    set('down');
    const ex = await r.group.member('ann').says('@bot 你好');
    expect(ex.reply).toMatchObject({ content: `欢迎 ann！\n${UNAVAILABLE}`, visibleTo: ['ann'] });
    expect(r.logs.find((l) => l.code === 'welcome_coupon_unavailable')).toMatchObject({
      customer: 'ann',
      hint: expect.stringContaining('no coupon was issued'),
    });
    set('up');
    expect(await exportCoupons(ledger, 'issued')).toEqual([]);
    const mine = await r.group.member('ann').says('@bot 我的券');
    expect(mine.reply?.content).toBe('你的新人券：C-0001');
    expect((await exportCoupons(ledger, 'issued')).map((c) => c.customer)).toEqual(['ann']);
  });

  it('a connection cut right after the claiming UPDATE rolls the claim back: no code is taken', async () => {
    const { set, ledger, rig: r } = await setUp();
    set('cut-after-update');
    const ex = await r.group.member('bea').says('@bot 你好');
    expect(ex.reply?.content).toBe(`欢迎 bea！\n${UNAVAILABLE}`);
    set('up');
    expect(await exportCoupons(ledger, 'issued')).toEqual([]);
  });

  it('a claim slower than claimTimeoutMs: the welcome gives up, the late claim stays the only code of the member', async () => {
    const { set, ledger, rig: r } = await setUp(100);
    set('slow');
    const ex = await r.group.member('cat').says('@bot 你好');
    expect(ex.reply?.content).toBe(`欢迎 cat！\n${UNAVAILABLE}`);
    // The claim the welcome gave up on still commits, for cat, in the background.
    const late = await vi.waitFor(async () => {
      const held = (await exportCoupons(ledger, 'issued')).filter((c) => c.customer === 'cat');
      expect(held).toHaveLength(1);
      return held[0]!.code;
    });
    set('up');
    const mine = await r.group.member('cat').says('@bot 我的券');
    const after = (await exportCoupons(ledger, 'issued')).filter((c) => c.customer === 'cat');
    expect(after).toHaveLength(1);
    expect(after[0]!.code).toBe(late);
    expect(mine.reply?.content).toBe(`你的新人券：${late}`);
  });

  it('customer:add with the database down still welcomes at once (the WelcomeCode will not wait), without a code', async () => {
    const { set, ledger, rig: r } = await setUp();
    set('down');
    await r.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmDora', welcome: true });
    await r.corp.settle();
    expect(r.welcomeTexts()).toEqual([`欢迎 新朋友！\n${UNAVAILABLE}`]);
    set('up');
    expect(await exportCoupons(ledger, 'issued')).toEqual([]);
  });
});
