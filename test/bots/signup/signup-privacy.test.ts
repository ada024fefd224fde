/**
 * Fields and privacy: the form in the group (prompts and echoes visible to the member only,
 * the phone echoed masked), the form in the AI bot's single chat (the group only points
 * there), AI bot cards, and the phone number never in a group message nor in a log line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { createLogger } from '../../../src/bot/logger.js';
import { signup } from '../../../src/bots/signup/module.js';
import { rosterOf } from '../../../src/bots/signup/ledger/roster.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, randomSecrets, type Exchange, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/index.js';
import type { FakeWecom } from '../../../src/testing/fake-wecom/types.js';
import { ledgerOf, reading, said, testClock } from './helpers.js';

const PHONE = '13812345678';
/** The phone in any spelling a leak could take: whole, spaced, its last eight digits. */
const LEAKS = [PHONE, '138 1234 5678', '12345678'];

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A bot with both robots (a classic group robot and an AI bot), logging into `lines`. */
async function bothRobots(config: Parameters<typeof signup>[0]) {
  const lines: string[] = [];
  const store: Store = await openStore({ databaseUrl: 'memory:' });
  const bot = createBot({
    group: randomSecrets(),
    aibot: randomSecrets(),
    store,
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(line) } }),
  });
  await bot.install(signup(config));
  const fake: FakeWecom = await startFakeWecom();
  const group = await createTestGroup(bot, { fake, chatId: 'wrCHAT' });
  const aibotSingle = await createTestGroup(bot, { robot: 'aibot', chatType: 'single', fake });
  const aibotGroup = await createTestGroup(bot, { robot: 'aibot', fake, chatId: 'wrAIGROUP' });
  closers.push(async () => {
    for (const g of [group, aibotSingle, aibotGroup]) await g.close();
    await bot.close();
    await fake.close();
    await store.close();
  });
  return { bot, store, group, aibotSingle, aibotGroup, lines };
}

/** Everything the bot sent into a group: passive replies (decrypted) and pushes. */
function groupTraffic(group: TestGroup, exchanges: readonly Exchange[]): string {
  return [...exchanges.map((e) => e.reply?.plaintext ?? ''), ...group.pushes().map((p) => JSON.stringify(p))].join('\n');
}

describe('signup: the form in the group', () => {
  it('asks field by field, only the member sees it, and the phone is echoed masked', async () => {
    const clock = testClock();
    const { group, store, lines } = await bothRobots({ activities: [reading({ fields: ['name', 'phone', '公司'] })], now: clock.now });
    const alice = group.member('alice', { name: 'Alice W' });
    const exchanges: Exchange[] = [];
    const step = async (text: string) => {
      const ex = await alice.says(text);
      exchanges.push(ex);
      return said(ex);
    };
    const first = await step('@bot 报名');
    expect(first.visibleTo).toBe('alice');
    expect(first.text).toContain('请填写「周六读书会」的报名信息（1/3）：**姓名**');
    const second = await step('@bot 张三');
    expect(second.text).toContain('已记录姓名：张**');
    expect(second.text).toContain('（2/3）：**手机**');
    expect(second.text).toContain('我不会在群里重复你的号码');
    expect((await step('@bot 12345')).text).toContain('手机号格式不对');
    const third = await step('@bot 138 1234 5678');
    expect(third.text).toContain('已记录手机：138****5678');
    const done = await step('@bot 跳过');
    expect(done.text).toContain('报名成功');
    expect(done.text).toContain('手机：138****5678');
    expect(done.text).toContain('公司：（未填）');
    for (const ex of exchanges) expect(said(ex).visibleTo).toBe('alice');

    // The ledger has the real values (for the export); the chat and the logs never do.
    const [row] = await rosterOf(ledgerOf(store), 'reading');
    expect(row?.answers).toEqual({ name: '张三', phone: PHONE, company: '' });
    expect(row?.name).toBe('张三');
    const roster = said(await group.member('bob').says('@bot 名单'));
    exchanges.push(await group.member('bob').says('@bot 名单'));
    expect(roster.text).toContain('1. 张**');
    await group.settle();
    const traffic = groupTraffic(group, exchanges);
    for (const leak of LEAKS) expect(traffic).not.toContain(leak);
    expect(lines.length).toBeGreaterThan(0);
    for (const leak of LEAKS) expect(lines.join('\n')).not.toContain(leak);
  });

  it('取消 abandons the form; a command mid-form still works; the answers are not kept', async () => {
    const { group, store } = await bothRobots({ activities: [reading({ fields: ['name', 'phone'] })] });
    await group.member('alice').says('@bot 报名');
    expect(said(await group.member('alice').says('@bot 活动')).text).toContain('「周六读书会」');
    expect(said(await group.member('alice').says('@bot 张三')).text).toContain('已记录姓名');
    expect(said(await group.member('alice').says('@bot 取消')).text).toBe('已放弃填写「周六读书会」的报名信息，没有报名。');
    // Not a form answer any more: nothing in this bot answers it.
    const after = await group.member('alice').says('@bot 13812345678');
    expect(after.reply).toBeUndefined();
    expect(await rosterOf(ledgerOf(store), 'reading')).toEqual([]);
  });
});

