import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import {
  createLambdaHandler,
  lambdaRequest,
  scheduledJobName,
  type LambdaHttpV2Event,
  type LambdaResponse,
  type LambdaScheduledEvent,
} from '../../src/runtime/lambda.js';
import { groupCallbackXml, aibotCallbackJson } from '../../src/testing/fake-group/callbacks.js';
import { createTestGroup, randomSecrets } from '../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/server.js';
import { bodyBase64, bodyText, fixture } from './helpers.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('Lambda adapter', () => {
  it('Function URL (payload 2.0) with isBase64Encoded: raw bytes and Chinese survive, raw query kept', async () => {
    const bot = createBot({ group: randomSecrets(), logLevel: 'silent' });
    const group = await createTestGroup(bot);
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    bot.on('text', (ctx) => ctx.reply(`回声：${ctx.text}`));
    const post = group.signer.post(
      '/wecom/callback',
      groupCallbackXml(
        {
          msgId: 'l-1',
          webhookUrl: group.fake.webhookUrl(group.webhookKey),
          chatId: group.chatId,
          chatType: 'group',
          from: { userId: 'u' },
        },
        { kind: 'text', content: '@bot 中文😀 ✓ ¥' },
      ),
      'xml',
    );
    const event = fixture<LambdaHttpV2Event>('lambda-function-url-v2');
    event.rawQueryString = post.rawQuery;
    event.body = bodyBase64(post);
    const translated = lambdaRequest(event);
    expect(Buffer.from(translated.body).equals(Buffer.from(post.body))).toBe(true);
    expect(translated.rawQuery).toBe(post.rawQuery);
    const out = (await createLambdaHandler(bot)(event)) as LambdaResponse;
    expect(out.statusCode).toBe(200);
    expect(group.signer.openReply({ body: out.body }, post)?.content).toBe('回声：中文😀 ✓ ¥');

    // The same event, body not base64-encoded.
    const plain = { ...event, isBase64Encoded: false, body: bodyText(post) };
    const again = (await createLambdaHandler(bot)(plain)) as LambdaResponse;
    expect([again.statusCode, again.body]).toEqual([200, '']); // a retry: deduplicated
  });

  it('URL verification over Function URL', async () => {
    const bot = createBot({ aibot: randomSecrets(), logLevel: 'silent' });
    const group = await createTestGroup(bot, { robot: 'aibot' });
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    const v = group.signer.urlVerification('/wecom/aibot');
    const event = fixture<LambdaHttpV2Event>('lambda-function-url-v2');
    Object.assign(event, { rawPath: '/wecom/aibot', rawQueryString: v.request.rawQuery, body: undefined, isBase64Encoded: false });
    event.requestContext.http.method = 'GET';
    const out = (await createLambdaHandler(bot)(event)) as LambdaResponse;
    expect([out.statusCode, out.body]).toEqual([200, v.echo]);

    bot.on('text', (ctx) => ctx.reply('ai pong'));
    const post = group.signer.post(
      '/wecom/aibot',
      aibotCallbackJson({ msgId: 'ai-1', aibotId: 'a', chatType: 'single', from: { userId: 'u' } }, { kind: 'text', content: 'ping' }),
      'json',
    );
    Object.assign(event, { rawQueryString: post.rawQuery, body: bodyBase64(post), isBase64Encoded: true });
    event.requestContext.http.method = 'POST';
    const res = (await createLambdaHandler(bot)(event)) as LambdaResponse;
    expect(group.signer.openReply({ body: res.body }, post)?.stream?.content).toBe('ai pong');
  });

  it('REST API (payload 1.0) events', async () => {
    const bot = createBot({ group: randomSecrets(), logLevel: 'silent' });
    const group = await createTestGroup(bot);
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    const v = group.signer.urlVerification('/wecom/callback');
    const out = (await createLambdaHandler(bot)({
      httpMethod: 'GET',
      path: '/wecom/callback',
      headers: { Host: 'x.execute-api.ap-east-1.amazonaws.com' },
      queryStringParameters: { ...v.request.query },
      body: null,
      isBase64Encoded: false,
    })) as LambdaResponse;
    expect([out.statusCode, out.body]).toEqual([200, v.echo]);
  });

  it('EventBridge scheduled event runs the job named after the rule', async () => {
    const fake = await startFakeWecom();
    const bot = createBot({ logLevel: 'silent', webhookUrl: fake.url });
    closers.push(
      () => fake.close(),
      () => bot.close(),
    );
    const runs: string[] = [];
    bot.job('daily-report', '0 9 * * *', async (job) => {
      runs.push(job.firedAt.toISOString());
      await job.push('早上好');
    });
    const handler = createLambdaHandler(() => bot);
    const event = fixture<LambdaScheduledEvent>('lambda-eventbridge');
    expect(await handler(event)).toMatchObject({ status: 'ran', name: 'daily-report' });
    expect(await handler(event)).toMatchObject({ status: 'skipped' });
    expect(await handler({ job: 'daily-report', time: '2025-03-05T01:00:00Z' })).toMatchObject({ status: 'ran' });
    expect(await handler({ foo: 1 } as unknown as LambdaScheduledEvent)).toMatchObject({ status: 'unknown' });
    expect(runs).toEqual(['2025-03-03T01:00:00.000Z', '2025-03-05T01:00:00.000Z']);
    expect(fake.accepted().map((r) => r.body)).toEqual([
      { msgtype: 'text', text: { content: '早上好' } },
      { msgtype: 'text', text: { content: '早上好' } },
    ]);
  });

  it('a failing job is retried by the scheduler within the invocation; a job failing every try reports failed', async () => {
    const bot = createBot({ logLevel: 'silent' });
    closers.push(() => bot.close());
    let attempts = 0;
    bot.job({
      name: 'flaky',
      schedule: '*/5 * * * *',
      handler: (job) => {
        attempts++;
        if (job.attempt === 1) throw new Error('first try fails');
      },
    });
    bot.job({ name: 'broken', schedule: '*/5 * * * *', attempts: 1, handler: () => Promise.reject(new Error('always')) });
    const handler = createLambdaHandler(bot);
    expect(await handler({ job: 'flaky', time: '2025-03-03T01:00:00Z' })).toMatchObject({ status: 'ran', attempts: 2 });
    expect(await handler({ job: 'flaky', time: '2025-03-03T01:00:00Z' })).toMatchObject({ status: 'skipped', reason: 'already-ran' });
    expect(attempts).toBe(2);
    expect(await handler({ job: 'broken', time: '2025-03-03T01:00:00Z' })).toMatchObject({
      status: 'failed',
      name: 'broken',
      error: expect.stringContaining('always'),
    });
  });

  it('job names from rule and schedule ARNs', () => {
    expect(scheduledJobName({ resources: ['arn:aws:events:us-east-1:1:rule/my-bus/weekly'] })).toBe('weekly');
    expect(scheduledJobName({ resources: ['arn:aws:scheduler:us-east-1:1:schedule/default/nightly'] })).toBe('nightly');
    expect(scheduledJobName({ detail: { job: 'x' }, resources: ['arn:aws:events:r:1:rule/y'] })).toBe('x');
    expect(scheduledJobName({})).toBeUndefined();
  });
});
