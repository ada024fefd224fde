/**
 * The stateful example of docs/en/bots.md ("Modules"), as written there, through the test kit
 * with real encryption: a command, a button, sessions and a route.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotConfigError } from '../../src/bot/errors.js';
import { defineBotModule } from '../../src/bot/module.js';
import { botRequest } from '../../src/bot/request.js';
import { createTestGroup, type TestGroup } from '../../src/testing/fake-group/index.js';

const rsvp = defineBotModule({
  name: 'rsvp',
  options(o: { title: string; remindToken: string }) {
    if (!o.title) throw new BotConfigError('rsvp.title is empty');
    if ((o.remindToken ?? '').length < 16) throw new BotConfigError('rsvp.remindToken needs 16 characters or more');
    return o;
  },
  consumes: { commands: ['活动'], buttons: ['rsvp'] },
  session: { initial: () => ({ joined: false }), ttlMs: 30 * 24 * 3600_000 },
  chatSession: { initial: () => ({ count: 0 }) },
  setup(m, options) {
    m.command('活动', (ctx) =>
      ctx.reply({
        markdown: `**${options.title}**\n已报名 ${ctx.chatSession.count} 人`,
        buttons: [{ id: m.button('join'), text: '我要报名', replaceText: '已报名' }],
      }),
    );
    m.action('join', async (ctx) => {
      if (ctx.session.joined) return ctx.reply('你已经报过名了', { visibleTo: ctx.from.userId });
      ctx.session.joined = true;
      ctx.chatSession.count += 1;
      await ctx.reply(`报名成功，你是第 ${ctx.chatSession.count} 位`, { visibleTo: ctx.from.userId });
    });
  },
  routes: (options) => [
    {
      method: 'POST',
      path: '/rsvp/remind',
      auth: { type: 'token', token: options.remindToken },
      async handler(req, ctx) {
        const { webhook } = req.json<{ webhook: string }>();
        await ctx.push(`⏰ ${options.title} 快开始了`, { webhook });
        return { status: 202, body: { ok: true } };
      },
    },
  ],
});

const TOKEN = 'remind-token-0123456789';
let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('docs/en/bots.md: the rsvp module', () => {
  it('refuses bad options naming the field', () => {
    expect(() => rsvp({ title: '读书会', remindToken: 'short' })).toThrow(/rsvp\.remindToken/);
  });

  it('shows a button, counts sign-ups once per member, and reminds through its route', async () => {
    group = await createTestGroup({ bots: [rsvp({ title: '周六读书会', remindToken: TOKEN })] });
    const card = await group.member('alice').says('@bot 活动');
    expect(card.reply?.msgtype).toBe('markdown');
    expect(card.reply?.content).toContain('已报名 0 人');
    const raw = JSON.stringify(card.reply);
    expect(raw).toContain('rsvp:join');

    const join = { name: 'rsvp:join', value: 'rsvp:join' };
    const first = await group.member('alice').clicks('rsvp', join);
    expect(first.reply?.content).toBe('报名成功，你是第 1 位');
    await group.settle();
    const again = await group.member('alice').clicks('rsvp', join);
    expect(again.reply?.content).toBe('你已经报过名了');
    await group.settle();
    const bob = await group.member('bob').clicks('rsvp', join);
    expect(bob.reply?.content).toBe('报名成功，你是第 2 位');
    await group.settle();
    expect((await group.member('carol').says('@bot 活动')).reply?.content).toContain('已报名 2 人');

    const webhook = group.fake.webhookUrl(group.webhookKey);
    const refused = await group.bot.handle(botRequest({ method: 'POST', url: '/rsvp/remind', body: JSON.stringify({ webhook }) }));
    expect(refused.status).toBe(401);
    const ok = await group.bot.handle(
      botRequest({ method: 'POST', url: '/rsvp/remind', headers: { authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ webhook }) }),
    );
    expect(ok.status).toBe(202);
    expect(group.pushTexts()).toEqual(['⏰ 周六读书会 快开始了']);
  });
});
