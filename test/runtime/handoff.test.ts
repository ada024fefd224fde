/**
 * Late work on FaaS event functions: a 6-second handler on the SCF and Lambda adapters. The HTTP
 * invocation answers WeCom without running the handler and queues the request with the
 * platform's Invoke API (loopback fakes that check the TC3 / SigV4 signature with their own
 * implementation of the spec); the asynchronous invocation the fake then starts runs the
 * handler once and delivers its reply through the webhook.
 */
import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { selfInvokeUnavailable } from '../../src/runtime/async-invoke/self-invoke.js';
import { createLambdaHandler } from '../../src/runtime/lambda.js';
import { createScfHandler, type ScfResponse } from '../../src/runtime/scf.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { listenFake } from '../../src/testing/listen.js';
import { readBody } from '../../src/testing/read-body.js';
import { captureLogger } from '../bot/helpers.js';
import { bodyBase64, decodedQuery } from './helpers.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const mac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

/** TC3-HMAC-SHA256 as the SCF API checks it, from the request as received. */
function tc3Valid(req: IncomingMessage, body: string, secretId: string, secretKey: string): boolean {
  const auth = String(req.headers.authorization);
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/scf\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m || m[1] !== secretId || m[3] !== 'content-type;host') return false;
  const ts = String(req.headers['x-tc-timestamp']);
  if (new Date(Number(ts) * 1000).toISOString().slice(0, 10) !== m[2]) return false;
  const canonical = `POST\n/\n\ncontent-type:${String(req.headers['content-type'])}\nhost:${String(req.headers.host)}\n\ncontent-type;host\n${sha(body)}`;
  const toSign = `TC3-HMAC-SHA256\n${ts}\n${m[2]}/scf/tc3_request\n${sha(canonical)}`;
  const key = mac(mac(mac('TC3' + secretKey, m[2] as string), 'scf'), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === m[4];
}

/** SigV4 as Lambda checks it (path segments encoded twice in the canonical URI). */
function sigV4Valid(req: IncomingMessage, body: string, accessKeyId: string, secret: string, region: string): boolean {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/lambda\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!m || m[1] !== accessKeyId || m[3] !== region) return false;
  const signed = (m[4] as string).split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date') || !signed.includes('x-amz-invocation-type')) return false;
  const headers = signed.map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join('');
  const uri = (req.url ?? '/')
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  const canonical = `POST\n${uri}\n\n${headers}\n${m[4]}\n${sha(body)}`;
  const toSign = `AWS4-HMAC-SHA256\n${String(req.headers['x-amz-date'])}\n${m[2]}/${region}/lambda/aws4_request\n${sha(canonical)}`;
  const key = mac(mac(mac(mac('AWS4' + secret, m[2] as string), region), 'lambda'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === m[5];
}

interface Queued {
  event: unknown;
  validSignature: boolean;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** A fake invoke endpoint: checks the signature, queues the event, answers as the platform does. */
async function fakeInvokeApi(platform: 'scf' | 'lambda', check: (req: IncomingMessage, body: string) => boolean) {
  const queued: Queued[] = [];
  const { server, baseUrl } = await listenFake(async (req, res) => {
    const raw = (await readBody(req))?.toString('utf8') ?? '';
    const validSignature = check(req, raw);
    const body = JSON.parse(raw) as Record<string, unknown>;
    if (!validSignature) {
      res.writeHead(platform === 'scf' ? 200 : 403, { 'content-type': 'application/json' });
      res.end(JSON.stringify(platform === 'scf' ? { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'bad' } } } : {}));
      return;
    }
    const event = platform === 'scf' ? JSON.parse(String(body.ClientContext)) : body;
    queued.push({ event, validSignature, headers: req.headers, body });
    res.writeHead(platform === 'scf' ? 200 : 202, { 'content-type': 'application/json' });
    res.end(platform === 'scf' ? JSON.stringify({ Response: { Result: { FunctionRequestId: 'r-1' }, RequestId: 'q-1' } }) : '');
  }, {});
  closers.push(() => new Promise((r) => server.close(r)));
  return { baseUrl, queued };
}

