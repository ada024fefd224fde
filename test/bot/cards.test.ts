import { afterEach, describe, expect, it } from 'vitest';
import { matchAction } from '../../src/bot/action.js';
import { manualClock } from '../../src/bot/clock.js';
import type { Context } from '../../src/bot/context.js';
import { ReplyError } from '../../src/bot/errors.js';
import type { ReplyReceipt } from '../../src/bot/reply-envelope.js';
import type { UpdatedCard } from '../../src/bot/update-card.js';
import { MessageValidationError } from '../../src/protocol/message/errors.js';
import type { NewsNoticeCard, TextNoticeCard } from '../../src/protocol/message/template-card-types.js';
import type { AibotTemplateCard } from '../../src/protocol/reply/aibot-card.js';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';
import { gate } from './helpers.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

const TEXT_NOTICE: TextNoticeCard = {
  card_type: 'text_notice',
  main_title: { title: '周报' },
  emphasis_content: { title: '98%', desc: '完成率' },
  card_action: { type: 1, url: 'https://example.com/report' },
};
const NEWS_NOTICE: NewsNoticeCard = {
  card_type: 'news_notice',
  main_title: { title: '新品' },
  card_image: { url: 'https://img.example/new.png', aspect_ratio: 2.25 },
  card_action: { type: 1, url: 'https://example.com/new' },
};
const BUTTONS: AibotTemplateCard = {
  card_type: 'button_interaction',
  main_title: { title: '周六读书会' },
  button_list: [{ text: '报名', style: 1, key: 'signup:join' }],
  task_id: 'signup-1',
};
const VOTE: AibotTemplateCard = {
  card_type: 'vote_interaction',
  main_title: { title: '午饭' },
  checkbox: {
    question_key: 'lunch',
    option_list: [
      { id: 'noodles', text: '面' },
      { id: 'rice', text: '饭' },
    ],
  },
  submit_button: { text: '投票', key: 'poll:submit' },
  task_id: 'poll-1',
};
const MULTIPLE: AibotTemplateCard = {
  card_type: 'multiple_interaction',
  main_title: { title: '偏好' },
  select_list: [{ question_key: 'city', option_list: [{ id: 'bj', text: '北京' }] }],
  submit_button: { text: '提交', key: 'prefs:submit' },
  task_id: 'prefs-1',
};

/** Runs `fn` in the handler and keeps what it resolved or rejected with (errors thrown in handlers are only logged). */
function recorder() {
  const outcomes: (ReplyReceipt | Error)[] = [];
  return {
    outcomes,
    run: (p: Promise<ReplyReceipt>) =>
      p.then(
        (r) => void outcomes.push(r),
        (e: Error) => void outcomes.push(e),
      ),
  };
}

function json(plaintext: string | undefined): Record<string, unknown> {
  return JSON.parse(plaintext ?? 'null') as Record<string, unknown>;
}

describe('ctx.reply({ card }) on a classic group robot', () => {
  it('sends text_notice and news_notice through the webhook', async () => {
    group = await createTestGroup();
    const r = recorder();
    group.bot.on('text', async (ctx) => {
      await r.run(ctx.reply({ card: TEXT_NOTICE }));
      await r.run(ctx.reply({ card: NEWS_NOTICE }));
    });
    await group.member('a').says('@bot 周报');
    await group.settle();
    expect(r.outcomes).toEqual([{ via: 'webhook' }, { via: 'webhook' }]);
    expect(group.pushes()).toEqual([
      { msgtype: 'template_card', template_card: TEXT_NOTICE, chatid: group.chatId },
      { msgtype: 'template_card', template_card: NEWS_NOTICE, chatid: group.chatId },
    ]);
  });

  it('refuses an interactive card with a ReplyError and a hint, and a card over a limit naming the field', async () => {
    group = await createTestGroup();
    const r = recorder();
    group.bot.on('text', async (ctx) => {
      for (const card of [BUTTONS, VOTE, MULTIPLE]) await r.run(ctx.reply({ card }));
      await r.run(ctx.reply({ card: { ...TEXT_NOTICE, jump_list: [1, 2, 3, 4].map((i) => ({ title: `j${i}` })) } }));
      await r.run(ctx.reply({ card: { ...NEWS_NOTICE, card_image: { url: 'u', aspect_ratio: 2.3 } } }));
    });
    await group.member('a').says('@bot go');
    await group.settle();
    expect(group.pushes()).toEqual([]);
    const [buttons, vote, multiple, jumps, ratio] = r.outcomes;
    for (const [err, type] of [
      [buttons, 'button_interaction'],
      [vote, 'vote_interaction'],
      [multiple, 'multiple_interaction'],
    ] as const) {
      expect(err).toBeInstanceOf(ReplyError);
      expect((err as ReplyError).code).toBe('reply_unsupported');
      expect((err as ReplyError).message).toBe(
        `a classic group robot cannot send a ${type} card (its webhook has text_notice and news_notice only)`,
      );
      expect((err as ReplyError).hint).toContain('interactive cards exist only on AI bots (智能机器人)');
      expect((err as ReplyError).hint).toContain('ctx.reply({ markdown, buttons: [{ id, text }] })');
    }
    expect(jumps).toBeInstanceOf(MessageValidationError);
    expect([(jumps as MessageValidationError).field, (jumps as Error).message]).toEqual([
      'template_card.jump_list',
      'template_card.jump_list has 4 items; the limit is 3',
    ]);
    expect((ratio as Error).message).toBe('template_card.card_image.aspect_ratio is 2.3; it must be between 1.3 and 2.25');
  });

  it('ctx.push refuses an interactive card too (the webhook has none)', async () => {
    group = await createTestGroup();
    const r = recorder();
    group.bot.on('text', (ctx) => r.run(ctx.push({ card: VOTE })));
    await group.member('a').says('@bot go');
    expect((r.outcomes[0] as ReplyError).code).toBe('reply_unsupported');
  });
});

