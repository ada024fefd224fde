import { afterEach, describe, expect, it } from 'vitest';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('ctx.reply / ctx.push / ctx.chatInfo', () => {
  for (const format of ['xml', 'json'] as const) {
    it(`${format}: passive text with mention and visibleTo, Chinese intact`, async () => {
      group = await createTestGroup({}, { format });
      group.bot.on('text', (ctx) =>
        ctx.reply(`你好，${ctx.from.name}！]]> <tag>`, { mention: ctx.from.userId, visibleTo: [ctx.from.userId, 'boss'] }),
      );
      const ex = await group.member('zhangsan', { name: '张三' }).says('@bot 在吗');
      expect(ex.reply).toMatchObject({
        msgtype: 'text',
        content: '你好，张三！]]> <tag>',
        mentioned: ['zhangsan'],
        visibleTo: ['zhangsan', 'boss'],
      });
      expect(ex.response.headers['content-type']).toContain(format === 'xml' ? 'xml' : 'json');
    });

    it(`${format}: passive markdown with a mention tag`, async () => {
      group = await createTestGroup({}, { format });
      group.bot.on('text', (ctx) => ctx.reply({ markdown: '**已收到**' }, { mention: 'alice' }));
      const ex = await group.member('alice').says('@bot hi');
      expect(ex.reply).toMatchObject({ msgtype: 'markdown', content: '<@alice> **已收到**' });
    });
  }

  it('ctx.text strips the leading mention; ctx fields come from the callback', async () => {
    group = await createTestGroup({}, { chatName: '运营群' });
    const seen: unknown[] = [];
    group.bot.on('text', (ctx) => {
      seen.push([ctx.text, ctx.mentionedBot, ctx.chatId, ctx.chatType, ctx.from.userId, ctx.from.alias, ctx.robot, ctx.message.type]);
    });
    await group.member('u1', { alias: 'jack' }).says('@bot　天气 北京');
    await group.member('u1').says('没有提到机器人');
    expect(seen).toEqual([
      ['天气 北京', true, group.chatId, 'group', 'u1', 'jack', 'group', 'text'],
      ['没有提到机器人', false, group.chatId, 'group', 'u1', 'jack', 'group', 'text'],
    ]);
  });

  it('a card cannot be passive: it goes through the webhook with the chatid; a text after it is still passive', async () => {
    group = await createTestGroup();
    group.bot.on('text', async (ctx) => {
      const card = await ctx.reply({
        card: { card_type: 'text_notice', main_title: { title: '通知' }, card_action: { type: 1, url: 'https://example.com' } },
      });
      const text = await ctx.reply('and text');
      expect([card.via, text.via]).toEqual(['webhook', 'passive']);
    });
    const ex = await group.member('a').says('@bot card');
    expect(ex.reply?.content).toBe('and text');
    await group.settle();
    expect(group.pushes()).toMatchObject([{ msgtype: 'template_card', chatid: group.chatId }]);
  });

  it('ctx.push always uses the webhook of this chat', async () => {
    group = await createTestGroup();
    group.bot.on('text', async (ctx) => {
      await ctx.push({ markdownV2: '| a | b |\n|---|---|\n| 1 | 2 |' });
    });
    const ex = await group.member('a').says('@bot table');
    expect(ex.reply).toBeUndefined();
    await group.settle();
    expect(group.pushes()).toEqual([
      { msgtype: 'markdown_v2', markdown_v2: { content: '| a | b |\n|---|---|\n| 1 | 2 |' }, chatid: group.chatId },
    ]);
  });

  it('chatInfo() calls the single-use GetChatInfoUrl once and caches it', async () => {
    group = await createTestGroup({}, { chatName: '产品群' });
    group.member('bob', { name: 'Bob' });
    group.bot.on('text', async (ctx) => {
      const [a, b] = await Promise.all([ctx.chatInfo(), ctx.chatInfo()]);
      const c = await ctx.chatInfo();
      expect(a).toBe(b);
      expect(c).toBe(a);
      await ctx.reply(`${a.name}:${a.members.map((m) => m.name).join(',')}`);
    });
    const ex = await group.member('alice', { name: 'Alice' }).says('@bot who');
    expect(ex.reply?.content).toBe('产品群:Bob,Alice');
    expect(group.fake.received.filter((r) => r.endpoint === 'get_chat_info')).toHaveLength(1);
    // A later callback in the same chat reads the cache instead of spending its code.
    const ex2 = await group.member('alice').says('@bot who');
    expect(ex2.reply?.content).toBe('产品群:Bob,Alice');
    expect(group.fake.received.filter((r) => r.endpoint === 'get_chat_info')).toHaveLength(1);
  });

  it('events: add_to_chat, attachment clicks, mixed text', async () => {
    group = await createTestGroup();
    group.bot.on('event:add_to_chat', (ctx) => ctx.reply('大家好，我是机器人'));
    group.bot.on('attachment', (ctx) => ctx.reply(`clicked ${ctx.message.callbackId}:${ctx.message.actions[0]?.value}`));
    group.bot.on('mixed', (ctx) => ctx.reply(`mixed:${ctx.text}`));
    expect((await group.robotAdded()).reply?.content).toBe('大家好，我是机器人');
    expect((await group.member('a').clicks('vote-1', { name: 'choice', value: 'yes' })).reply?.content).toBe('clicked vote-1:yes');
    const ex = await group.sendGroupEvent(
      {
        kind: 'mixed',
        items: [
          { type: 'text', text: '@bot 看图' },
          { type: 'image', imageUrl: 'https://x/y.png' },
        ],
      },
      { userId: 'a' },
    );
    expect(ex.reply?.content).toBe('mixed:看图');
  });

  it('a reply over the passive byte limit goes through the webhook, split in order', async () => {
    group = await createTestGroup();
    const long = '长'.repeat(1000); // 3000 UTF-8 bytes > 2048
    group.bot.on('text', async (ctx) => {
      expect((await ctx.reply(long)).via).toBe('webhook');
    });
    const ex = await group.member('a').says('@bot x');
    expect(ex.reply).toBeUndefined();
    await group.settle();
    expect(group.pushTexts().join('')).toBe(long);
    expect(group.pushes().length).toBeGreaterThan(1);
  });
});