/** A signed group callback with this MsgId and text, for the group's own bot. */
function signedText(group: TestGroup, msgId: string, content: string) {
  const fields = {
    msgId,
    webhookUrl: group.fake.webhookUrl(group.webhookKey),
    chatId: group.chatId,
    chatType: 'group',
    from: { userId: 'u' },
  };
  return group.signer.post('/', groupCallbackXml(fields, { kind: 'text', content }), 'xml');
}

/** The SCF API Gateway event of a signed callback. */
function scfEvent(post: ReturnType<typeof signedText>) {
  return {
    httpMethod: 'POST',
    path: '/',
    headers: {},
    queryString: decodedQuery(post),
    body: bodyBase64(post),
    isBase64Encoded: true,
  };
}

async function slowBot() {
  const bot = createBot({ group: randomSecrets(), logLevel: 'silent' });
  const group = await createTestGroup(bot);
  closers.push(
    () => group.close(),
    () => bot.close(),
  );
  let runs = 0;
  bot.on('text', async (ctx) => {
    runs++;
    await new Promise((r) => setTimeout(r, 6000));
    await ctx.reply(`done: ${ctx.text}`);
  });
  const post = signedText(group, `slow-${Math.random()}`, '@bot 慢任务');
  return { bot, group, post, runs: () => runs };
}

const context = (ms = 15000) => {
  const end = Date.now() + ms;
  return {
    getRemainingTimeInMillis: () => end - Date.now(),
    invokedFunctionArn: 'arn:aws:lambda:ap-east-1:123456789012:function:wecombot:live',
  };
};

