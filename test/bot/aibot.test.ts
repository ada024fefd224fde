import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/bot/clock.js';
import { createBot } from '../../src/bot/bot.js';
import { aibotCallbackJson, groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { gate } from './helpers.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('smart robot (智能机器人)', () => {
  it('the same router serves it: a text reply becomes a finished stream', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    group.bot.command('ping', (ctx) => ctx.reply(`pong from ${ctx.robot} ${ctx.chatType}`));
    const ex = await group.member('alice').says('@bot ping');
    expect(ex.reply?.msgtype).toBe('stream');
    expect(ex.reply?.stream).toMatchObject({ finish: true, content: 'pong from aibot group' });
  });

  it('streams: first chunk in the response, later chunks on refresh, finish ends it', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const step = gate();
    const updated = gate();
    const done = gate();
    group.bot.on('text', async (ctx) => {
      const s = ctx.stream('思考中…');
      await step.promise;
      await s.update('第一段');
      updated.open();
      await done.promise;
      await s.finish('第一段。第二段。');
    });
    const ex = await group.member('alice').says('@bot 讲个故事');
    const id = ex.reply?.stream?.id as string;
    expect(ex.reply?.stream).toEqual({ id, finish: false, content: '思考中…' });
    expect((await group.refresh(id)).reply?.stream).toEqual({ id, finish: false, content: '思考中…' });
    step.open();
    await updated.promise;
    expect((await group.refresh(id)).reply?.stream).toEqual({ id, finish: false, content: '第一段' });
    done.open();
    await group.settle();
    expect((await group.refresh(id)).reply?.stream).toEqual({ id, finish: true, content: '第一段。第二段。' });
    // Refreshes are answered, never routed or de-duplicated away.
    expect((await group.refresh(id)).reply?.stream?.finish).toBe(true);
  });

  it('an unknown stream id is acknowledged empty (WeCom keeps asking)', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const ex = await group.refresh('nope');
    expect([ex.status, ex.reply]).toEqual([200, undefined]);
  });

  it('a late answer goes to response_url as markdown; a second late answer has no channel', async () => {
    const clock = manualClock();
    group = await createTestGroup({ clock }, { robot: 'aibot' });
    const started = gate();
    const errors: string[] = [];
    group.bot.catch((e) => void errors.push(e.code));
    group.bot.on('text', async (ctx) => {
      started.open();
      await clock.sleep(4000);
      expect((await ctx.reply('迟到的答案')).via).toBe('response_url');
      await ctx.reply('again');
    });
    const p = group.member('bob').says('@bot slow');
    await started.promise;
    await clock.advance(3000);
    expect((await p).reply).toBeUndefined();
    await clock.advance(1000);
    await group.settle();
    expect(group.responses()).toEqual([{ msgtype: 'markdown', markdown: { content: '迟到的答案' } }]);
    expect(errors).toEqual(['reply_no_channel']);
  });

  it('voice arrives transcribed; events and feedback narrow by filter; nonce echoed', async () => {
    group = await createTestGroup({}, { robot: 'aibot', chatType: 'single' });
    group.bot.on('voice', (ctx) => ctx.reply(`heard: ${ctx.text}`));
    group.bot.on('event:enter_chat', (ctx) => ctx.reply(`欢迎 ${ctx.from.userId}`));
    const feedback: string[] = [];
    group.bot.on('event:feedback_event', (ctx) => void feedback.push(`${ctx.message.feedbackId}:${ctx.message.feedbackType}`));
    expect((await group.member('u').speaks('明天开会')).reply?.stream?.content).toBe('heard: 明天开会');
    const welcome = await group.entersChat('u');
    // enter_chat is the one callback a plain text answers (doc 101031), not a stream.
    expect([welcome.reply?.msgtype, welcome.reply?.content]).toEqual(['text', '欢迎 u']);
    const fb = await group.feedback('u', 'fb-1', 2);
    expect([fb.status, fb.reply]).toEqual([200, undefined]);
    expect(feedback).toEqual(['fb-1:2']);
  });

  it('a bot with both robots tells them apart on a neutral path by signature', async () => {
    const bot = createBot({ group: randomSecrets(), aibot: randomSecrets(), logLevel: 'silent' });
    bot.on('text', (ctx) => ctx.reply(ctx.robot));
    const g1 = await createTestGroup(bot, { robot: 'group' });
    const g2 = await createTestGroup(bot, { robot: 'aibot', fake: g1.fake });
    const viaRoot = async (g: TestGroup, robot: 'group' | 'aibot') => {
      const plain =
        robot === 'group'
          ? groupCallbackXml(
              { msgId: `${robot}-root`, webhookUrl: 'http://127.0.0.1:1/x?key=k', chatId: 'c', chatType: 'group', from: { userId: 'u' } },
              { kind: 'text', content: 'hi' },
            )
          : aibotCallbackJson(
              { msgId: `${robot}-root`, aibotId: 'a', chatType: 'single', from: { userId: 'u' } },
              { kind: 'text', content: 'hi' },
            );
      return g.send(g.signer.post('/', plain, robot === 'group' ? 'xml' : 'json'));
    };
    expect((await viaRoot(g1, 'group')).reply?.content).toBe('group');
    expect((await viaRoot(g2, 'aibot')).reply?.stream?.content).toBe('aibot');
    await g2.close();
    await g1.close();
    await bot.close();
  });
});
