import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import {
  createScfHandler,
  scfRequest,
  timerJobName,
  type ScfHttpEvent,
  type ScfResponse,
  type ScfTimerEvent,
} from '../../src/runtime/scf.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/server.js';
import type { FakeWecom } from '../../src/testing/fake-wecom/types.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { captureLogger, gate } from '../bot/helpers.js';
import { bodyBase64, bodyText, decodedQuery, fixture } from './helpers.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function setup(ackBudgetMs?: number) {
  const bot = createBot({ group: randomSecrets(), logLevel: 'silent', ...(ackBudgetMs ? { ackBudgetMs } : {}) });
  const group: TestGroup = await createTestGroup(bot);
  closers.push(
    () => group.close(),
    () => bot.close(),
  );
  return { bot, group, handler: createScfHandler(bot) };
}

describe('SCF adapter', () => {
  it('Function URL event with a base64 body: Chinese survives byte for byte, reply encrypted', async () => {
    const { bot, group, handler } = await setup();
    bot.on('text', (ctx) => ctx.reply(`收到：${ctx.text}`));
    const real = groupCallbackXml(
      {
        msgId: 'scf-1',
        webhookUrl: group.fake.webhookUrl(group.webhookKey),
        chatId: group.chatId,
        chatType: 'group',
        from: { userId: 'alice' },
      },
      { kind: 'text', content: '@bot 你好，\u2028世界 🌏 \u00ff' },
    );
    const post = group.signer.post('/', real, 'xml');
    const event = fixture<ScfHttpEvent>('scf-function-url');
    event.body = bodyBase64(post);
    event.isBase64Encoded = true;
    event.queryString = decodedQuery(post);
    expect(Buffer.from(scfRequest(event).body).equals(Buffer.from(post.body))).toBe(true);
    const out = (await handler(event)) as ScfResponse;
    expect(out.statusCode).toBe(200);
    expect(out.isBase64Encoded).toBe(false);
    expect(group.signer.openReply({ body: out.body }, post)?.content).toBe('收到：你好，\u2028世界 🌏 \u00ff');
  });

  it('legacy API Gateway event: capitalised headers, plain body, decoded query with + in echostr', async () => {
    const { group, handler } = await setup();
    // Force an echostr containing '+', '/' and '=' (base64) and check it survives the decoded-query path.
    let verification = group.signer.urlVerification('/wecom');
    for (let i = 0; i < 50 && !/[+]/.test(verification.request.query.echostr ?? ''); i++)
      verification = group.signer.urlVerification('/wecom');
    expect(verification.request.query.echostr).toMatch(/\+/);
    const event = fixture<ScfHttpEvent>('scf-api-gateway');
    event.httpMethod = 'GET';
    event.body = '';
    event.queryString = decodedQuery(verification.request);
    const out = (await handler(event)) as ScfResponse;
    expect([out.statusCode, out.body]).toEqual([200, verification.echo]);

    const post = group.signer.post(
      '/wecom',
      groupCallbackXml(
        {
          msgId: 'apigw-1',
          webhookUrl: group.fake.webhookUrl(group.webhookKey),
          chatId: group.chatId,
          chatType: 'group',
          from: { userId: 'u' },
        },
        { kind: 'text', content: '@bot ping' },
      ),
      'xml',
    );
    group.bot.command('ping', (ctx) => ctx.reply('pong'));
    const ev2 = fixture<ScfHttpEvent>('scf-api-gateway');
    ev2.body = bodyText(post);
    ev2.queryString = decodedQuery(post);
    const res = (await handler(ev2)) as ScfResponse;
    expect(group.signer.openReply({ body: res.body }, post)?.content).toBe('pong');
  });

  it('a gateway that form-decoded + into a space still verifies', async () => {
    const { group, handler } = await setup();
    let v = group.signer.urlVerification('/');
    while (!/[+]/.test(v.request.query.echostr ?? '')) v = group.signer.urlVerification('/');
    const event = fixture<ScfHttpEvent>('scf-function-url');
    event.httpMethod = 'GET';
    event.queryString = { ...decodedQuery(v.request), echostr: (v.request.query.echostr ?? '').replace(/\+/g, ' ') };
    const out = (await handler(event)) as ScfResponse;
    expect([out.statusCode, out.body]).toEqual([200, v.echo]);
  });

  it('late work finishes before the handler returns: the 200 is decided at the budget, the answer is already pushed', async () => {
    const logs = captureLogger();
    const bot = createBot({ group: randomSecrets(), logger: logs.logger, ackBudgetMs: 50 });
    const group = await createTestGroup(bot);
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    const handler = createScfHandler(bot);
    const started = gate();
    const release = gate();
    bot.on('text', async (ctx) => {
      started.open();
      await release.promise;
      await ctx.reply('late answer');
    });
    const post = group.signer.post(
      '/',
      groupCallbackXml(
        {
          msgId: 'late-1',
          webhookUrl: group.fake.webhookUrl(group.webhookKey),
          chatId: group.chatId,
          chatType: 'group',
          from: { userId: 'u' },
        },
        { kind: 'text', content: '@bot slow' },
      ),
      'xml',
    );
    const event = fixture<ScfHttpEvent>('scf-function-url');
    event.body = bodyText(post);
    event.queryString = decodedQuery(post);
    let returned = false;
    const p = handler(event).then((r) => {
      returned = true;
      return r as ScfResponse;
    });
    await started.promise;
    // The core decides the empty 200 at the budget (logged), yet the function has not returned.
    while (!logs.lines.some((l) => l.msg === 'callback answered' && l.reason === 'budget')) await new Promise((r) => setTimeout(r, 5));
    expect(returned).toBe(false);
    expect(group.pushes()).toEqual([]);
    release.open();
    const out = await p;
    expect([out.statusCode, out.body]).toEqual([200, '']);
    // Delivered before the function returned, so a frozen instance loses nothing.
    expect(group.pushTexts()).toEqual(['late answer']);
  });

  it('Timer event runs the job named by TriggerName (or Message {"job"}), once per fire time', async () => {
    const fake: FakeWecom = await startFakeWecom();
    closers.push(() => fake.close());
    const bot = createBot({ logLevel: 'silent', webhookUrl: fake.url });
    closers.push(() => bot.close());
    const runs: string[] = [];
    bot.job('daily-report', '0 0 9 * * MON-FRI *', async (job) => {
      runs.push(`${job.name}@${job.firedAt.toISOString()}`);
      await job.push({ markdown: '**日报**' });
    });
    const handler = createScfHandler(() => bot);
    const timer = fixture<ScfTimerEvent>('scf-timer');
    expect(await handler(timer)).toMatchObject({ status: 'ran', name: 'daily-report' });
    expect(await handler(timer)).toMatchObject({ status: 'skipped' });
    expect(
      await handler({ ...timer, TriggerName: 'other', Message: '{"job":"daily-report"}', Time: '2025-03-04T01:00:00Z' }),
    ).toMatchObject({ status: 'ran' });
    expect(await handler({ ...timer, TriggerName: 'nope' })).toMatchObject({ status: 'unknown' });
    expect(runs).toEqual(['daily-report@2025-03-03T01:00:00.000Z', 'daily-report@2025-03-04T01:00:00.000Z']);
    expect(fake.accepted().map((r) => r.body)).toEqual([
      { msgtype: 'markdown', markdown: { content: '**日报**' } },
      { msgtype: 'markdown', markdown: { content: '**日报**' } },
    ]);
  });

  it('translation helpers', () => {
    expect(timerJobName({ Type: 'Timer', TriggerName: 't', Time: '', Message: 'not json' })).toBe('t');
    const r = scfRequest({ httpMethod: 'post', headers: { 'Content-Type': 'a' }, queryString: { a: ['1', '2'], b: 'x y+z' } });
    expect(r).toMatchObject({
      method: 'POST',
      path: '/',
      rawQuery: 'a=1&b=x%20y%2Bz',
      query: { a: '1', b: 'x y+z' },
      headers: { 'content-type': 'a' },
    });
  });
});
