import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { serveNode, type NodeServer } from '../../src/runtime/node.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { captureLogger, gate } from '../bot/helpers.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function start(options: { ackBudgetMs?: number } = {}) {
  const logs = captureLogger();
  const bot = createBot({ group: randomSecrets(), aibot: randomSecrets(), logger: logs.logger, ...options });
  const server: NodeServer = await serveNode(bot, { port: 0 });
  const group: TestGroup = await createTestGroup(bot, { url: server.url });
  closers.push(
    () => server.close(),
    () => group.close(),
  );
  return { bot, server, group, logs };
}

function raw(url: string, method: string, body?: Buffer): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('Node runtime', () => {
  it('serves GET/POST /wecom/callback, POST /wecom/aibot and GET /healthz', async () => {
    const { bot, server, group } = await start();
    bot.command('ping', (ctx) => ctx.reply('pong'));
    expect(await group.verifyUrl()).toMatchObject({ status: 200 });
    const v = await group.verifyUrl();
    expect(v.body).toBe(v.echo);
    const ex = await group.member('alice').says('@bot ping');
    expect(ex.reply?.content).toBe('pong');
    const ai = await createTestGroup(bot, { robot: 'aibot', url: server.url, fake: group.fake });
    expect((await ai.member('bob').says('ping')).reply?.stream?.content).toBe('pong');
    await ai.close();
    expect(await raw(`${server.url}/healthz`, 'GET')).toMatchObject({ status: 200, body: 'ok' });
    expect(await raw(`${server.url}/healthz`, 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('wrong method, unknown path and oversized bodies get 4xx without crashing the server', async () => {
    const { server, group } = await start();
    expect(await raw(`${server.url}/wecom/callback`, 'DELETE')).toMatchObject({ status: 405 });
    expect(await raw(`${server.url}/nope`, 'POST', Buffer.from('x'))).toMatchObject({ status: 404 });
    expect(
      await raw(`${server.url}/wecom/callback?msg_signature=a&timestamp=1&nonce=1`, 'POST', Buffer.alloc(2 * 1024 * 1024, 0x41)),
    ).toMatchObject({ status: 413 });
    // Still serving.
    expect((await group.verifyUrl()).status).toBe(200);
  });

  it('a slow handler: the 200 goes out at the budget, the answer follows by webhook, in that order', async () => {
    const { bot, group } = await start({ ackBudgetMs: 100 });
    const started = gate();
    const release = gate();
    bot.command('report', async (ctx) => {
      started.open();
      await release.promise; // the handler takes as long as the test wants (8 s in production terms)
      await ctx.reply('报表已生成');
    });
    const ex = await group.member('alice').says('@bot report');
    // The HTTP response arrived while the handler is still blocked.
    await started.promise;
    expect([ex.status, ex.response.body]).toEqual([200, '']);
    expect(group.pushes()).toEqual([]);
    release.open();
    const pushes = await group.waitForPushes(1);
    expect(pushes[0]).toMatchObject({ msgtype: 'text', text: { content: '报表已生成' }, chatid: group.chatId });
  });

  it('close() waits for late work before closing the bot', async () => {
    const logs = captureLogger();
    const bot = createBot({ group: randomSecrets(), logger: logs.logger, ackBudgetMs: 50 });
    const server = await serveNode(bot, { port: 0 });
    const group = await createTestGroup(bot, { url: server.url });
    const release = gate();
    bot.on('text', async (ctx) => {
      await release.promise;
      await ctx.reply('done');
    });
    await group.member('a').says('@bot x');
    const closed = server.close();
    release.open();
    await closed;
    expect(group.pushTexts()).toEqual(['done']);
    await group.close();
  });
});
