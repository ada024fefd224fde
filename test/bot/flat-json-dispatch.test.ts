/**
 * The flat JSON dialect through `bot.handle`: refused with a hint when off; when on, the same
 * routing, de-duplication and replies as an encrypted callback, answered in the clear.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { signFlatJsonBody } from '../../src/bot/flat-json.js';
import { botRequest } from '../../src/bot/request.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';

const SECRET = 'flat-json-shared-secret-1';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(flat: boolean, reply: 'webhook' | 'response' = 'webhook'): Promise<{ bot: Bot; fake: FakeWecom; key: string }> {
  const fake = await startFakeWecom();
  const key = fake.newKey();
  const bot = createBot({
    group: randomSecrets(),
    logLevel: 'silent',
    ...(flat ? { flatJson: { sharedSecret: SECRET, allowedOrigins: [fake.baseUrl], reply } } : {}),
  });
  bot.command('ping', (ctx) => ctx.reply(`pong ${ctx.from.name ?? ''}`.trim()));
  closers.push(
    () => fake.close(),
    () => bot.close(),
  );
  return { bot, fake, key };
}

function flatBody(fake: FakeWecom, key: string, content: string, msgId = 'flat-1'): string {
  return JSON.stringify({
    msgType: 'text',
    msgContent: content,
    chatId: 'wrFLATCHAT',
    botKey: key,
    hookUrl: fake.webhookUrl(key),
    botName: 'bot',
    userName: 'alice',
    msgId,
    chatType: 'group',
    chatInfoUrl: `${fake.baseUrl}/cgi-bin/webhook/get_chat_info?code=c1`,
  });
}

function signed(body: string, secret = SECRET) {
  const ts = Math.floor(Date.now() / 1000);
  return botRequest({
    method: 'POST',
    url: '/wecom/callback',
    headers: {
      'content-type': 'application/json',
      'x-wecombot-timestamp': String(ts),
      'x-wecombot-signature': signFlatJsonBody(body, secret, ts),
    },
    body,
  });
}

describe('flat JSON callbacks', () => {
  it('off: refused with 415 and a hint, the handler never runs', async () => {
    const { bot, fake, key } = await setup(false);
    const res = await bot.handle(signed(flatBody(fake, key, '@bot ping')));
    expect(res.status).toBe(415);
    expect(res.body).toContain('bot_flat_json_disabled');
    expect(fake.accepted(key)).toEqual([]);
  });

  it('on: a signed callback is handled; the reply goes through hookUrl with chatid; the answer is 200 {}', async () => {
    const { bot, fake, key } = await setup(true);
    const res = await bot.handle(signed(flatBody(fake, key, '@bot ping')));
    expect([res.status, res.body]).toEqual([200, '{}']);
    await res.pending;
    await bot.idle();
    const pushed = fake.accepted(key).map((r) => r.body as { chatid?: string; text?: { content: string } });
    expect(pushed).toEqual([expect.objectContaining({ chatid: 'wrFLATCHAT', text: expect.objectContaining({ content: 'pong alice' }) })]);
  });

  it('on: a retry with the same msgId is acknowledged and not handled again', async () => {
    const { bot, fake, key } = await setup(true);
    const body = flatBody(fake, key, '@bot ping', 'flat-dup');
    await (
      await bot.handle(signed(body))
    ).pending;
    const again = await bot.handle(signed(body));
    expect([again.status, again.body]).toEqual([200, '{}']);
    await bot.idle();
    expect(fake.accepted(key)).toHaveLength(1);
  });

  it('on, reply: response: a text reply is the HTTP answer {msgType, msgContent}', async () => {
    const { bot, fake, key } = await setup(true, 'response');
    const res = await bot.handle(signed(flatBody(fake, key, 'ping')));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ msgType: 'text', msgContent: 'pong alice' });
    await bot.idle();
    expect(fake.accepted(key)).toEqual([]);
  });

  it('on: a wrong signature is 401, a malformed body 400; secrets stay out of the answer', async () => {
    const { bot, fake, key } = await setup(true);
    const forged = await bot.handle(signed(flatBody(fake, key, '@bot ping'), 'another-secret-of-16'));
    expect(forged.status).toBe(401);
    expect(forged.body).not.toContain(SECRET);
    const broken = await bot.handle(signed('{"msgType":"text","msgContent":'));
    expect(broken.status).toBe(400);
    expect(fake.accepted(key)).toEqual([]);
  });
});
