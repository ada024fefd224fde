/**
 * The faq bot through the test kit (signed, encrypted callbacks; the fake WeCom records
 * pushes), over the tea-shop Q&A set written for these tests.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { faq } from '../../../src/bots/faq/module.js';
import type { FaqConfigInput } from '../../../src/bots/faq/config.js';
import { defineBotModule, moduleTable } from '../../../src/bot/module.js';
import { UnansweredLog } from '../../../src/bots/faq/unanswered.js';
import { createTestGroup, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { MONDAY_10AM, SATURDAY_10AM, TEA_SHOP_YAML, writeFixture } from './fixture.js';

let dir: string;
let group: TestGroup | undefined;
beforeAll(() => {
  const long = Array.from({ length: 80 }, (_, i) => `第 ${i + 1} 步：打开「设置」页面，找到对应的选项并确认保存，然后返回首页继续。`).join(
    '\n\n',
  );
  dir = writeFixture({
    'faq.yaml': TEA_SHOP_YAML,
    'long.yaml': `- question: 小程序怎么绑定门店？\n  answer: |\n${long
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
  });
});
afterEach(async () => {
  await group?.close();
  group = undefined;
});

const ROSTER = [{ userId: 'zhangsan', name: '张三', days: 'mon-fri', hours: '9-18' }];
function options(extra: Partial<FaqConfigInput> = {}, now = MONDAY_10AM): FaqConfigInput {
  let clock = now;
  const o: FaqConfigInput = {
    source: join(dir, 'faq.yaml'),
    handoff: { roster: ROSTER, quietMinutes: 30 },
    now: () => clock,
    ...extra,
  };
  // Not an option (the faq refuses unknown keys): a hidden handle on the clock for advance().
  Object.defineProperty(o, 'advance', { value: (ms: number) => (clock += ms), enumerable: false });
  return o;
}
/** The clock of options(): moves the FAQ's time forward. */
function advance(o: FaqConfigInput, ms: number): void {
  (o as unknown as { advance(ms: number): void }).advance(ms);
}

/** A catch-all after the FAQ (priority 0, as kb-search): it answers every text. */
const knowledgeBase = defineBotModule({
  name: 'kb-stand-in',
  consumes: { catchAllText: true },
  setup(m) {
    m.on('text', (ctx) => ctx.reply(`知识库：${ctx.text}`));
  },
});

async function unanswered(g: TestGroup) {
  const store = await g.bot.store();
  return new UnansweredLog(() => store.db(), moduleTable(store.namespace, 'faq', 'unanswered')).list({ all: true });
}

