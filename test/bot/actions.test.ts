import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { actionOf, buttonId, matchAction, splitButtonId, type ActionClick } from '../../src/bot/action.js';
import type { Context } from '../../src/bot/context.js';
import { MessageValidationError } from '../../src/protocol/message/errors.js';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

/** The decrypted JSON of a passive reply (AI bot replies and classic JSON replies). */
function json(plaintext: string | undefined): Record<string, unknown> {
  return JSON.parse(plaintext ?? 'null') as Record<string, unknown>;
}

describe('button ids', () => {
  it('carry the module namespace; split at the first colon', () => {
    expect(buttonId('signup', 'join')).toBe('signup:join');
    expect(buttonId('kb-search', 'more:2')).toBe('kb-search:more:2');
    expect(splitButtonId('kb-search:more:2')).toEqual({ namespace: 'kb-search', id: 'more:2' });
    expect(splitButtonId('ok')).toEqual({ namespace: undefined, id: 'ok' });
    expect(splitButtonId(':x')).toEqual({ namespace: undefined, id: ':x' });
  });

  it('refuse an empty or malformed namespace, an empty id, and a key over 1024 bytes', () => {
    const messageOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        expect(err).toBeInstanceOf(MessageValidationError);
        return (err as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(messageOf(() => buttonId('', 'join'))).toContain('button namespace "" must be non-empty');
    expect(messageOf(() => buttonId('a:b', 'join'))).toContain('without spaces or ":"');
    expect(messageOf(() => buttonId('signup', ''))).toBe('the button id must not be empty');
    expect(() => buttonId('n', 'x'.repeat(1022))).not.toThrow(); // 1024 bytes with "n:"
    expect(messageOf(() => buttonId('n', '报'.repeat(341)))).toMatch(
      /^button id "n:报+…" is 1025 bytes; an AI bot card's key holds at most 1024 UTF-8 bytes$/,
    );
  });
});

describe('classic robot: markdown buttons and their clicks', () => {
  for (const format of ['xml', 'json'] as const) {
    it(`${format}: ids go out as action names and come back to the matching handler`, async () => {
      group = await createTestGroup({}, { format });
      group.bot.command('报名', (ctx) =>
        ctx.reply({
          markdown: '**周六读书会**',
          buttons: [
            { id: 'signup:join', text: '报名', replaceText: '已报名' },
            { id: 'signup:seat', text: '选座', value: 'A-12' },
          ],
        }),
      );
      const seen: unknown[] = [];
      group.bot.filter(
        (ctx) => matchAction(ctx, ['signup:join', 'signup:seat']),
        (ctx) => {
          seen.push([ctx.match, ctx.action.id, ctx.action.value, ctx.action.robot, ctx.action.callbackId, ctx.from.userId]);
          return ctx.reply(`${ctx.from.name} ${ctx.match}`);
        },
      );

      const sent = await group.member('alice', { name: 'Alice' }).says('@bot 报名');
      const plaintext = sent.reply?.plaintext ?? '';
      if (format === 'xml') {
        expect(plaintext).toContain(
          '<Attachment><CallbackId><![CDATA[signup]]></CallbackId><Actions><Name><![CDATA[signup:join]]></Name><Value><![CDATA[signup:join]]></Value><Text><![CDATA[报名]]></Text><Type><![CDATA[button]]></Type><ReplaceText><![CDATA[已报名]]></ReplaceText></Actions>',
        );
      } else {
        expect((json(plaintext).markdown as { attachments: unknown }).attachments).toEqual([
          {
            callback_id: 'signup',
            actions: [
              { name: 'signup:join', value: 'signup:join', text: '报名', type: 'button', replace_text: '已报名' },
              { name: 'signup:seat', value: 'A-12', text: '选座', type: 'button' },
            ],
          },
        ]);
      }

      const join = await group.member('alice').clicks('signup', { name: 'signup:join', value: 'signup:join' });
      const seat = await group.member('bob', { name: 'Bob' }).clicks('signup', { name: 'signup:seat', value: 'A-12' });
      expect([join.reply?.content, seat.reply?.content]).toEqual(['Alice join', 'Bob seat']);
      expect(seen).toEqual([
        ['join', 'signup:join', undefined, 'group', 'signup', 'alice'],
        ['seat', 'signup:seat', 'A-12', 'group', 'signup', 'bob'],
      ]);
    });
  }

  it('a button id over the 64 bytes of a classic action name is refused at ctx.reply, naming it', async () => {
    group = await createTestGroup();
    const errors: unknown[] = [];
    group.bot.on('text', (ctx) =>
      ctx.reply({ markdown: 'x', buttons: [{ id: `signup:${'j'.repeat(58)}`, text: 't' }] }).catch((e: unknown) => void errors.push(e)),
    );
    const ex = await group.member('a').says('@bot go');
    expect(ex.reply).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MessageValidationError);
    expect((errors[0] as Error).message).toMatch(
      /^buttons\[0\]\.id "signup:j+…" is 65 bytes; a classic robot's button name holds at most 64 UTF-8 bytes$/,
    );
  });

  it('the attachment rules still apply: unique ids, label ≤ 128 bytes, at most 20 buttons', async () => {
    group = await createTestGroup();
    const messages: string[] = [];
    const tryReply = (ctx: Context, buttons: { id: string; text: string }[]) =>
      ctx.reply({ markdown: 'x', buttons }).catch((e: Error) => void messages.push(e.message));
    group.bot.on('text', async (ctx) => {
      await tryReply(ctx, [
        { id: 'a:1', text: 'x' },
        { id: 'a:1', text: 'y' },
      ]);
      await tryReply(ctx, [{ id: 'a:1', text: '报'.repeat(43) }]);
      await tryReply(
        ctx,
        Array.from({ length: 21 }, (_, i) => ({ id: `a:${i}`, text: `${i}` })),
      );
    });
    await group.member('a').says('@bot go');
    expect(messages).toEqual([
      'buttons[1].id repeats the button id "a:1" of buttons[0].id; button ids must be unique',
      'markdown.attachments[0].actions[0].text is 129 bytes; the limit is 128 UTF-8 bytes',
      'markdown.attachments[0].actions has 21 items; the limit is 20',
    ]);
  });
});

