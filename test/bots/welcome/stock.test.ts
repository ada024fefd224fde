/**
 * Pool stock: a low-pool alert goes to the ops robot once per threshold crossing (and again
 * after a refill brought the pool back above it), concurrent checks announce once, and a
 * member arriving at an empty pool is told so clearly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/bot/logger.js';
import { importCodes } from '../../../src/bots/welcome/coupons/import.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { checkStock } from '../../../src/bots/welcome/coupons/stock-alert.js';
import { openStore } from '../../../src/store/index.js';
import { welcomeRig, type Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const codes = (from: number, n: number) => Array.from({ length: n }, (_, i) => `C-${String(from + i).padStart(4, '0')}`);
const contents = (r: Rig) => r.opsPushes().map((m) => (m as { markdown: { content: string } }).markdown.content.split('\n')[1]);

describe('coupon stock', () => {
  it('alerts once per threshold crossing, tells members when the pool is empty, and alerts again after a refill', async () => {
    rig = await welcomeRig((urls) => ({ text: '欢迎 {name}！\n{coupon}', coupons: { alertAt: [2, 0], alertWebhook: urls.opsWebhook } }));
    const ledger = await openCouponLedger(rig.store, 'default');
    await importCodes(ledger, codes(1, 5), 'test');
    const welcomeOf = async (member: string) => (await rig!.group.member(member).says('@bot 你好')).reply?.content;

    for (const m of ['m1', 'm2', 'm3', 'm4']) await welcomeOf(m);
    await rig.group.settle();
    expect(contents(rig)).toEqual(['券池 `default`：剩余 <font color="warning">2</font> 张（告警阈值 2）']);
    await welcomeOf('m5');
    expect(await welcomeOf('m6')).toBe('欢迎 m6！\n🎁 新人券已全部领完，感谢你的关注！');
    expect(await welcomeOf('m7')).toBe('欢迎 m7！\n🎁 新人券已全部领完，感谢你的关注！');
    await rig.group.settle();
    expect(contents(rig)).toEqual([
      '券池 `default`：剩余 <font color="warning">2</font> 张（告警阈值 2）',
      '券池 `default`：<font color="warning">已发完</font>（告警阈值 0）',
    ]);
    // The alert never quotes a code.
    expect(JSON.stringify(rig.opsPushes())).not.toMatch(/C-\d{4}/);

    // A refill lifts the pool above both thresholds: falling to 2 again is a new crossing.
    await importCodes(ledger, codes(6, 4), 'refill');
    for (const m of ['m8', 'm9']) await welcomeOf(m);
    await rig.group.settle();
    expect(contents(rig)).toHaveLength(3);
    expect(contents(rig)[2]).toBe('券池 `default`：剩余 <font color="warning">2</font> 张（告警阈值 2）');
  });

  it('a refill that leaves the pool under a threshold does not re-announce it', async () => {
    rig = await welcomeRig((urls) => ({ coupons: { alertAt: [5], alertWebhook: urls.opsWebhook } }));
    const ledger = await openCouponLedger(rig.store, 'default');
    await importCodes(ledger, codes(1, 3), 'test');
    await rig.group.member('a').says('@bot 你好');
    await rig.group.settle();
    expect(rig.opsPushes()).toHaveLength(1);
    await importCodes(ledger, codes(10, 1), 'small refill');
    await rig.group.member('b').says('@bot 你好');
    await rig.group.settle();
    expect(rig.opsPushes()).toHaveLength(1);
  });

  it('concurrent checks at the same crossing announce it once; a failed push lets the next check try again', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    try {
      const ledger = await openCouponLedger(store, 'p');
      await importCodes(ledger, codes(1, 1), 'test');
      const log = createLogger({ level: 'silent' });
      let announced = 0;
      let fail = true;
      const announce = async () => {
        if (fail) {
          fail = false;
          throw new Error('ops robot unreachable');
        }
        announced += 1;
      };
      await checkStock(ledger, [3], announce, log);
      expect(announced).toBe(0);
      await Promise.all(Array.from({ length: 5 }, () => checkStock(ledger, [3], announce, log)));
      expect(announced).toBe(1);
    } finally {
      await store.close();
    }
  });
});