describe('ctx.reply({ card }) on an AI bot', () => {
  it('answers a message passively with any of the five card types', async () => {
    for (const card of [BUTTONS, VOTE, MULTIPLE, TEXT_NOTICE, NEWS_NOTICE]) {
      group = await createTestGroup({}, { robot: 'aibot' });
      group.bot.on('text', (ctx) => ctx.reply({ card }));
      const ex = await group.member('a').says('@bot card');
      expect(json(ex.reply?.plaintext)).toEqual({ msgtype: 'template_card', template_card: card });
      await group.close();
      group = undefined;
    }
  });

  it('refuses a card over its documented limits, naming the field; nothing is answered', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const r = recorder();
    const tooMany = { ...BUTTONS, button_list: Array.from({ length: 7 }, (_, i) => ({ text: `b${i}`, key: `signup:${i}` })) };
    group.bot.on('text', (ctx) => r.run(ctx.reply({ card: tooMany })));
    const ex = await group.member('a').says('@bot card');
    expect(ex.reply).toBeUndefined();
    expect(r.outcomes[0]).toBeInstanceOf(MessageValidationError);
    expect((r.outcomes[0] as Error).message).toBe('template_card.button_list has 7 items; the limit is 6');
  });

  it('a late card goes through the response_url in a single chat, and is refused in a group', async () => {
    for (const chatType of ['single', 'group'] as const) {
      const clock = manualClock();
      group = await createTestGroup({ clock }, { robot: 'aibot', chatType });
      const started = gate();
      const r = recorder();
      group.bot.on('text', async (ctx) => {
        started.open();
        await clock.sleep(4000);
        await r.run(ctx.reply({ card: VOTE }));
      });
      const p = group.member('a').says('@bot slow');
      await started.promise;
      await clock.advance(4000);
      expect((await p).reply).toBeUndefined();
      await group.settle();
      if (chatType === 'single') {
        expect(r.outcomes).toEqual([{ via: 'response_url' }]);
        expect(group.responses()).toEqual([{ msgtype: 'template_card', template_card: VOTE }]);
      } else {
        expect((r.outcomes[0] as ReplyError).message).toBe('an AI bot sends a card through the response_url only in a single chat');
        expect(group.responses()).toEqual([]);
      }
      await group.close();
      group = undefined;
    }
  });

  it('markdown buttons are refused: they belong to the classic robot', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const r = recorder();
    group.bot.on('text', (ctx) => r.run(ctx.reply({ markdown: 'x', buttons: [{ id: 'signup:join', text: '报名' }] })));
    await group.member('a').says('@bot go');
    expect((r.outcomes[0] as ReplyError).code).toBe('reply_unsupported');
    expect((r.outcomes[0] as ReplyError).hint).toContain("card_type: 'button_interaction'");
  });
});