describe('AI bot: card clicks', () => {
  it('a button click routes on event_key, with task id and card type', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const seen: ActionClick[] = [];
    const matched: unknown[] = [];
    group.bot.filter(
      (ctx) => matchAction(ctx, 'signup:join'),
      (ctx) => {
        seen.push(ctx.action);
        matched.push(ctx.match);
      },
    );
    const ex = await group.member('alice').clicksCard('task-7', 'signup:join');
    expect([ex.status, ex.reply]).toEqual([200, undefined]);
    expect(matched).toEqual(['join']);
    expect(seen).toMatchObject([{ robot: 'aibot', id: 'signup:join', taskId: 'task-7', cardType: 'button_interaction', selected: [] }]);
    expect(seen[0]?.value).toBeUndefined();
  });

  it('a vote submit carries the selections', async () => {
    group = await createTestGroup({}, { robot: 'aibot', chatType: 'single' });
    const picked: unknown[] = [];
    group.bot.filter(
      (ctx) => matchAction(ctx, /^submit$/, 'poll'),
      (ctx) => void picked.push([ctx.match[0], ctx.action.cardType, ctx.action.selected]),
    );
    await group.member('bob').clicksCard('poll-1', 'poll:submit', {
      cardType: 'vote_interaction',
      selected: [{ questionKey: 'lunch', optionIds: ['noodles', 'rice'] }],
    });
    expect(picked).toEqual([['submit', 'vote_interaction', [{ questionKey: 'lunch', optionIds: ['noodles', 'rice'] }]]]);
  });
});

describe('matching', () => {
  it('namespaces keep two modules apart; first match wins; misses fall through', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const hits: string[] = [];
    group.bot.filter(
      (ctx) => matchAction(ctx, 'join', 'signup'),
      (ctx) => void hits.push(`signup:${ctx.match}`),
    );
    group.bot.filter(
      (ctx) => matchAction(ctx, 'join', 'poll'),
      (ctx) => void hits.push(`poll:${ctx.match}`),
    );
    group.bot.filter(
      (ctx) => matchAction(ctx, /^vote:(\d+)$/, 'poll'),
      (ctx) => void hits.push(`vote ${ctx.match[1]}`),
    );
    group.bot.use((ctx) => void hits.push(`unrouted ${actionOf(ctx.message)?.id ?? ctx.message.type}`));
    const m = group.member('u');
    await m.clicksCard('t1', 'poll:join');
    await m.clicksCard('t1', 'signup:join');
    await m.clicksCard('t1', 'poll:vote:3');
    await m.clicksCard('t1', 'join'); // no namespace: no module's
    await m.clicksCard('t1', 'other:join');
    await m.says('join');
    expect(hits).toEqual(['poll:join', 'signup:join', 'vote 3', 'unrouted join', 'unrouted other:join', 'unrouted text']);
  });

  it('without a namespace a string trigger is the full id; a RegExp sees the full id', async () => {
    group = await createTestGroup();
    const hits: unknown[] = [];
    group.bot.filter(
      (ctx) => matchAction(ctx, /^(\w+):vote$/),
      (ctx) => void hits.push(ctx.match[1]),
    );
    group.bot.filter(
      (ctx) => matchAction(ctx, 'ok'),
      (ctx) => void hits.push(ctx.match),
    );
    await group.member('u').clicks('cb', { name: 'poll:vote', value: 'v' });
    await group.member('u').clicks('cb', { name: 'ok', value: 'v' });
    expect(hits).toEqual(['poll', 'ok']);
  });

  it('a global RegExp matches every click, not every other one', async () => {
    group = await createTestGroup();
    let n = 0;
    const trigger = /vote/g;
    group.bot.filter(
      (ctx) => matchAction(ctx, trigger),
      () => void n++,
    );
    for (let i = 0; i < 3; i++) await group.member('u').clicks('cb', { name: 'poll:vote', value: 'v' });
    expect(n).toBe(3);
  });

  it('bot.action uses the same matcher', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const hits: unknown[] = [];
    group.bot.action(/^signup:(\w+)$/, (ctx) => void hits.push([ctx.action.robot, ctx.match[1]]));
    await group.member('u').clicksCard('t', 'signup:join');
    expect(hits).toEqual([['aibot', 'join']]);
  });

  it('types: matchAction narrows ctx.action and ctx.match by trigger', () => {
    const check = (ctx: Context) => {
      expectTypeOf(ctx.action).toEqualTypeOf<ActionClick | undefined>();
      if (matchAction(ctx, 'join', 'signup')) {
        expectTypeOf(ctx.action).toEqualTypeOf<ActionClick>();
        expectTypeOf(ctx.match).toEqualTypeOf<string>();
        if (ctx.action.robot === 'aibot') expectTypeOf(ctx.action.taskId).toEqualTypeOf<string>();
      }
      if (matchAction(ctx, /^(\d+)$/)) expectTypeOf(ctx.match).toEqualTypeOf<RegExpMatchArray>();
      if (matchAction(ctx, ['a', /b/])) expectTypeOf(ctx.match).toEqualTypeOf<string | RegExpMatchArray>();
    };
    expect(check).toBeTypeOf('function');
  });
});