describe('late work handed to an asynchronous invocation', () => {
  it('SCF: the 200 comes back before the 6 s handler runs; the Event invocation runs it once and its reply arrives once', async () => {
    const creds = { id: 'AKIDtest', key: 'tc3-secret-key', token: 'role-session-token' };
    const api = await fakeInvokeApi('scf', (req, body) => tc3Valid(req, body, creds.id, creds.key));
    const { bot, group, post, runs } = await slowBot();
    const handler = createScfHandler(bot, {
      env: {
        SCF_FUNCTIONNAME: 'wecombot',
        SCF_NAMESPACE: 'default',
        SCF_FUNCTIONVERSION: '$LATEST',
        TENCENTCLOUD_REGION: 'ap-guangzhou',
        TENCENTCLOUD_SECRETID: creds.id,
        TENCENTCLOUD_SECRETKEY: creds.key,
        TENCENTCLOUD_SESSIONTOKEN: creds.token,
        WECOMBOT_SCF_INVOKE_ENDPOINT: api.baseUrl,
      },
    });
    const res = (await handler(scfEvent(post), context())) as ScfResponse;
    expect([res.statusCode, res.body]).toEqual([200, '']);
    // Answered without running the handler: whatever it takes cannot delay the answer.
    expect(runs()).toBe(0);
    expect(api.queued).toHaveLength(1);
    const q = api.queued[0] as Queued;
    expect(q.validSignature).toBe(true);
    expect(q.headers['x-tc-action']).toBe('Invoke');
    expect(q.headers['x-tc-token']).toBe(creds.token);
    expect(q.body).toMatchObject({ FunctionName: 'wecombot', InvocationType: 'Event', Namespace: 'default', Qualifier: '$LATEST' });
    expect(group.fake.accepted(group.webhookKey)).toHaveLength(0);

    // The platform runs the queued event (twice here, as an at-least-once queue may).
    const out = await handler(q.event as never, context());
    expect(out).toMatchObject({ status: 'handled', statusCode: 200 });
    const again = await handler(q.event as never, context());
    expect(again).toMatchObject({ status: 'handled' });
    expect(runs()).toBe(1);
    const sent = group.fake.accepted(group.webhookKey).map((r) => r.body);
    expect(sent).toEqual([expect.objectContaining({ text: expect.objectContaining({ content: 'done: 慢任务' }) })]);
  }, 20000);

  it('Lambda: the same with InvocationType Event, SigV4 and the alias of the running function', async () => {
    const creds = { id: 'ASIATEST', key: 'aws-secret', token: 'aws-session-token' };
    const api = await fakeInvokeApi('lambda', (req, body) => sigV4Valid(req, body, creds.id, creds.key, 'ap-east-1'));
    const { bot, group, post, runs } = await slowBot();
    const handler = createLambdaHandler(bot, {
      env: {
        AWS_LAMBDA_FUNCTION_NAME: 'wecombot',
        AWS_REGION: 'ap-east-1',
        AWS_ACCESS_KEY_ID: creds.id,
        AWS_SECRET_ACCESS_KEY: creds.key,
        AWS_SESSION_TOKEN: creds.token,
        WECOMBOT_LAMBDA_INVOKE_ENDPOINT: api.baseUrl,
      },
    });
    const event = {
      version: '2.0' as const,
      rawPath: '/',
      rawQueryString: post.rawQuery,
      headers: {},
      body: bodyBase64(post),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    };
    const res = (await handler(event, context())) as { statusCode: number; body: string };
    expect([res.statusCode, res.body]).toEqual([200, '']);
    expect(runs()).toBe(0);
    const q = api.queued[0] as Queued;
    expect(q.validSignature).toBe(true);
    expect(q.headers['x-amz-invocation-type']).toBe('Event');
    expect(q.headers['x-amz-security-token']).toBe(creds.token);
    await handler(q.event as never, context());
    await handler(q.event as never, context());
    expect(runs()).toBe(1);
    expect(group.fake.accepted(group.webhookKey).map((r) => r.body)).toEqual([
      expect.objectContaining({ text: expect.objectContaining({ content: 'done: 慢任务' }) }),
    ]);
  }, 20000);

  it('a refused Invoke (bad signature, missing permission) falls back to handling in the invocation', async () => {
    const api = await fakeInvokeApi('scf', () => false);
    const bot = createBot({ group: randomSecrets(), logLevel: 'silent' });
    const group = await createTestGroup(bot);
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    bot.on('text', (ctx) => ctx.reply('fast'));
    const handler = createScfHandler(bot, {
      env: {
        SCF_FUNCTIONNAME: 'wecombot',
        TENCENTCLOUD_REGION: 'ap-guangzhou',
        TENCENTCLOUD_SECRETID: 'id',
        TENCENTCLOUD_SECRETKEY: 'key',
        WECOMBOT_SCF_INVOKE_ENDPOINT: api.baseUrl,
      },
    });
    const post = group.signer.post(
      '/',
      groupCallbackXml(
        {
          msgId: 'fallback-1',
          webhookUrl: group.fake.webhookUrl(group.webhookKey),
          chatId: group.chatId,
          chatType: 'group',
          from: { userId: 'u' },
        },
        { kind: 'text', content: '@bot hi' },
      ),
      'xml',
    );
    const res = (await handler(
      { httpMethod: 'POST', path: '/', headers: {}, queryString: decodedQuery(post), body: bodyBase64(post), isBase64Encoded: true },
      context(),
    )) as ScfResponse;
    expect(api.queued).toHaveLength(0);
    expect(group.signer.openReply({ body: res.body }, post)?.content).toBe('fast');
  });
});

