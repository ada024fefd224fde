import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { botRequest } from '../../src/bot/request.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { captureLogger } from './helpers.js';

let group: TestGroup | undefined;
afterEach(async () => {
  await group?.close();
  group = undefined;
});

async function setup() {
  const secrets = randomSecrets();
  const logs = captureLogger([secrets.token, secrets.encodingAesKey]);
  const bot = createBot({ group: secrets, logger: logs.logger });
  let handled = 0;
  bot.on('message', async (ctx) => {
    handled++;
    await ctx.reply('ok');
  });
  group = await createTestGroup(bot);
  return { bot, group, logs, secrets, handled: () => handled };
}

const fields = (msgId: string) => ({
  msgId,
  webhookUrl: 'http://127.0.0.1:1/cgi-bin/webhook/send?key=k',
  chatId: 'wrC',
  chatType: 'group',
  from: { userId: 'u' },
});

describe('bad input gets a 4xx with a clear log line, never a crash', () => {
  it('wrong signature → 401', async () => {
    const { group, logs, secrets, handled } = await setup();
    const req = group.signer.post('/wecom/callback', groupCallbackXml(fields('m1'), { kind: 'text', content: 'hi' }), 'xml', {
      signature: '0'.repeat(40),
    });
    const ex = await group.send(req);
    expect(ex.status).toBe(401);
    expect(ex.response.body).toContain('bot_signature_mismatch');
    expect(handled()).toBe(0);
    const line = logs.lines.find((l) => l.code === 'bot_signature_mismatch');
    expect(line?.msg).toMatch(/signature mismatch/);
    expect(String(line?.hint)).toMatch(/WECOM_TOKEN/);
    expect(logs.raw.join('')).not.toContain(secrets.token);
  });

  it('stale timestamp → 401', async () => {
    const { group, handled } = await setup();
    const old = Math.floor(Date.now() / 1000) - 3600;
    const req = group.signer.post('/wecom/callback', groupCallbackXml(fields('m2'), { kind: 'text', content: 'hi' }), 'xml', {
      timestamp: old,
    });
    const ex = await group.send(req);
    expect(ex.status).toBe(401);
    expect(ex.response.body).toContain('bot_timestamp_stale');
    expect(handled()).toBe(0);
  });

  it('undecryptable body (signed, but not our key) → 400', async () => {
    const { group, secrets, logs } = await setup();
    const other = createTestGroup(
      createBot({ group: { token: secrets.token, encodingAesKey: randomSecrets().encodingAesKey }, logLevel: 'silent' }),
    );
    const stranger = await other;
    const req = stranger.signer.post('/wecom/callback', groupCallbackXml(fields('m3'), { kind: 'text', content: 'hi' }), 'xml');
    const ex = await group.send(req);
    await stranger.close();
    expect(ex.status).toBe(400);
    expect(ex.response.body).toContain('bot_undecryptable');
    expect(logs.lines.some((l) => l.code === 'bot_undecryptable' && String(l.hint).includes('WECOM_ENCODING_AES_KEY'))).toBe(true);
  });

  it('oversized body → 413', async () => {
    const { group } = await setup();
    const req = botRequest({
      method: 'POST',
      url: '/wecom/callback?msg_signature=a&timestamp=1&nonce=2',
      body: new Uint8Array(1024 * 1024 + 1),
    });
    const ex = await group.send(req);
    expect(ex.status).toBe(413);
  });

  it('malformed envelope and missing query → 400', async () => {
    const { group } = await setup();
    expect(
      (await group.send(botRequest({ method: 'POST', url: '/wecom/callback?msg_signature=a&timestamp=1&nonce=2', body: '<xml><Encrypt>' })))
        .status,
    ).toBe(400);
    expect(
      (await group.send(botRequest({ method: 'POST', url: '/wecom/callback?msg_signature=a&timestamp=1&nonce=2', body: 'hello' }))).status,
    ).toBe(400);
    expect(
      (await group.send(botRequest({ method: 'POST', url: '/wecom/callback', body: '<xml><Encrypt>abc</Encrypt></xml>' }))).status,
    ).toBe(400);
    expect((await group.send(botRequest({ method: 'GET', url: '/wecom/callback' }))).status).toBe(400);
    expect(
      (await group.send(botRequest({ method: 'POST', url: '/wecom/callback?msg_signature=a&timestamp=1&nonce=2', body: '' }))).status,
    ).toBe(400);
  });

  it('wrong method → 405 with Allow; unknown path → 404; health → 200', async () => {
    const { group } = await setup();
    const put = await group.send(botRequest({ method: 'PUT', url: '/wecom/callback', body: 'x' }));
    expect(put.status).toBe(405);
    expect(put.response.headers.allow).toBe('GET, POST');
    expect((await group.send(botRequest({ method: 'POST', url: '/elsewhere' }))).status).toBe(404);
    expect((await group.send(botRequest({ method: 'POST', url: '/wecom/aibot' }))).status).toBe(404);
    const health = await group.send(botRequest({ method: 'GET', url: '/healthz' }));
    expect([health.status, health.response.body]).toEqual([200, 'ok']);
  });

  it('unknown message type → logged and acknowledged with 200', async () => {
    const { group, logs, handled } = await setup();
    const ex = await group.sendGroupEvent({ kind: 'raw-type', msgType: 'hologram' }, { userId: 'u' });
    expect(ex.status).toBe(200);
    expect(ex.reply).toBeUndefined();
    expect(handled()).toBe(0);
    expect(logs.lines.some((l) => l.rawType === 'hologram' && /unknown callback type/.test(String(l.msg)))).toBe(true);
  });

  it('handler exceptions go to bot.catch and WeCom still gets 200', async () => {
    const secrets = randomSecrets();
    const bot = createBot({ group: secrets, logLevel: 'silent' });
    const caught: string[] = [];
    bot.catch((err) => void caught.push(`${err.ctx.text}:${(err.error as Error).message}`));
    bot.on('text', () => {
      throw new Error('kaput');
    });
    group = await createTestGroup(bot);
    const ex = await group.member('alice').says('@bot 坏了');
    expect(ex.status).toBe(200);
    expect(ex.reply).toBeUndefined();
    expect(caught).toEqual(['坏了:kaput']);
  });

  it('logs never carry the token, the AES key or a webhook key', async () => {
    const secrets = randomSecrets();
    const logs = captureLogger([secrets.token, secrets.encodingAesKey]);
    const bot = createBot({ group: secrets, logger: logs.logger });
    group = await createTestGroup(bot);
    bot.use(() => {
      throw new Error(`push to https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY123 failed (${secrets.token})`);
    });
    bot.catch((err) => err.ctx.log.error({ err: err.error, webhookUrl: 'https://x/send?key=SECRETKEY123' }, 'handler failed'));
    await group.member('a').says('@bot boom');
    const all = logs.raw.join('');
    expect(all).toContain('handler failed');
    expect(all).toContain('key=***');
    for (const secret of ['SECRETKEY123', secrets.token, secrets.encodingAesKey]) expect(all).not.toContain(secret);
  });

  it('a failing bot.catch is logged, not thrown', async () => {
    const secrets = randomSecrets();
    const logs = captureLogger();
    const bot = createBot({ group: secrets, logger: logs.logger });
    bot.catch(() => {
      throw new Error('catch broke');
    });
    bot.use(() => {
      throw new Error('handler broke');
    });
    group = await createTestGroup(bot);
    expect((await group.member('a').says('@bot x')).status).toBe(200);
    expect(logs.lines.some((l) => l.msg === 'bot.catch handler failed')).toBe(true);
  });
});
