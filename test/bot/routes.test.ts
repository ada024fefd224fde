import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/bot/bot.js';
import { defineBotModule } from '../../src/bot/module.js';
import { botRequest, type BotResponse } from '../../src/bot/request.js';
import type { RouteAuth } from '../../src/bot/routes/types.js';
import { createLambdaHandler, type LambdaHttpV2Event, type LambdaResponse } from '../../src/runtime/lambda.js';
import { serveNode } from '../../src/runtime/node.js';
import { createScfHandler, type ScfHttpEvent, type ScfResponse } from '../../src/runtime/scf.js';
import { openStore } from '../../src/store/index.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../src/testing/fake-wecom/index.js';
import { fixture } from '../runtime/helpers.js';

const SECRET = 'lead-intake-secret-42';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

interface Lead {
  name: string;
  phone: string;
}

/** A lead-intake module: HMAC-signed JSON in, a stored record and a push out. */
const intake = defineBotModule({
  name: 'intake',
  options: (o: { webhook: string }) => o,
  migrations: [
    {
      name: '001-leads',
      up: (db, table) =>
        db.schema
          .createTable(table('leads'))
          .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .execute(),
    },
  ],
  routes: (options, services) => [
    {
      method: 'POST',
      path: '/leads/:source',
      auth: { type: 'hmac', secret: SECRET, header: 'x-signature', prefix: 'sha256=' },
      bodyLimitBytes: 1024,
      rateLimit: { limit: 5, windowMs: 60_000 },
      async handler(req, ctx) {
        const lead = req.json<Partial<Lead>>();
        if (typeof lead.name !== 'string' || lead.name === '') return { status: 422, body: { error: 'name is required' } };
        await services.store
          .db()
          .insertInto(services.table('leads'))
          .values({ source: req.params.source as string, name: lead.name })
          .execute();
        await ctx.push(`新线索 ${lead.name}（${req.params.source}）`, { webhook: options.webhook });
        return { status: 201, body: { ok: true, source: req.params.source } };
      },
    },
  ],
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function intakeBot(): Promise<{ bot: Bot; pushes: () => string[] }> {
  const fake = await startFakeWecom();
  const key = fake.newKey();
  const bot = createBot({ group: randomSecrets(), logLevel: 'silent' });
  await bot.install(intake({ webhook: fake.webhookUrl(key) }));
  closers.push(
    () => fake.close(),
    () => bot.close(),
  );
  const pushes = () => fake.accepted(key).map((r) => (r.body as { text: { content: string } }).text.content);
  return { bot, pushes };
}

/** One request, sent the way a runtime delivers it; the answer as status, headers and body. */
type Send = (req: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ status: number; headers: Record<string, string>; body: string }>;

/** SCF: the request as the platform's event (a fixture of the trigger), the integrated response back. */
async function scfSender(bot: Bot, trigger: 'scf-function-url' | 'scf-api-gateway'): Promise<Send> {
  const handler = createScfHandler(bot);
  return async (req) => {
    const event: ScfHttpEvent = { ...fixture<ScfHttpEvent>(trigger), httpMethod: req.method, path: req.path, body: req.body };
    event.headers = { ...event.headers, ...req.headers };
    const out = (await handler(event)) as ScfResponse;
    return { status: out.statusCode, headers: out.headers, body: out.body };
  };
}

const runtimes: Record<string, (bot: Bot) => Promise<Send>> = {
  async node(bot) {
    const server = await serveNode(bot, { port: 0 });
    closers.push(() => server.close());
    return async (req) => {
      const res = await fetch(`${server.url}${req.path}`, {
        method: req.method,
        headers: req.headers,
        body: req.method === 'GET' ? undefined : req.body,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, headers, body: await res.text() };
    };
  },
  scf: (bot) => scfSender(bot, 'scf-function-url'),
  'scf api gateway': (bot) => scfSender(bot, 'scf-api-gateway'),
  async lambda(bot) {
    const handler = createLambdaHandler(bot);
    return async (req) => {
      const event = fixture<LambdaHttpV2Event>('lambda-function-url-v2');
      Object.assign(event, {
        rawPath: req.path,
        rawQueryString: '',
        headers: { ...req.headers },
        body: Buffer.from(req.body).toString('base64'),
        isBase64Encoded: true,
      });
      event.requestContext.http.method = req.method;
      const out = (await handler(event)) as LambdaResponse;
      return { status: out.statusCode, headers: out.headers, body: out.body };
    };
  },
};

/** What each runtime reports: the socket on node, the platform's field in the fixture events. */
const EXPECTED_ADDRESS: Record<string, string> = {
  node: '127.0.0.1',
  scf: '101.226.129.166',
  'scf api gateway': '101.226.129.166',
  lambda: '101.226.129.166',
};

for (const [runtime, start] of Object.entries(runtimes)) {
  describe(`a module route on ${runtime}`, () => {
    it('accepts a signed lead, stores it and pushes it', async () => {
      const { bot, pushes } = await intakeBot();
      const send = await start(bot);
      const body = JSON.stringify({ name: '王小明', phone: '13800000000' });
      const res = await send({
        method: 'POST',
        path: '/leads/baidu',
        headers: { 'content-type': 'application/json', 'x-signature': sign(body) },
        body,
      });
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toEqual({ ok: true, source: 'baidu' });
      expect(pushes()).toEqual(['新线索 王小明（baidu）']);
      const rows = await (await bot.store()).db().selectFrom('wecombot_intake_leads').selectAll().execute();
      expect(rows.map((r) => [r.source, r.name])).toEqual([['baidu', '王小明']]);
    });

    it('refuses a bad signature (401), an oversized body (413) and malformed JSON (400), never 500', async () => {
      const { bot, pushes } = await intakeBot();
      const send = await start(bot);
      const body = JSON.stringify({ name: 'x' });
      const forged = await send({ method: 'POST', path: '/leads/baidu', headers: { 'x-signature': sign(body, 'wrong-secret-123') }, body });
      expect(forged.status).toBe(401);
      expect(JSON.parse(forged.body).error).toBe('route_unauthorized');
      expect(forged.body).not.toContain(SECRET);
      const unsigned = await send({ method: 'POST', path: '/leads/baidu', headers: {}, body });
      expect(unsigned.status).toBe(401);

      const big = JSON.stringify({ name: 'x'.repeat(2000) });
      const oversized = await send({ method: 'POST', path: '/leads/baidu', headers: { 'x-signature': sign(big) }, body: big });
      expect(oversized.status).toBe(413);
      expect(JSON.parse(oversized.body).error).toBe('route_body_too_large');

      const broken = '{"name": "x",';
      const malformed = await send({ method: 'POST', path: '/leads/baidu', headers: { 'x-signature': sign(broken) }, body: broken });
      expect(malformed.status).toBe(400);
      expect(JSON.parse(malformed.body).error).toBe('route_body_invalid');

      const noName = '{"phone":"1"}';
      const invalid = await send({ method: 'POST', path: '/leads/baidu', headers: { 'x-signature': sign(noName) }, body: noName });
      expect(invalid.status).toBe(422);
      expect(pushes()).toEqual([]);
    });

    it("passes the caller's address the runtime reports", async () => {
      const { bot } = await intakeBot();
      bot.route({ method: 'GET', path: '/whoami', auth: { type: 'none' }, handler: (req) => ({ body: req.remoteAddress ?? 'unknown' }) });
      const send = await start(bot);
      const res = await send({ method: 'GET', path: '/whoami', headers: {}, body: '' });
      expect(res.status).toBe(200);
      expect(res.body).toBe(EXPECTED_ADDRESS[runtime]);
    });

    it('answers 405 with Allow for another method and 404 for an unknown path', async () => {
      const { bot } = await intakeBot();
      const send = await start(bot);
      const wrong = await send({ method: 'GET', path: '/leads/baidu', headers: {}, body: '' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.allow).toBe('POST');
      expect((await send({ method: 'POST', path: '/leads', headers: {}, body: '' })).status).toBe(404);
      expect((await send({ method: 'GET', path: '/healthz', headers: {}, body: '' })).status).toBe(200);
    });
  });
}

describe('route rate limits and authentication hooks', () => {
  async function call(bot: Bot, init: Parameters<typeof botRequest>[0]): Promise<BotResponse> {
    return bot.handle(botRequest(init));
  }

  it('a caller over the rate limit gets 429 with retry-after; another address is not affected', async () => {
    const { bot } = await intakeBot();
    const body = '{"name":"n"}';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await call(bot, { method: 'POST', url: '/leads/x', headers: { 'x-signature': sign(body) }, body, remoteAddress: '198.51.100.7' }))
          .status,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const limited = await call(bot, {
      method: 'POST',
      url: '/leads/x',
      headers: { 'x-signature': sign(body) },
      body,
      remoteAddress: '198.51.100.7',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await call(bot, { method: 'POST', url: '/leads/x', headers: { 'x-signature': sign(body) }, body, remoteAddress: '198.51.100.8' }))
        .status,
    ).toBe(201);
  });

  const hello = (auth: RouteAuth) =>
    defineBotModule({
      name: 'hello',
      routes: () => [{ method: ['GET', 'POST'], path: '/hello', auth, handler: (req) => ({ body: `hi ${req.remoteAddress ?? '?'}` }) }],
    });

  it('token auth: bearer header, custom header, query parameter', async () => {
    const bearer = createBot({ logLevel: 'silent' });
    await bearer.install(hello({ type: 'token', token: 'tok-123456789' })());
    expect((await call(bearer, { method: 'GET', url: '/hello', headers: { authorization: 'Bearer tok-123456789' } })).status).toBe(200);
    expect((await call(bearer, { method: 'GET', url: '/hello', headers: { authorization: 'Bearer tok-12345678' } })).status).toBe(401);
    const query = createBot({ logLevel: 'silent' });
    await query.install(hello({ type: 'token', token: 'tok-123456789', query: 'token' })());
    expect((await call(query, { method: 'GET', url: '/hello?token=tok-123456789' })).status).toBe(200);
    expect((await call(query, { method: 'GET', url: '/hello' })).status).toBe(401);
    await Promise.all([bearer.close(), query.close()]);
  });

  it('HMAC with a timestamp header refuses stale requests', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(hello({ type: 'hmac', secret: SECRET, header: 'x-sig', timestampHeader: 'x-ts', maxSkewSeconds: 60 })());
    const body = 'ping';
    const at = (ts: number) => createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
    const now = Math.floor(Date.now() / 1000);
    expect((await call(bot, { method: 'POST', url: '/hello', headers: { 'x-sig': at(now), 'x-ts': String(now) }, body })).status).toBe(200);
    const stale = await call(bot, { method: 'POST', url: '/hello', headers: { 'x-sig': at(now - 600), 'x-ts': String(now - 600) }, body });
    expect(stale.status).toBe(401);
    expect(stale.body).toContain('away from our clock');
    await bot.close();
  });

  it('IP allow-list: exact, CIDR, IPv4-mapped IPv6; unknown address refused', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(hello({ type: 'ip', allow: ['203.0.113.0/24', '2001:db8::1'] })());
    const from = async (remoteAddress?: string) =>
      (await call(bot, { method: 'GET', url: '/hello', ...(remoteAddress ? { remoteAddress } : {}) })).status;
    expect(await from('203.0.113.9')).toBe(200);
    expect(await from('::ffff:203.0.113.200')).toBe(200);
    expect(await from('2001:db8::1')).toBe(200);
    expect(await from('203.0.114.1')).toBe(403);
    expect(await from(undefined)).toBe(403);
    await bot.close();
  });

  it('a route that does not say how it is protected is refused at start-up', async () => {
    const bot = createBot({ logLevel: 'silent' });
    const bare = defineBotModule({ name: 'bare', routes: () => [{ method: 'POST', path: '/open', handler: () => ({}) } as never] });
    await expect(bot.install(bare())).rejects.toThrow(/bare route \/open\.auth is missing|auth is missing/);
    await bot.close();
  });

  it('two owners of one path and method are refused, naming both', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(intake({ webhook: 'https://example.invalid/send?key=k' }));
    const clash = defineBotModule({
      name: 'clash',
      routes: () => [{ method: 'POST', path: '/leads/:kind', auth: { type: 'none' }, handler: () => ({}) }],
    });
    await expect(bot.install(clash())).rejects.toThrow(/POST \/leads\/:kind is claimed by both intake and clash/);
    const core = defineBotModule({
      name: 'core-clash',
      routes: () => [{ method: 'POST', path: '/wecom/callback', auth: { type: 'none' }, handler: () => ({}) }],
    });
    await expect(bot.install(core())).rejects.toThrow(/claimed by both core and core-clash/);
    await bot.close();
  });

  it('a handler that crashes is a 500 without its message; the bot keeps answering', async () => {
    const bot = createBot({ logLevel: 'silent' });
    await bot.install(
      defineBotModule({
        name: 'crash',
        routes: () => [
          {
            method: 'GET',
            path: '/crash',
            auth: { type: 'none' },
            handler: () => {
              throw new Error('secret detail');
            },
          },
        ],
      })(),
    );
    const res = await call(bot, { method: 'GET', url: '/crash' });
    expect(res.status).toBe(500);
    expect(res.body).not.toContain('secret detail');
    expect((await call(bot, { method: 'GET', url: '/healthz' })).status).toBe(200);
    await bot.close();
  });

  it('late work handed to waitUntil outlives the answer; idle() waits for it, and a failure is only logged', async () => {
    const bot = createBot({ logLevel: 'silent' });
    const done: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await bot.install(
      defineBotModule({
        name: 'later',
        routes: () => [
          {
            method: 'POST',
            path: '/later',
            auth: { type: 'none' },
            handler: (_req, ctx) => {
              ctx.waitUntil(gate.then(() => done.push('late')));
              ctx.waitUntil(Promise.reject(new Error('late failure')));
              return { status: 202 };
            },
          },
        ],
      })(),
    );
    expect((await call(bot, { method: 'POST', url: '/later' })).status).toBe(202);
    expect(done).toEqual([]);
    let idle = false;
    const settled = bot.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(idle).toBe(false);
    release();
    await settled;
    expect(done).toEqual(['late']);
    expect((await call(bot, { method: 'GET', url: '/healthz' })).status).toBe(200);
    await bot.close();
  });

  it('migrations of a module run once per store, recorded under the module name', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const first = createBot({ store, logLevel: 'silent' });
    await first.install(intake({ webhook: 'https://example.invalid/send?key=k' }));
    const second = createBot({ store, logLevel: 'silent' });
    await second.install(intake({ webhook: 'https://example.invalid/send?key=k' }));
    expect(await store.migrate([{ name: 'intake/001-leads', up: () => Promise.reject(new Error('must not run again')) }])).toEqual([]);
    await Promise.all([first.close(), second.close()]);
    await store.close();
  });
});
