import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { defineBotModule } from '../../src/bot/module.js';
import { createTestGroup, CallbackSigner, randomSecrets, readPassive, startFakeWecom, type TestGroup } from '../../src/testing/index.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

describe('wecombot/testing: the fake group', () => {
  it('reads like a chat script: config with modules, a member says something, assert on the reply', async () => {
    const signup = defineBotModule({
      name: 'signup',
      consumes: { commands: ['报名'] },
      setup(m) {
        m.command('报名', (ctx) => ctx.reply(`${ctx.from.name} 报名成功`, { mention: ctx.from.userId }));
      },
    });
    group = await createTestGroup({ bots: [signup()] }, { chatName: '活动群' });
    const ex = await group.member('lisi', { name: '李四' }).says('@bot 报名');
    expect(ex.reply).toMatchObject({ msgtype: 'text', content: '李四 报名成功', mentioned: ['lisi'] });
    expect(group.bot.modules).toEqual(['signup']);
  });

  it('requests are really signed and encrypted: a bot with other secrets refuses them', async () => {
    group = await createTestGroup();
    const stranger = createBot({ group: randomSecrets(), logLevel: 'silent' });
    const ex = await group.member('a').says('@bot hi');
    const res = await stranger.handle(ex.request);
    expect(res.status).toBe(401);
    await stranger.close();
  });

  it('openReply checks the signature and that the nonce is the callback nonce', () => {
    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const req = signer.post('/wecom/callback', '<xml></xml>', 'xml', { nonce: '111' });
    const good = signer.crypto.encryptReplyJson('{"msgtype":"text","text":{"content":"ok"}}', { nonce: '111' });
    expect(signer.openReply({ body: good }, req)?.content).toBe('ok');
    const otherNonce = signer.crypto.encryptReplyJson('{"msgtype":"text","text":{"content":"ok"}}', { nonce: '222' });
    expect(() => signer.openReply({ body: otherNonce }, req)).toThrow(/nonce 222 differs/);
    const forged = new CallbackSigner(randomSecrets()).crypto.encryptReplyJson('{"msgtype":"text","text":{"content":"x"}}', {
      nonce: '111',
    });
    expect(() => signer.openReply({ body: forged }, req)).toThrow();
    expect(signer.openReply({ body: '' }, req)).toBeUndefined();
  });

  it('readPassive flattens XML and JSON replies alike', () => {
    const xml = readPassive(
      '<xml><MsgType>text</MsgType><VisibleToUser>a|b</VisibleToUser><Text><Content><![CDATA[hi]]></Content><MentionedList><Item>a</Item></MentionedList></Text></xml>',
    );
    const json = readPassive('{"msgtype":"text","visible_to_user":"a|b","text":{"content":"hi","mentioned_list":["a"]}}');
    expect({ ...xml, plaintext: '' }).toEqual({ ...json, plaintext: '' });
    expect(readPassive('{"msgtype":"stream","stream":{"id":"s","finish":true,"content":"c"}}').stream).toEqual({
      id: 's',
      finish: true,
      content: 'c',
    });
  });

  it('waitForPushes fails with what did arrive', async () => {
    group = await createTestGroup();
    group.bot.on('text', (ctx) => ctx.push('one'));
    await group.member('a').says('@bot x');
    expect(await group.waitForPushes(1)).toHaveLength(1);
    await expect(group.waitForPushes(2, 50)).rejects.toThrow(/expected 2 pushes, got 1: \["one"\]/);
  });

  it('AI bot: clicksCard sends a template_card_event with the task id, the key and the chosen options', async () => {
    group = await createTestGroup({}, { robot: 'aibot' });
    const seen: unknown[] = [];
    group.bot.on('event:template_card_event', (ctx) => {
      const { cardType, eventKey, taskId, selectedItems } = ctx.message;
      seen.push({ from: ctx.from.userId, cardType, eventKey, taskId, selectedItems });
    });
    await group
      .member('alice')
      .clicksCard('task-1', 'vote-submit', { cardType: 'vote_interaction', selected: [{ questionKey: 'q', optionIds: ['a', 'b'] }] });
    await group.member('bob').clicksCard('task-1', 'join');
    expect(seen).toEqual([
      {
        from: 'alice',
        cardType: 'vote_interaction',
        eventKey: 'vote-submit',
        taskId: 'task-1',
        selectedItems: [{ questionKey: 'q', optionIds: ['a', 'b'] }],
      },
      { from: 'bob', cardType: 'button_interaction', eventKey: 'join', taskId: 'task-1', selectedItems: [] },
    ]);
  });

  it('webhookUrl: the callbacks carry the given robot URL, and pushes() reads its key on the fake', async () => {
    const fake = await startFakeWecom();
    try {
      const key = fake.newKey();
      group = await createTestGroup({}, { fake, webhookUrl: fake.webhookUrl(key) });
      group.bot.on('text', (ctx) =>
        ctx.push(`via ${ctx.message.robot === 'group' ? new URL(ctx.message.webhookUrl).searchParams.get('key') : ''}`),
      );
      await group.member('a').says('@bot x');
      await group.settle();
      expect(group.webhookKey).toBe(key);
      expect(fake.accepted(key).map((r) => (r.body as { text: unknown }).text)).toEqual([{ content: `via ${key}` }]);
      expect(group.pushTexts()).toEqual([`via ${key}`]);
    } finally {
      await group?.close();
      group = undefined;
      await fake.close();
    }
  });

  it('a Bot without secrets for the robot kind is refused with a clear message', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await expect(createTestGroup(bot)).rejects.toThrow(/no group robot secrets/);
    await bot.close();
  });
});