describe('faq bot', () => {
  it('answers a question asked in other words, with the question in bold', async () => {
    group = await createTestGroup({ bots: [faq(options())] });
    const ex = await group.member('alice').says('@bot 开会员要多少钱');
    expect(ex.reply?.msgtype).toBe('markdown');
    expect(ex.reply?.content).toBe('**会员怎么收费？**\n月卡 15 元，年卡 128 元，开通后全场九折。');
    // 退钱 is a default synonym of 退款.
    expect((await group.member('alice').says('@bot 怎么退钱')).reply?.content).toContain('申请退款');
  });

  it('offers the closest questions as buttons, and a click answers it and is remembered on the log', async () => {
    group = await createTestGroup({ bots: [faq(options())] });
    const ex = await group.member('bob').says('@bot 会员');
    expect(ex.reply?.content).toMatch(/^没有找到完全对应的答案，你可能想问：\n1\. /);
    const raw = JSON.parse(JSON.stringify(ex.reply?.plaintext ?? ''));
    const ids = [...String(raw).matchAll(/faq:q-(\d+)/g)].map((m) => Number(m[1]));
    expect(new Set(ids)).toEqual(new Set([2, 7]));
    await group.settle();
    const click = await group.member('bob').clicks('faq', { name: 'faq:q-7', value: 'faq:q-7' });
    expect(click.reply?.content).toContain('积分商城');
    const rows = await unanswered(group);
    expect(rows).toMatchObject([{ question: '会员', count: 1, outcome: 'suggest', clicked_id: 7 }]);
  });

  it('stays silent in a group when nothing is close, says so in a single chat, and logs both with counts', async () => {
    group = await createTestGroup({ bots: [faq(options({ handoff: { afterMisses: 0 } }))] });
    for (let i = 0; i < 2; i++) {
      const ex = await group.member('carol').says('@bot 今天股票涨了没');
      expect(ex.reply).toBeUndefined();
    }
    await group.settle();
    expect(group.pushes()).toEqual([]);
    await group.close();
    group = await createTestGroup({ bots: [faq(options({ handoff: { afterMisses: 0 } }))] }, { chatType: 'single' });
    expect((await group.member('carol').says('今天股票涨了没')).reply?.content).toContain('转人工');
    expect(await unanswered(group)).toMatchObject([{ question: '今天股票涨了没', count: 1, outcome: 'none' }]);
  });

  it('passes unmatched questions on to a catch-all that follows it (by default): no miss counted, no "sorry" in a single chat', async () => {
    // The knowledge base is listed first: the FAQ's priority still runs it first.
    group = await createTestGroup({ bots: [knowledgeBase(), faq(options())] });
    for (const question of ['今天股票涨了没', '明天会下雨吗', '火星上有水吗']) {
      const ex = await group.member('gina').says(`@bot ${question}`);
      expect(ex.reply?.content).toBe(`知识库：${question}`); // not the handoff after two misses
    }
    expect((await group.member('gina').says('@bot 怎么退款')).reply?.content).toContain('**');
    await group.settle();
    expect(group.pushes()).toEqual([]);
    await group.close();
    group = await createTestGroup({ bots: [faq(options({ passOn: true })), knowledgeBase()] }, { robot: 'aibot', chatType: 'single' });
    const ex = await group.member('gina').says('今天股票涨了没');
    expect(JSON.stringify(ex.reply?.plaintext)).toContain('知识库：今天股票涨了没');
    expect(JSON.stringify(ex.reply?.plaintext)).not.toContain('抱歉');
    expect(await unanswered(group)).toMatchObject([{ question: '今天股票涨了没', outcome: 'none' }]);
    await group.close();
    // passOn: false keeps the FAQ the last word even with a knowledge base after it: the handoff after two misses.
    group = await createTestGroup({ bots: [faq(options({ passOn: false })), knowledgeBase()] }, { chatType: 'single' });
    expect((await group.member('gina').says('今天股票涨了没')).reply?.content).not.toContain('知识库');
    expect((await group.member('gina').says('明天会下雨吗')).reply?.content).not.toContain('知识库');
  });

  it('answers privately in a group when configured', async () => {
    group = await createTestGroup({ bots: [faq(options({ private: true }))] });
    const ex = await group.member('dave').says('@bot 密码找回');
    expect(ex.reply?.visibleTo).toEqual(['dave']);
    expect(ex.reply?.content).toContain('忘记密码');
  });

  it('hands over on 转人工: mentions the staff on duty, keeps quiet on the customer, and /resume ends it', async () => {
    const o = options();
    group = await createTestGroup({ bots: [faq(o)] });
    const ex = await group.member('erin').says('@bot 转人工');
    expect(ex.reply?.content).toContain('<@zhangsan>');
    expect(ex.reply?.content).toContain('已为你转接人工客服 张三');
    await group.settle();
    expect((await group.member('erin').says('@bot 几天能发货')).reply).toBeUndefined();
    // Another customer is still answered.
    expect((await group.member('frank').says('@bot 几天能发货')).reply?.content).toContain('当天发货');
    expect((await group.member('erin').says('@bot /resume')).reply?.content).toBe('已恢复自动回复，有问题请直接问我。');
    await group.settle();
    expect((await group.member('erin').says('@bot 几天能发货')).reply?.content).toContain('当天发货');
  });

  it('ends the quiet time when it runs out, or when a roster member speaks in the chat', async () => {
    const o = options();
    group = await createTestGroup({ bots: [faq(o)] });
    await group.member('erin').says('@bot 人工客服');
    await group.settle();
    advance(o, 31 * 60_000);
    expect((await group.member('erin').says('@bot 几天能发货')).reply?.content).toContain('当天发货');
    await group.member('erin').says('@bot 转人工');
    await group.settle();
    const staff = await group.member('zhangsan').says('@bot 我来处理');
    expect(staff.reply).toMatchObject({ content: '已结束本群的人工接待，机器人恢复自动回复。', visibleTo: ['zhangsan'] });
    await group.settle();
    expect((await group.member('erin').says('@bot 几天能发货')).reply?.content).toContain('当天发货');
  });

  it('hands over after two unmatched questions in a row, and says so when nobody is on duty', async () => {
    group = await createTestGroup({ bots: [faq(options())] });
    expect((await group.member('gina').says('@bot 今天股票涨了没')).reply).toBeUndefined();
    const second = await group.member('gina').says('@bot 明天会下雨吗');
    expect(second.reply?.content).toContain('<@zhangsan>');
    await group.close();
    group = await createTestGroup({ bots: [faq(options({}, SATURDAY_10AM))] });
    expect((await group.member('gina').says('@bot 转人工')).reply?.content).toBe(
      '现在不是人工客服的工作时间，你的问题已记录，我们会尽快联系你。',
    );
  });

  it('splits an over-long answer within the markdown limit and trims the rest', async () => {
    group = await createTestGroup({ bots: [faq({ source: join(dir, 'long.yaml'), maxAnswerParts: 2 })] });
    const ex = await group.member('hank').says('@bot 小程序怎么绑定门店');
    expect(Buffer.byteLength(ex.reply?.content ?? '')).toBeLessThanOrEqual(4096);
    expect(ex.reply?.content).toMatch(/^\*\*小程序怎么绑定门店？\*\*\n第 1 步/);
    const pushes = await group.waitForPushes(1);
    expect(pushes).toHaveLength(1);
    const second = group.pushTexts()[0]!;
    expect(Buffer.byteLength(second)).toBeLessThanOrEqual(4096);
    expect(second).toMatch(/内容较长，已截断/);
  });

  it('answers an AI bot with a button_interaction card of suggestions, and the card click answers', async () => {
    group = await createTestGroup({ bots: [faq(options())] }, { robot: 'aibot' });
    const ex = await group.member('ivy').says('会员');
    const body = JSON.stringify(ex.reply ?? ex.response);
    expect(body).toContain('button_interaction');
    expect(body).toContain('faq:q-2');
    const taskId = /"task_id":"([^"]+)"/.exec(ex.reply?.plaintext ?? '')?.[1] ?? '';
    expect(taskId).toMatch(/^faq-/);
    await group.member('ivy').clicksCard(taskId, 'faq:q-2', { cardType: 'button_interaction' });
    await group.settle();
    // The answer to a card event goes to its response_url.
    expect(JSON.stringify(group.responses())).toContain('年卡 128 元');
  });

  it('sends an AI bot group its suggestions as a list once the passive reply is taken (a response_url card is single-chat only)', async () => {
    group = await createTestGroup({ bots: [faq(options())] }, { robot: 'aibot' });
    const errors: string[] = [];
    group.bot.catch((err) => void errors.push(String(err)));
    // Something answers first, passively: the FAQ's suggestions must go through the response_url.
    group.bot.use(async (ctx, next) => {
      await ctx.reply('稍等，我查一下');
      await next();
    });
    const ex = await group.member('ivy').says('@bot 会员');
    expect(JSON.stringify(ex.reply?.plaintext)).toContain('稍等');
    await group.settle();
    const sent = JSON.stringify(group.responses());
    expect(sent).toContain('你可能想问（发送其中的问题即可查看答案）');
    expect(sent).not.toContain('template_card');
    expect(errors).toEqual([]);
  });
});
