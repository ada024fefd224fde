/**
 * The 20-second WelcomeCode end to end: a customer:add callback (signed, encrypted) whose
 * handler calls send_welcome_msg on the fake corp API, an expired code, and the SCF adapter
 * finishing the welcome before it returns.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import type { BotResponse } from '../../src/bot/request.js';
import { createScfHandler } from '../../src/runtime/scf.js';
import { startFakeCorp } from '../../src/testing/fake-corp/server.js';
import { createTestCorp } from '../../src/testing/fake-corp/test-corp.js';
import type { FakeCorp } from '../../src/testing/fake-corp/types.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';
import { captureLogger, gate } from './helpers.js';

let fakes: FakeCorp[] = [];
let bots: Bot[] = [];
afterEach(async () => {
  for (const bot of bots) await bot.close();
  for (const fake of fakes) await fake.close();
  bots = [];
  fakes = [];
});

async function setup(fakeOptions: Parameters<typeof startFakeCorp>[0] = {}, botOptions: { ackBudgetMs?: number } = {}) {
  const fake = await startFakeCorp(fakeOptions);
  fakes.push(fake);
  const callback = randomSecrets();
  const logs = captureLogger([callback.token, callback.encodingAesKey, fake.secret]);
  const bot = createBot({
    corp: { corpId: fake.corpId, secret: fake.secret, baseUrl: fake.baseUrl, ...callback },
    logger: logs.logger,
    ...botOptions,
  });
  bots.push(bot);
  return { fake, bot, logs, corp: createTestCorp(bot, { fake }) };
}

describe('ctx.sendWelcome', () => {
  it("sends the welcome with the event's WelcomeCode, within the window, once", async () => {
    const { fake, bot, corp } = await setup();
    const outcomes: unknown[] = [];
    bot.on('customer:add', async (ctx) => {
      outcomes.push(
        await ctx.sendWelcome({
          text: '你好，我是你的专属顾问',
          attachments: [{ msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com/gift' } }],
        }),
      );
    });
    const ex = await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmNEW', state: 'poster', welcome: true });
    await corp.settle();
    expect(ex.body).toBe('success');
    expect(outcomes).toEqual([{ sent: true }]);
    const [welcome] = fake.welcomes();
    expect(welcome).toMatchObject({ welcomeCode: ex.welcomeCode, userid: 'zhangsan', externalUserId: 'wmNEW' });
    expect(welcome?.body).toMatchObject({ text: { content: '你好，我是你的专属顾问' }, attachments: [{ msgtype: 'link' }] });
    // A retry of the same callback is not handled again: no second send_welcome_msg.
    await corp.send(ex.request);
    await corp.settle();
    expect(fake.requests('externalcontact/send_welcome_msg')).toHaveLength(1);
  });

  it('an expired WelcomeCode is logged with its code and a hint, and nothing else fails', async () => {
    let now = Date.now();
    const { fake, bot, corp, logs } = await setup({ now: () => now });
    const caught: unknown[] = [];
    bot.catch((err) => void caught.push(err));
    const after: string[] = [];
    bot.on('customer:add', async (ctx) => {
      const outcome = await ctx.sendWelcome('你好');
      after.push(JSON.stringify(outcome));
      await ctx.store.set(`customer:${ctx.message.externalUserId}`, 'greeted-or-not');
    });
    const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmLATE' });
    now += 21_000; // the fake's clock: the code's 20 seconds are over
    const ex = await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmLATE', welcome: code });
    await corp.settle();
    expect(ex.body).toBe('success');
    expect(caught).toEqual([]);
    expect(after).toEqual([JSON.stringify({ sent: false, reason: 'expired', code: 'wecom_invalid_welcome_code' })]);
    expect(await (await bot.store()).get('customer:wmLATE')).toBe('greeted-or-not');
    const line = logs.lines.find((l) => l.code === 'wecom_invalid_welcome_code');
    expect(line).toMatchObject({ level: 40, errcode: 41050 });
    expect(String(line?.hint).length).toBeGreaterThan(10);
    expect(fake.welcomes()).toEqual([]);
    // The next customer is welcomed as usual.
    await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmNEXT', welcome: true });
    await corp.settle();
    expect(fake.welcomes().map((w) => w.externalUserId)).toEqual(['wmNEXT']);
    expect(logs.raw.join('')).not.toContain(fake.secret);
    for (const token of fake.issuedTokens()) expect(logs.raw.join('')).not.toContain(token);
  });

  it('an already answered code (41051, another app won) resolves already_delivered; no code at all is no_welcome_code', async () => {
    const { fake, bot, corp } = await setup();
    const outcomes: unknown[] = [];
    bot.on('customer:add', async (ctx) => void outcomes.push(await ctx.sendWelcome('hi')));
    const code = fake.issueWelcomeCode({ userid: 'lisi', externalUserId: 'wmTWICE' });
    fake.welcomeCodes.use(code);
    await corp.customerAdded({ userId: 'lisi', externalUserId: 'wmTWICE', welcome: code });
    await corp.customerAdded({ userId: 'lisi', externalUserId: 'wmCONSOLE' });
    await corp.settle();
    expect(outcomes).toEqual([
      { sent: false, reason: 'already_delivered', code: 'wecom_welcome_already_delivered' },
      { sent: false, reason: 'no_welcome_code' },
    ]);
  });

  it('other failures reach bot.catch (the handler decides), and WeCom still gets success', async () => {
    const { fake, bot, corp } = await setup();
    const codes: string[] = [];
    bot.catch((err) => void codes.push(err.code));
    bot.on('customer:add', (ctx) => ctx.sendWelcome('hi'));
    fake.failNext(60020, 1, { endpoint: 'externalcontact/send_welcome_msg' });
    const ex = await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmIP', welcome: true });
    await corp.settle();
    expect([ex.body, codes]).toEqual(['success', ['wecom_untrusted_ip']]);
  });

  it('ctx.corp reaches the rest of the corp API with the shared token (any callback)', async () => {
    const { fake, bot, corp } = await setup();
    let groups = -1;
    bot.on('tag:create', async (ctx) => void (groups = (await ctx.corp.tags.list()).length));
    await corp.tagChanged({ changeType: 'create', id: 'etX' });
    await corp.tagChanged({ changeType: 'create', id: 'etY' });
    await corp.settle();
    expect(groups).toBe(0);
    expect(fake.tokenFetches()).toBe(1);
  });
});

describe('on FaaS', () => {
  it('the SCF adapter returns only after the welcome was accepted, though WeCom got success at the budget', async () => {
    const { fake, bot, corp } = await setup({}, { ackBudgetMs: 1 });
    const answered = gate<BotResponse>();
    bot.on('customer:add', async (ctx) => {
      // The handler waits until the HTTP answer is decided: the welcome is late work.
      await answered.promise;
      await ctx.sendWelcome('你好');
    });
    const handle = bot.handle.bind(bot);
    let welcomesAtAnswer = -1;
    bot.handle = async (req) => {
      const res = await handle(req);
      welcomesAtAnswer = fake.welcomes().length;
      answered.open(res);
      return res;
    };
    const req = corp.request({
      kind: 'customer',
      changeType: 'add_external_contact',
      userId: 'zhangsan',
      externalUserId: 'wmSCF',
      welcomeCode: fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmSCF' }),
    });
    const scf = createScfHandler(bot);
    const res = await scf({
      httpMethod: 'POST',
      path: req.path,
      headers: req.headers as Record<string, string>,
      queryString: { ...req.query },
      body: Buffer.from(req.body).toString('utf8'),
    });
    expect(res).toMatchObject({ statusCode: 200, body: 'success' });
    expect(welcomesAtAnswer).toBe(0);
    expect(fake.welcomes().map((w) => w.externalUserId)).toEqual(['wmSCF']);
  });
});
