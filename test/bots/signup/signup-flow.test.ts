/**
 * The signup bot through the test kit (real signatures and encryption): signing up, parties,
 * duplicates, the waitlist and its promotions, confirmations, the cut-off, staff commands and
 * the audit trail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { auditActions, HOUR, reading, said, signupGroup, statuses, testClock } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function setup(config: Parameters<typeof signupGroup>[0] = {}) {
  const clock = testClock();
  const made = await signupGroup({ activities: [reading()], now: clock.now, ...config });
  close = made.close;
  return { ...made, clock };
}

describe('signup: signing up', () => {
  it('confirms in arrival order, answers a duplicate politely with the number, and waitlists when full', async () => {
    const { group, store } = await setup();
    const alice = said(await group.member('alice', { name: '张三' }).says('@bot 报名'));
    expect(alice.text).toContain('报名成功');
    expect(alice.text).toContain('编号是 **1**');
    expect(alice.text).toContain('已报 1/3');
    // Only the member sees answers about their own sign-up.
    expect(alice.visibleTo).toBe('alice');

    const again = said(await group.member('alice').says('@bot 报名'));
    expect(again.text).toBe('你已经报名了「周六读书会」，编号 1，无需重复报名 😊');

    expect(said(await group.member('bob').says('@bot 报名 reading 2人')).text).toContain('编号是 **2**（共 2 人），已报 3/3');
    const carol = said(await group.member('carol').says('@bot 报名'));
    expect(carol.text).toContain('名额已满，你已进入候补名单第 **1** 位（编号 3）');
    expect(said(await group.member('dave').says('@bot 报名2人')).text).toContain('候补名单第 **2** 位（编号 4，2 人）');
    expect(said(await group.member('carol').says('@bot 报名')).text).toContain('候补名单中了，第 1 位（编号 3）');

    expect(await statuses(store, 'reading')).toEqual({ alice: 'confirmed', bob: 'confirmed', carol: 'waitlisted', dave: 'waitlisted' });
  });

  it('refuses a party over the limit or over the capacity, and sign-ups after the deadline', async () => {
    const { group, clock } = await setup({ maxParty: 4 });
    expect(said(await group.member('alice').says('@bot 报名 5人')).text).toBe('每人最多可以报名 4 人（例如「报名 2人」）。');
    expect(said(await group.member('alice').says('@bot 报名 4人')).text).toBe('「周六读书会」共 3 个名额，无法一次报名 4 人。');
    clock.set(Date.parse('2030-06-03T14:00:00+08:00'));
    expect(said(await group.member('alice').says('@bot 报名 reading')).text).toContain('的报名已于 6月3日 周一 14:00 截止');
  });

  it('says when there is nothing to sign up for, or the code is unknown', async () => {
    const clock = testClock();
    const made = await signupGroup({ now: clock.now });
    close = made.close;
    expect(said(await made.group.member('alice').says('@bot 报名')).text).toBe('当前没有可以报名的活动。');
    expect(said(await made.group.member('alice').says('@bot 报名 A9')).text).toContain('没有找到编号为 A9 的活动');
  });

  it('the 报名 button of the activity card signs up too', async () => {
    const { group } = await setup();
    const card = await group.member('alice').says('@bot 活动');
    expect(card.reply?.content).toContain('**「周六读书会」** 编号 reading');
    expect(card.reply?.content).toContain('名额：0/3');
    expect(card.reply?.plaintext).toContain('signup:join:reading');
    const click = said(await group.member('bob').clicks('signup', { name: 'signup:join:reading', value: 'signup:join:reading' }));
    expect(click.text).toContain('编号是 **1**');
    expect(click.visibleTo).toBe('bob');
  });
});

describe('signup: the waitlist', () => {
  it('a cancellation offers the seat to the head of the waitlist, announced with an @-mention and buttons; confirming takes it', async () => {
    const { group, store } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await group.member(id).says('@bot 报名');
    await group.settle();
    expect(group.pushes()).toHaveLength(0);

    expect(said(await group.member('bob').says('@bot 取消报名')).text).toBe('已取消「周六读书会」的报名。');
    const [offer] = await group.waitForPushes(1);
    const markdown = (offer as { markdown: { content: string; attachments?: unknown } }).markdown;
    expect(markdown.content.startsWith('<@dave> 🎉 「周六读书会」有名额空出了！')).toBe(true);
    expect(JSON.stringify(markdown.attachments)).toContain('signup:confirm:reading');
    expect(await statuses(store, 'reading')).toMatchObject({ bob: 'cancelled', dave: 'offered', erin: 'waitlisted' });

    // Someone else pressing the button gets nothing of dave's.
    expect(said(await group.member('erin').clicks('signup', { name: 'signup:confirm:reading', value: 'x' })).text).toBe(
      '你目前没有「周六读书会」待确认的名额。',
    );
    const confirmed = said(await group.member('dave').clicks('signup', { name: 'signup:confirm:reading', value: 'x' }));
    expect(confirmed.text).toBe('🎉 已确认！你将参加「周六读书会」，编号 4。');
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'confirmed', erin: 'waitlisted' });
  });

  it('an offer not confirmed in time expires in the sweep, and the next in line is asked', async () => {
    const { group, store, clock } = await setup({ confirmWithin: '30m' });
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await group.member(id).says('@bot 报名');
    await group.member('alice').says('@bot 取消报名');
    await group.waitForPushes(1);
    expect(group.pushTexts()[0]).toContain('<@dave>');

    clock.advance(29 * 60_000);
    await group.bot.runJob('signup-sweep');
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'offered', erin: 'waitlisted' });
    clock.advance(2 * 60_000);
    expect((await group.bot.runJob('signup-sweep')).status).toBe('ran');
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'expired', erin: 'offered' });
    const texts = await group.waitForPushes(2);
    expect((texts[1] as { markdown: { content: string } }).markdown.content).toContain('<@erin>');
    // dave's late click is answered, and changes nothing.
    expect(said(await group.member('dave').clicks('signup', { name: 'signup:confirm:reading', value: 'x' })).text).toContain(
      '确认时间已过',
    );
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'expired', erin: 'offered' });
  });

  it('declining an offer passes it on; 确认参加 typed works like the button', async () => {
    const { group, store } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await group.member(id).says('@bot 报名');
    await group.member('carol').says('@bot 取消报名');
    await group.waitForPushes(1);
    expect(said(await group.member('dave').clicks('signup', { name: 'signup:decline:reading', value: 'x' })).text).toBe(
      '已取消「周六读书会」的候补名额。',
    );
    await group.waitForPushes(2);
    expect(said(await group.member('erin').says('@bot 确认参加')).text).toContain('已确认');
    expect(await statuses(store, 'reading')).toMatchObject({ carol: 'cancelled', dave: 'declined', erin: 'confirmed' });
  });

  it('a party waits until enough seats are free; a smaller one behind it may go first', async () => {
    const { group, store } = await setup();
    await group.member('alice').says('@bot 报名');
    await group.member('bob').says('@bot 报名 2人');
    await group.member('carol').says('@bot 报名 2人');
    await group.member('dave').says('@bot 报名');
    await group.member('alice').says('@bot 取消报名');
    await group.settle();
    expect(await statuses(store, 'reading')).toMatchObject({ carol: 'waitlisted', dave: 'offered' });
  });
});

describe('signup: cancellation', () => {
  it('honours the cut-off for a seat, but lets a member leave the waitlist at any time', async () => {
    const { group, store, clock } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave']) await group.member(id).says('@bot 报名');
    clock.set(Date.parse('2030-06-02T15:00:00+08:00')); // cut-off: 24 h before 6-03 14:00
    expect(said(await group.member('alice').says('@bot 取消报名')).text).toBe(
      '「周六读书会」的取消截止时间（6月2日 周日 14:00）已过，如需取消请联系工作人员。',
    );
    expect(said(await group.member('dave').says('@bot 取消报名')).text).toBe('已退出「周六读书会」的候补名单。');
    expect(said(await group.member('erin').says('@bot 取消报名')).text).toBe('你还没有报名「周六读书会」。');
    expect(await statuses(store, 'reading')).toMatchObject({ alice: 'confirmed', dave: 'cancelled' });
  });

  it('a member who cancelled may sign up again, at the end of the line', async () => {
    const { group } = await setup();
    await group.member('alice').says('@bot 报名');
    await group.member('alice').says('@bot 取消报名');
    for (const id of ['bob', 'carol', 'dave']) await group.member(id).says('@bot 报名');
    expect(said(await group.member('alice').says('@bot 报名')).text).toContain('候补名单第 **1** 位（编号 5）');
  });
});

describe('signup: staff, roster, audit', () => {
  it('staff create an activity in chat; others may not; members sign up to it by its code', async () => {
    const { group, store } = await setup({ staff: ['boss'], activities: [] });
    const text = '@bot /活动 新建 周六读书会\n时间：6月8日 14:00\n名额：2\n截止：开始前 2小时\n字段：公司';
    expect(said(await group.member('mallory').says(text)).text).toBe('只有工作人员可以管理活动。');
    const created = said(await group.member('boss').says(text));
    expect(created.text).toContain('已创建活动「周六读书会」，编号 **A1**，2 个名额，6月8日 周六 14:00 开始');
    expect(created.text).toContain('报名截止：6月8日 周六 12:00');
    expect(said(await group.member('boss').says('@bot /活动 新建 读书会；时间=昨天 10:00；名额=2')).text).toContain(
      '时间「昨天 10:00」看不懂',
    );
    expect(said(await group.member('boss').says('@bot /活动 新建 读书会 时间：6月9日 10:00 名额：0')).text).toContain(
      '名额必须是 1 到 10000 之间的整数',
    );

    const start = said(await group.member('alice').says('@bot 报名 A1'));
    expect(start.text).toContain('请填写「周六读书会」的报名信息（1/1）：**公司**（可回复「跳过」）');
    expect(said(await group.member('alice').says('@bot 跳过')).text).toContain('编号是 **1**');
    expect(await statuses(store, 'A1')).toEqual({ alice: 'confirmed' });
    expect(await auditActions(store, 'A1')).toEqual(['create', 'signup alice →confirmed']);
  });

  it('staff resize an activity (the waitlist is offered the new seats) and close it', async () => {
    const { group, store } = await setup({ staff: ['boss'] });
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await group.member(id).says('@bot 报名');
    expect(said(await group.member('boss').says('@bot 活动 名额 reading 5')).text).toBe(
      '「周六读书会」名额已改为 5。已向候补名单中的 2 位发出确认邀请。',
    );
    await group.waitForPushes(2);
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'offered', erin: 'offered' });
    expect(said(await group.member('boss').says('@bot 活动 关闭 reading')).text).toBe('「周六读书会」已停止报名（已报名的成员不受影响）。');
    expect(said(await group.member('fay').says('@bot 报名 reading')).text).toBe('「周六读书会」已停止报名。');
  });

  it('the roster masks names for everyone; staff may see full names, privately', async () => {
    const { group } = await setup({ staff: ['boss'] });
    await group.member('alice', { name: '张三丰' }).says('@bot 报名');
    await group.member('bob', { name: 'Bob Li' }).says('@bot 报名 2人');
    await group.member('carol', { name: '王小二' }).says('@bot 报名');
    const shown = said(await group.member('carol').says('@bot 名单'));
    expect(shown.visibleTo).toBe('');
    expect(shown.text).toContain('1. 张**\n2. B** ×2\n候补 1 人：\n3. 王**');
    expect(shown.text).not.toContain('张三丰');
    expect(said(await group.member('carol').says('@bot 名单 全名')).text).toBe('只有工作人员可以管理活动。');
    const full = said(await group.member('boss').says('@bot 名单 reading 全名'));
    expect(full.visibleTo).toBe('boss');
    expect(full.text).toContain('1. 张三丰');
  });

  it('records every state change in the audit table', async () => {
    const { group, store, clock } = await setup({ confirmWithin: '10m' });
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await group.member(id).says('@bot 报名');
    await group.member('alice').says('@bot 取消报名');
    clock.advance(11 * 60_000);
    await group.bot.runJob('signup-sweep');
    await group.member('erin').says('@bot 确认参加');
    expect(await auditActions(store, 'reading')).toEqual([
      'create',
      'signup alice →confirmed',
      'signup bob →confirmed',
      'signup carol →confirmed',
      'signup dave →waitlisted',
      'signup erin →waitlisted',
      'cancel alice →cancelled',
      'offer dave →offered',
      'expire dave →expired',
      'offer erin →offered',
      'confirm erin →confirmed',
    ]);
  });
});

describe('signup: reminders', () => {
  it('sends each reminder once, @-mentioning the confirmed members, and only the nearest after a gap', async () => {
    const { group, clock } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave']) await group.member(id).says('@bot 报名');
    const start = Date.parse('2030-06-03T14:00:00+08:00');
    clock.set(start - 25 * HOUR);
    await group.bot.runJob('signup-sweep');
    expect(group.pushes()).toHaveLength(0);
    clock.set(start - 24 * HOUR + 60_000);
    await group.bot.runJob('signup-sweep');
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toEqual([
      '<@alice> <@bob> <@carol> ⏰ 「周六读书会」将于 **6月3日 周一 14:00** 开始（还有 1天），请准时参加！',
    ]);
    clock.set(start - 30 * 60_000);
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toHaveLength(2);
    expect(group.pushTexts()[1]).toContain('（还有 1小时）');
    clock.set(start + 60_000);
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toHaveLength(2);
  });

  it('after an outage spanning both lead times, only the nearest reminder goes out', async () => {
    const { group, clock } = await setup();
    await group.member('alice').says('@bot 报名');
    clock.set(Date.parse('2030-06-03T13:30:00+08:00'));
    await group.bot.runJob('signup-sweep');
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toEqual(['<@alice> ⏰ 「周六读书会」将于 **6月3日 周一 14:00** 开始（还有 1小时），请准时参加！']);
  });
});

describe('signup: announcements are never lost', () => {
  it('an offer whose push failed is delivered by the sweep after a pause', async () => {
    const { group, store, clock } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave']) await group.member(id).says('@bot 报名');
    group.fake.failNext(93008, 1, { key: group.webhookKey });
    await group.member('alice').says('@bot 取消报名');
    await group.settle();
    expect(group.pushes()).toHaveLength(0);
    expect(await statuses(store, 'reading')).toMatchObject({ dave: 'offered' });
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushes()).toHaveLength(0); // still pausing
    clock.advance(2 * 60_000);
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toHaveLength(1);
    expect(group.pushTexts()[0]).toContain('<@dave>');
    await group.bot.runJob('signup-sweep');
    await group.settle();
    expect(group.pushTexts()).toHaveLength(1);
  });

  it('an offered member writing 报名 is shown the offer and its button', async () => {
    const { group } = await setup();
    for (const id of ['alice', 'bob', 'carol', 'dave']) await group.member(id).says('@bot 报名');
    await group.member('alice').says('@bot 取消报名');
    const shown = await group.member('dave').says('@bot 报名');
    expect(shown.reply?.content).toContain('你有一个「周六读书会」的候补名额待确认，请在 6月1日 周六 12:00 前点击「确认参加」');
    expect(shown.reply?.plaintext).toContain('signup:confirm:reading');
  });

  it('a capacity raised in the config offers the new seats at the next start', async () => {
    const clock = testClock();
    const first = await signupGroup({ activities: [reading()], now: clock.now });
    for (const id of ['alice', 'bob', 'carol', 'dave', 'erin']) await first.group.member(id).says('@bot 报名');
    await first.group.close();
    const again = await signupGroup({ activities: [reading({ capacity: 4 })], now: clock.now }, { store: first.store });
    close = async () => {
      await again.close();
      await first.store.close();
    };
    expect(said(await again.group.member('fay').says('@bot 活动')).text).toContain('名额：4/4，候补 1 人');
    expect(await statuses(first.store, 'reading')).toMatchObject({ dave: 'offered', erin: 'waitlisted' });
    expect(await auditActions(first.store, 'reading')).toContain('update');
  });
});

describe('signup: several activities in one chat', () => {
  it('报名 without a code offers a button per activity; 取消报名 asks which; 活动 帮助 lists the commands', async () => {
    const { group } = await setup({
      activities: [reading(), reading({ id: 'talk', title: '分享会', startsAt: '2030-06-04T19:00:00+08:00' })],
      staff: ['boss'],
    });
    const choose = await group.member('alice').says('@bot 报名');
    expect(choose.reply?.content).toContain('有多个活动正在报名，请选择：');
    expect(choose.reply?.plaintext).toContain('signup:join:reading');
    expect(choose.reply?.plaintext).toContain('signup:join:talk');
    await group.member('alice').clicks('signup', { name: 'signup:join:reading', value: 'x' });
    await group.member('alice').says('@bot 报名 talk');
    expect(said(await group.member('alice').says('@bot 取消报名')).text).toContain(
      '你报名了多个活动，请发送「取消报名 编号」：\n- 取消报名 **reading**',
    );
    expect(said(await group.member('alice').says('@bot 取消报名 talk')).text).toBe('已取消「分享会」的报名。');
    const help = said(await group.member('alice').says('@bot 活动 帮助')).text;
    expect(help).toContain('报名 / 报名 A1 / 报名 2人');
    expect(help).not.toContain('工作人员');
    expect(said(await group.member('boss').says('@bot 活动 帮助')).text).toContain('/活动 新建 周六读书会');
  });
});