describe('ctx.updateCard', () => {
  // No task_id: the click's is filled in.
  const joined: UpdatedCard = {
    card_type: 'button_interaction',
    main_title: { title: '周六读书会' },
    button_list: [{ text: '已报名', style: 2, key: 'signup:leave' }],
  };

  it('AI bot: the passive answer to the click replaces the card (task_id from the click); a reply after it goes to response_url', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const r = recorder();
    group.bot.filter(
      (ctx) => matchAction(ctx, 'join', 'signup'),
      async (ctx) => {
        await r.run(ctx.updateCard(joined, { userIds: [ctx.from.userId] }));
        await r.run(ctx.reply(`${ctx.from.userId} 已报名`));
      },
    );
    const ex = await group.member('alice').clicksCard('signup-1', 'signup:join');
    expect(json(ex.reply?.plaintext)).toEqual({
      response_type: 'update_template_card',
      userids: ['alice'],
      template_card: { ...joined, task_id: 'signup-1' },
    });
    await group.settle();
    expect(r.outcomes).toEqual([{ via: 'passive' }, { via: 'response_url' }]);
    expect(group.responses()).toEqual([{ msgtype: 'markdown', markdown: { content: 'alice 已报名' } }]);
  });

  it('updates for everyone without userIds; any card type works, e.g. a vote made read-only', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const closed = { ...VOTE, checkbox: { ...(VOTE as { checkbox: object }).checkbox, disable: true } } as AibotTemplateCard;
    group.bot.filter(
      (ctx) => matchAction(ctx, 'poll:submit'),
      (ctx) => ctx.updateCard(closed),
    );
    const ex = await group
      .member('bob')
      .clicksCard('poll-1', 'poll:submit', { cardType: 'vote_interaction', selected: [{ questionKey: 'lunch', optionIds: ['rice'] }] });
    expect(json(ex.reply?.plaintext)).toEqual({ response_type: 'update_template_card', template_card: closed });
  });

  it('refuses another task_id and a card over a limit, naming the field; nothing is answered', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const r = recorder();
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      async (ctx) => {
        await r.run(ctx.updateCard({ ...BUTTONS, task_id: 'other-card' }));
        await r.run(ctx.updateCard({ ...BUTTONS, button_list: [] }));
      },
    );
    const ex = await group.member('a').clicksCard('signup-1', 'signup:join');
    expect(ex.reply).toBeUndefined();
    expect(r.outcomes.map((e) => [(e as MessageValidationError).field, (e as Error).message])).toEqual([
      ['template_card.task_id', `template_card.task_id is "other-card"; an update must keep the clicked card's task_id "signup-1"`],
      ['template_card.button_list', 'template_card.button_list has 0 items; at least 1 required'],
    ]);
  });

  it('a plain reply to a card click is no passive stream (WeCom only takes the update): it goes to response_url', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      (ctx) => ctx.reply('收到'),
    );
    const ex = await group.member('a').clicksCard('signup-1', 'signup:join');
    expect(ex.reply).toBeUndefined();
    await group.settle();
    expect(group.responses()).toEqual([{ msgtype: 'markdown', markdown: { content: '收到' } }]);
  });

  it('too late: after the ack budget the update is a ReplyError whose hint points to a new message', async () => {
    const clock = manualClock();
    group = await createTestGroup({ clock }, { robot: 'aibot' });
    const started = gate();
    const r = recorder();
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      async (ctx) => {
        started.open();
        await clock.sleep(3500);
        await r.run(ctx.updateCard(joined));
        await r.run(ctx.reply('名额已满，稍后再试'));
      },
    );
    const p = group.member('a').clicksCard('signup-1', 'signup:join');
    await started.promise;
    await clock.advance(3500);
    expect((await p).reply).toBeUndefined();
    await group.settle();
    const [late, reply] = r.outcomes;
    expect(late).toBeInstanceOf(ReplyError);
    expect((late as ReplyError).code).toBe('reply_no_channel');
    expect((late as Error).message).toBe(
      'too late to update the card: the window of the click has passed (ack budget 3000 ms; WeCom waits 5 s)',
    );
    expect((late as ReplyError).hint).toContain('reply with a new message instead: ctx.reply(...) goes through the response_url');
    expect(reply).toEqual({ via: 'response_url' });
    expect(group.responses()).toEqual([{ msgtype: 'markdown', markdown: { content: '名额已满，稍后再试' } }]);
  });

  it('one update per click: a second one says so', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const r = recorder();
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      async (ctx) => {
        await r.run(ctx.updateCard(joined, { userIds: ['a'] }));
        await r.run(ctx.updateCard(BUTTONS));
      },
    );
    await group.member('a').clicksCard('signup-1', 'signup:join');
    expect((r.outcomes[1] as Error).message).toBe('the clicked card was already updated: WeCom takes one answer per click');
  });

  it('classic robot: refused, the hint says replace_text is set when sending the buttons', async () => {
    group = await createTestGroup();
    const r = recorder();
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      (ctx) => r.run(ctx.updateCard(TEXT_NOTICE)),
    );
    const ex = await group.member('a').clicks('signup', { name: 'signup:join', value: 'signup:join' });
    expect(ex.reply).toBeUndefined();
    const err = r.outcomes[0] as ReplyError;
    expect([err.code, err.message]).toEqual(['reply_unsupported', 'a classic group robot cannot update a message after a button click']);
    expect(err.hint).toContain(
      "set replaceText on the button when sending it ({ markdown, buttons: [{ id, text, replaceText: '已报名' }] })",
    );
  });

  it('AI bot, not a card click: refused, naming the callback', async () => {
    group = await createTestGroup({}, { robot: 'aibot', chatType: 'single' });
    const r = recorder();
    const update = (ctx: Context) => r.run(ctx.updateCard(BUTTONS));
    group.bot.on('text', update);
    group.bot.on('event:enter_chat', update);
    await group.member('a').says('hi');
    await group.entersChat('a');
    expect(r.outcomes.map((e) => [(e as ReplyError).code, (e as Error).message])).toEqual([
      ['reply_unsupported', 'ctx.updateCard answers a template card click (template_card_event); this callback is a message (text)'],
      ['reply_unsupported', 'ctx.updateCard answers a template card click (template_card_event); this callback is the enter_chat event'],
    ]);
  });
});