describe('a deployed function without role credentials', () => {
  const WARNING = 'no credentials for handing callbacks to an asynchronous invocation';

  async function fastBot() {
    const logs = captureLogger([], 'info');
    const bot = createBot({ group: randomSecrets(), logger: logs.logger });
    const group = await createTestGroup(bot);
    closers.push(
      () => group.close(),
      () => bot.close(),
    );
    let runs = 0;
    bot.on('text', (ctx) => {
      runs++;
      return ctx.reply('answered in the HTTP invocation');
    });
    const post = (n: number) => signedText(group, `no-role-${n}-${Math.random()}`, '@bot hi');
    const warnings = () => logs.lines.filter((l) => String(l.msg).startsWith(WARNING));
    return { bot, group, post, warnings, runs: () => runs };
  }

  it('SCF: warns once per instance, naming the variables and the role, and handles each callback in its invocation', async () => {
    const { bot, group, post, warnings, runs } = await fastBot();
    const handler = createScfHandler(bot, {
      env: { SCF_FUNCTIONNAME: 'wecombot', SCF_NAMESPACE: 'default', TENCENTCLOUD_REGION: 'ap-guangzhou' },
    });
    for (const n of [1, 2, 3]) {
      const p = post(n);
      const res = (await handler(scfEvent(p), context())) as ScfResponse;
      // The documented fallback: handled here, the reply passive in the answer.
      expect(group.signer.openReply({ body: res.body }, p)?.content).toBe('answered in the HTTP invocation');
    }
    expect(runs()).toBe(3);
    expect(warnings()).toHaveLength(1);
    const w = warnings()[0]!;
    expect(w.level).toBe(40);
    expect(w.missing).toEqual(['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'TENCENTCLOUD_SESSIONTOKEN']);
    expect(String(w.msg)).toContain('TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY, TENCENTCLOUD_SESSIONTOKEN not set');
    expect(String(w.msg)).toContain('execution role that allows scf:Invoke');
    expect(String(w.msg)).toContain('WECOMBOT_FAAS_HANDOFF=0');

    // A second instance (a new handler) says it again.
    const other = createScfHandler(bot, { env: { SCF_FUNCTIONNAME: 'wecombot', TENCENTCLOUD_REGION: 'ap-guangzhou' } });
    await other(scfEvent(post(4)), context());
    expect(warnings()).toHaveLength(2);
  });

  it('SCF: no warning with the role, with the handoff switched off, or outside SCF (local runs)', async () => {
    const { bot, post, warnings, runs } = await fastBot();
    for (const env of [
      { SCF_FUNCTIONNAME: 'wecombot', TENCENTCLOUD_REGION: 'ap-guangzhou', WECOMBOT_FAAS_HANDOFF: '0' },
      { TENCENTCLOUD_REGION: 'ap-guangzhou' },
    ]) {
      await createScfHandler(bot, { env })(scfEvent(post(runs())), context());
    }
    expect(runs()).toBe(2);
    expect(warnings()).toHaveLength(0);
    expect(
      selfInvokeUnavailable('scf', {
        SCF_FUNCTIONNAME: 'wecombot',
        TENCENTCLOUD_REGION: 'ap-guangzhou',
        TENCENTCLOUD_SECRETID: 'id',
        TENCENTCLOUD_SECRETKEY: 'key',
        TENCENTCLOUD_SESSIONTOKEN: 'token',
      }),
    ).toBeUndefined();
    expect(selfInvokeUnavailable('scf', { SCF_FUNCTIONNAME: 'wecombot', TENCENTCLOUD_SECRETID: 'id' })?.missing).toEqual([
      'TENCENTCLOUD_REGION',
      'TENCENTCLOUD_SECRETKEY',
      'TENCENTCLOUD_SESSIONTOKEN',
    ]);
  });

  it('Lambda: without AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY the same warning, once, and the callback is handled here', async () => {
    const { bot, group, post, warnings, runs } = await fastBot();
    const handler = createLambdaHandler(bot, { env: { AWS_LAMBDA_FUNCTION_NAME: 'wecombot', AWS_REGION: 'ap-east-1' } });
    for (const n of [1, 2]) {
      const p = post(n);
      const res = (await handler(
        {
          version: '2.0' as const,
          rawPath: '/',
          rawQueryString: p.rawQuery,
          headers: {},
          body: bodyBase64(p),
          isBase64Encoded: true,
          requestContext: { http: { method: 'POST' } },
        },
        context(),
      )) as { body: string };
      expect(group.signer.openReply({ body: res.body }, p)?.content).toBe('answered in the HTTP invocation');
    }
    expect(runs()).toBe(2);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.missing).toEqual(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    expect(String(warnings()[0]!.msg)).toContain('lambda:InvokeFunction');
  });
});
