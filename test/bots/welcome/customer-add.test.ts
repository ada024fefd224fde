/**
 * `customer-add`: a corp customer:add is welcomed at once through send_welcome_msg, privately,
 * with the customer's one coupon and the template of their channel; retries and later adds
 * never issue a second code; re-adding the same staff member is suppressed; an expired
 * WelcomeCode is logged with its code and hint and nothing else fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { welcomeRig, type Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const options = () => ({
  text: '你好 {name}，我是你的专属顾问。\n你的新人券：{coupon}',
  templates: [{ channel: 'spring-poster', trigger: 'customer-add' as const, text: '春季海报来的 {name}，欢迎！\n春季新人券：{coupon}' }],
  coupons: { pool: 'spring', pattern: 'NEW-{XXXXXX}', count: 5 },
});

async function heldBy(r: Rig, customer: string): Promise<string[]> {
  const ledger = await openCouponLedger(r.store, 'spring');
  return (await exportCoupons(ledger, 'issued')).filter((c) => c.customer === customer).map((c) => c.code);
}

describe('welcome on customer:add', () => {
  it('sends the private welcome at once, with the channel template, the WeChat name and one code', async () => {
    rig = await welcomeRig(options);
    rig.fakeCorp.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmAlice', name: '艾丽丝' });
    const ex = await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmAlice', state: 'spring-poster', welcome: true });
    await rig.corp.settle();
    expect([ex.status, ex.body]).toEqual([200, 'success']);
    const [code] = await heldBy(rig, 'wmAlice');
    expect(code).toMatch(/^NEW-[2-9A-HJ-NP-Z]{6}$/);
    expect(rig.welcomeTexts()).toEqual([`春季海报来的 艾丽丝，欢迎！\n春季新人券：${code}`]);
    expect(rig.fakeCorp.welcomes()[0]).toMatchObject({ welcomeCode: ex.welcomeCode, externalUserId: 'wmAlice', userid: 'zhangsan' });
    const sent = rig.logged('welcome sent')[0];
    expect(sent).toMatchObject({
      trigger: 'customer-add',
      customer: 'wmAlice',
      via: 'send_welcome_msg',
      coupon: 'issued',
      couponSeq: expect.any(Number),
    });
    // Log lines carry the code's seq, never the code.
    expect(JSON.stringify(rig.logs)).not.toContain(code);
  });

  it('a retried callback is not welcomed again; a second staff member welcomes with the same single code', async () => {
    rig = await welcomeRig(options);
    const ex = await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmBob', welcome: true });
    await rig.corp.send(ex.request);
    await rig.corp.send(ex.request);
    await rig.corp.customerAdded({ userId: 'lisi', externalUserId: 'wmBob', welcome: true });
    await rig.corp.settle();
    const codes = await heldBy(rig, 'wmBob');
    expect(codes).toHaveLength(1);
    const texts = rig.welcomeTexts();
    expect(texts).toHaveLength(2);
    for (const text of texts) expect(text.endsWith(`你的新人券：${codes[0]}`)).toBe(true);
    expect(rig.fakeCorp.welcomes().map((w) => w.userid)).toEqual(['zhangsan', 'lisi']);
  });

  it('re-adding the same staff member within suppressFor is not welcomed twice', async () => {
    rig = await welcomeRig(options);
    const now = Math.floor(Date.now() / 1000);
    await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmCarol', welcome: true, createTime: now - 60 });
    await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmCarol', welcome: true, createTime: now });
    await rig.corp.settle();
    expect(rig.fakeCorp.welcomes()).toHaveLength(1);
    expect(rig.logged('welcome suppressed')).toEqual([
      expect.objectContaining({ trigger: 'customer-add', customer: 'wmCarol', staff: 'zhangsan' }),
    ]);
  });

  it('an expired WelcomeCode is logged with its code and hint, answered success, and the customer can be welcomed later', async () => {
    rig = await welcomeRig(options);
    const ex = await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmDan', welcome: 'EXPIRED-OR-UNKNOWN' });
    await rig.corp.settle();
    expect([ex.status, ex.body]).toEqual([200, 'success']);
    expect(rig.fakeCorp.welcomes()).toHaveLength(0);
    expect(rig.logs.find((l) => l.code === 'wecom_invalid_welcome_code')).toMatchObject({ errcode: 41050, hint: expect.any(String) });
    expect(rig.logged('handler failed')).toEqual([]);
    // The mark was given back: the next add of this staff member (a new code) welcomes.
    await rig.corp.customerAdded({
      userId: 'zhangsan',
      externalUserId: 'wmDan',
      welcome: true,
      createTime: Math.floor(Date.now() / 1000) + 1,
    });
    await rig.corp.settle();
    expect(rig.fakeCorp.welcomes()).toHaveLength(1);
  });

  it('without a WelcomeCode (a console welcome is set) nothing is sent and no code is taken', async () => {
    rig = await welcomeRig(options);
    await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmEve' });
    await rig.corp.settle();
    expect(rig.fakeCorp.welcomes()).toHaveLength(0);
    expect(await heldBy(rig, 'wmEve')).toEqual([]);
  });
});
