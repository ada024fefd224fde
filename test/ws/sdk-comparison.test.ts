/**
 * The same script against the official @wecom/aibot-node-sdk and wecombot, on the same fake
 * server: what each does on a plain message, a duplicate frame, an expired stream, a dropped
 * socket and a kick-out. The facts asserted here are the table in docs/en/long-connection.md.
 */
import { WSClient } from '@wecom/aibot-node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { connectLongConnection, WS_CMD } from '../../src/runtime/ws.js';
import { startFakeLongConnection, type FakeLongConnection } from '../../src/testing/index.js';
import { captureLogger } from '../bot/helpers.js';

const BOT = 'bot-cmp';
const SECRET = 'cmp-secret-4567';
const closers: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

async function sdk(fake: FakeLongConnection, o: { slow?: number } = {}) {
  const client = new WSClient({ botId: BOT, secret: SECRET, wsUrl: fake.url, logger: silent });
  let handled = 0;
  let authenticated = 0;
  client.on('authenticated', () => authenticated++);
  client.on('error', () => undefined);
  client.on('message.text', (frame) => {
    handled++;
    const id = `s_${handled}_${Date.now()}`;
    void (async () => {
      await client.replyStream(frame, id, 'working', false).catch(() => undefined);
      if (o.slow) await new Promise((r) => setTimeout(r, o.slow));
      await client.replyStream(frame, id, 'the answer', true).catch(() => undefined);
    })();
  });
  client.connect();
  await fake.waitFor(() => authenticated === 1, 5000, 'SDK authenticated');
  closers.push(() => client.disconnect());
  return { handled: () => handled, authenticated: () => authenticated };
}

async function ours(fake: FakeLongConnection, o: { slow?: number } = {}) {
  const bot = createBot({ logger: captureLogger().logger });
  let handled = 0;
  bot.on('text', async (ctx) => {
    handled++;
    const s = ctx.stream('working');
    if (o.slow) await new Promise((r) => setTimeout(r, o.slow));
    await s.finish('the answer');
  });
  const conn = await connectLongConnection(bot, { botId: BOT, secret: SECRET, url: fake.url });
  closers.push(
    () => conn.close(),
    () => bot.close(),
  );
  return { handled: () => handled, authenticated: () => conn.stats.subscriptions };
}

const CLIENTS = { sdk, wecombot: ours } as const;

async function fakeServer(o: { streamLifetimeMs?: number } = {}) {
  const fake = await startFakeLongConnection({ bots: { [BOT]: SECRET }, ...o });
  closers.push(() => fake.close());
  return fake;
}

const finals = (fake: FakeLongConnection, reqId: string) =>
  fake.repliesTo(reqId).filter((f) => f.errcode === 0 && (f.body.stream as { finish?: boolean } | undefined)?.finish);

describe.each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])('%s on the same script', (name) => {
  const start = CLIENTS[name];

  it('a text message: one stream, same req_id, finished', async () => {
    const fake = await fakeServer();
    await start(fake);
    const { reqId } = fake.text('alice', 'hi');
    await fake.waitFor(() => finals(fake, reqId).length === 1);
    expect(fake.violations).toEqual([]);
  });

  it('a duplicate frame (same msgid): SDK handles it twice, wecombot once', async () => {
    const fake = await fakeServer();
    const c = await start(fake);
    fake.duplicateNext();
    fake.text('bob', 'hi');
    await new Promise((r) => setTimeout(r, 400));
    expect(c.handled()).toBe(name === 'sdk' ? 2 : 1);
  });

  it('an expired stream (846608): SDK loses the answer, wecombot sends it as a new message', async () => {
    const fake = await fakeServer({ streamLifetimeMs: 100 });
    await start(fake, { slow: 250 });
    const { reqId } = fake.text('carol', 'long');
    await new Promise((r) => setTimeout(r, 800));
    expect(fake.repliesTo(reqId).some((f) => f.errcode === 846608)).toBe(true);
    const fallback = fake.frames.filter((f) => f.cmd === WS_CMD.sendMsg);
    expect(fallback.length).toBe(name === 'sdk' ? 0 : 1);
  });

  it('a reply that outlives a reconnect: SDK rejects it, wecombot sends it after re-subscribing', async () => {
    const fake = await fakeServer();
    const c = await start(fake, { slow: 300 });
    const { reqId } = fake.text('dan', 'x');
    await fake.waitFor(() => fake.repliesTo(reqId).length === 1);
    fake.drop();
    await fake.waitFor(() => c.authenticated() === 2, 5000, 'the reconnect');
    await new Promise((r) => setTimeout(r, 600));
    expect(finals(fake, reqId).length).toBe(name === 'sdk' ? 0 : 1);
  });

  it('kick-out: both yield and do not reconnect', async () => {
    const fake = await fakeServer();
    const c = await start(fake);
    fake.kickOut();
    await new Promise((r) => setTimeout(r, 500));
    expect(c.authenticated()).toBe(1);
    expect(fake.subscribes.get(BOT)).toBe(1);
  });
});
