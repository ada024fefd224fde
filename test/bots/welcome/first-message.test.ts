/**
 * `first-message`: a member's first @-message in a group is answered with a welcome only they
 * see (the passive reply, visible_to_user), their code included; the message then reaches the
 * rest of the bot. When the passive reply is gone, pushes carry visible_to_user only when
 * configured, else the @-mention fallback goes out without the code, and is logged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineBotModule } from '../../../src/bot/module.js';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { createTestGroup } from '../../../src/testing/fake-group/index.js';
import { welcomeRig, type Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const options =
  (extra: Record<string, unknown> = {}) =>
  () => ({
    text: '欢迎 {name} 入群！\n你的新人券：{coupon}',
    templates: [{ group: 'wrVIP', text: 'VIP 群欢迎你，{name}！\n{coupon}' }],
    coupons: { pattern: 'NEW-{XXXXXX}', count: 10 },
    ...extra,
  });

async function codeOf(r: Rig, member: string): Promise<string | undefined> {
  return (await exportCoupons(await openCouponLedger(r.store, 'default'), 'issued')).find((c) => c.customer === member)?.code;
}

/** A module installed before the welcome bot that answers texts first (but 我的券), then passes them on. */
const answersFirst = defineBotModule({
  name: 'early',
  setup: (m) =>
    void m.on('text', async (ctx, next) => {
      if (ctx.text !== '我的券') await ctx.reply('收到');
      await next();
    }),
});

describe('welcome on a first @-message', () => {
  it('answers only to the member, with their code, and lets the rest of the bot answer the question', async () => {
    rig = await welcomeRig(options());
    rig.bot.hears(/多少钱/, (ctx) => ctx.reply('99 元一盒'));
    const ex = await rig.group.member('alice', { name: '爱丽丝' }).says('@bot 多少钱');
    await rig.group.settle();
    const code = await codeOf(rig, 'alice');
    expect(ex.reply).toMatchObject({ msgtype: 'text', content: `欢迎 爱丽丝 入群！\n你的新人券：${code}`, visibleTo: ['alice'] });
    expect(rig.group.pushTexts()).toEqual(['99 元一盒']);
    expect(rig.logged('welcome sent')[0]).toMatchObject({
      trigger: 'first-message',
      member: 'alice',
      via: 'passive',
      privacy: 'visible_to_user',
      coupon: 'issued',
    });
    // Greeted: the next message is just a message.
    const again = await rig.group.member('alice').says('@bot 多少钱');
    expect(again.reply?.content).toBe('99 元一盒');
    expect(JSON.stringify(rig.logs)).not.toContain(code);
  });

  it('a greeting alone is answered by the welcome; another group welcomes again, with the same code and its own template', async () => {
    rig = await welcomeRig(options());
    rig.bot.on('text', (ctx) => ctx.reply('兜底回答'));
    const hello = await rig.group.member('bob').says('@bot 你好！');
    await rig.group.settle();
    expect(hello.reply?.visibleTo).toEqual(['bob']);
    expect(rig.group.pushTexts()).toEqual([]);
    const vip = await createTestGroup(rig.bot, { fake: rig.fakeWecom, chatId: 'wrVIP' });
    try {
      const there = await vip.member('bob', { name: '鲍勃' }).says('@bot 你好');
      expect(there.reply?.content).toBe(`VIP 群欢迎你，鲍勃！\n${await codeOf(rig, 'bob')}`);
    } finally {
      await vip.close();
    }
  });

  it('with the passive reply gone and pushes without visible_to_user: a public @-mention without the code, logged; 我的券 then shows the code privately', async () => {
    rig = await welcomeRig(options(), { before: [answersFirst()] });
    const ex = await rig.group.member('carol', { name: '卡罗尔' }).says('@bot 在吗');
    await rig.group.settle();
    expect(ex.reply?.content).toBe('收到');
    const pushed = rig.group.pushes();
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({
      msgtype: 'text',
      text: { content: '欢迎 卡罗尔 入群！\n🎁 你的新人券仅你可见：@我 发送「我的券」查看。', mentioned_list: ['carol'] },
    });
    expect(pushed[0]).not.toHaveProperty('visible_to_user');
    expect(await codeOf(rig, 'carol')).toBeUndefined();
    expect(rig.logged('welcome privacy fallback')[0]).toMatchObject({
      trigger: 'first-message',
      member: 'carol',
      fallback: 'mention',
      coupon: 'withheld',
      reason: expect.stringContaining('passive reply'),
    });
    // The private fallback had no WelcomeCode at hand, so the mention was next.
    const mine = await rig.group.member('carol').says('@bot 我的券');
    expect(mine.reply).toMatchObject({ content: `你的新人券：${await codeOf(rig, 'carol')}`, visibleTo: ['carol'] });
  });

  it('with privacy.pushVisibleTo (the beta interface), the late welcome is a push visible to the member, code included', async () => {
    rig = await welcomeRig(options({ privacy: { pushVisibleTo: true } }), { before: [answersFirst()] });
    await rig.group.member('dave').says('@bot hi');
    await rig.group.settle();
    const code = await codeOf(rig, 'dave');
    expect(rig.group.pushes()).toEqual([
      { msgtype: 'text', text: { content: `欢迎 dave 入群！\n你的新人券：${code}` }, chatid: rig.group.chatId, visible_to_user: 'dave' },
    ]);
    expect(rig.logged('welcome sent')[0]).toMatchObject({ via: 'push', privacy: 'visible_to_user' });
  });

  it('with no fallback configured, the welcome is skipped and logged, and tried again on the next message', async () => {
    rig = await welcomeRig(options({ privacy: { fallback: [] } }), { before: [answersFirst()] });
    await rig.group.member('erin').says('@bot 在吗');
    await rig.group.settle();
    expect(rig.group.pushes()).toEqual([]);
    expect(rig.logged('welcome skipped')[0]).toMatchObject({ member: 'erin', fallbacks: [] });
    // Not marked as greeted: the next message tries again (and is skipped again, here).
    await rig.group.member('erin').says('@bot 在吗');
    await rig.group.settle();
    expect(rig.logged('welcome skipped')).toHaveLength(2);
  });

  it('an AI bot in a group cannot reply to one member: the mention fallback is used', async () => {
    rig = await welcomeRig(options({ privacy: { fallback: ['mention'] } }), { robot: 'aibot' });
    const ex = await rig.group.member('frank').says('@bot 你好');
    expect(ex.reply?.content).toContain('你的新人券仅你可见');
    expect(rig.logged('welcome privacy fallback')[0]).toMatchObject({ reason: 'an AI bot reply cannot be visible to one member only' });
  });
});