describe('signup: the form in the AI bot single chat', () => {
  it('the group points to the single chat; the fields are asked there; the group never sees them', async () => {
    const clock = testClock();
    const { group, aibotSingle, store, lines } = await bothRobots({
      activities: [reading({ fields: ['name', 'phone'] })],
      privateChat: { robotName: '活动助手' },
      now: clock.now,
    });
    const inGroup = await group.member('alice', { name: 'Alice' }).says('@bot 报名');
    expect(said(inGroup)).toEqual({
      text: '请打开与「活动助手」的单聊，发送「报名」填写「周六读书会」的报名信息（手机号等个人信息只在单聊中收集）。',
      visibleTo: 'alice',
    });

    const welcome = await aibotSingle.entersChat('alice');
    expect(welcome.reply?.content).toBe('你好！发送「报名」继续填写「周六读书会」的报名信息。');
    const alice = aibotSingle.member('alice');
    expect((await alice.says('报名')).reply?.content).toContain('（1/2）：**姓名**');
    expect((await alice.says('李四')).reply?.content).toContain('（2/2）：**手机**');
    const done = await alice.says(PHONE);
    expect(done.reply?.content).toContain('报名成功');
    expect(done.reply?.content).toContain('手机：138****5678');
    expect((await rosterOf(ledgerOf(store), 'reading'))[0]?.answers.phone).toBe(PHONE);

    // Afterwards the group sees a duplicate answer, not the details.
    const again = await group.member('alice').says('@bot 报名');
    expect(said(again).text).toContain('你已经报名了「周六读书会」，编号 1');
    await group.settle();
    const traffic = groupTraffic(group, [inGroup, again]);
    for (const leak of LEAKS) expect(traffic).not.toContain(leak);
    for (const leak of LEAKS) expect(lines.join('\n')).not.toContain(leak);
  });

  it('an AI bot in a group sends members to its single chat, and shows cards whose buttons sign up', async () => {
    const clock = testClock();
    const { aibotGroup, store } = await bothRobots({
      activities: [
        reading({ fields: ['phone'], chatId: 'wrAIGROUP' }),
        { id: 'talk', title: '分享会', startsAt: '2030-06-04T19:00:00+08:00', capacity: 10, chatId: 'wrAIGROUP' },
      ],
      now: clock.now,
    });
    const card = await aibotGroup.member('alice').says('@bot 活动');
    expect(card.reply?.msgtype).toBe('template_card');
    const sent = JSON.parse(card.reply?.plaintext ?? '{}') as {
      template_card: { card_type: string; task_id: string; button_list: { key: string }[] };
    };
    expect(sent.template_card.card_type).toBe('button_interaction');
    expect(sent.template_card.button_list.map((b) => b.key)).toEqual(['signup:join:reading', 'signup:join:talk']);

    // A card click is answered through the response_url (its passive answer may only update the card).
    const answered = async (key: string) => {
      await aibotGroup.member('bob').clicksCard(sent.template_card.task_id, key);
      await aibotGroup.settle();
      return (aibotGroup.responses().at(-1) as { markdown?: { content: string } } | undefined)?.markdown?.content;
    };
    expect(await answered('signup:join:talk')).toContain('报名成功！「分享会」你的编号是 **1**');
    expect(await answered('signup:join:reading')).toBe(
      '请点击我的头像进入单聊，发送「报名」填写「周六读书会」的报名信息（手机号等个人信息只在单聊中收集）。',
    );
    expect((await rosterOf(ledgerOf(store), 'talk')).map((s) => s.userId)).toEqual(['bob']);
  });
});
