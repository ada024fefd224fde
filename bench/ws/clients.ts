/**
 * The two clients under comparison, as the same "ping bot" behind one interface: the official
 * `@wecom/aibot-node-sdk` (WSClient, replyStream) and wecombot (createBot + connectLongConnection).
 * Used by `npm run bench:ws` and test/ws/sdk-comparison.test.ts, so both run the same script.
 */
import { WSClient } from '@wecom/aibot-node-sdk';
import { createBot } from '../../src/bot/bot.js';
import { createLogger } from '../../src/bot/logger.js';
import { connectLongConnection } from '../../src/runtime/ws.js';
import { openStore } from '../../src/store/open.js';

export interface PingClient {
  name: string;
  /** Replies handled so far (the handler ran). */
  handled(): number;
  /** Subscriptions so far. */
  close(): Promise<void>;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The official SDK's ping bot: a finished stream "pong" per text message, as its README shows. */
export async function startSdkPing(url: string, botId: string, secret: string): Promise<PingClient> {
  const client = new WSClient({ botId, secret, wsUrl: url, logger: silent, heartbeatInterval: 30_000 });
  let handled = 0;
  client.on('message.text', (frame) => {
    handled++;
    const body = frame.body as { msgid: string };
    client.replyStream(frame, `s_${body.msgid}`, 'pong', true).catch(() => undefined);
  });
  client.on('error', () => undefined);
  const ready = new Promise<void>((resolve) => client.once('authenticated', () => resolve()));
  client.connect();
  await ready;
  return {
    name: '@wecom/aibot-node-sdk',
    handled: () => handled,
    close: async () => client.disconnect(),
  };
}

/** wecombot's ping bot: ctx.reply('pong'), which the long connection sends as a finished stream. */
export async function startWecombotPing(url: string, botId: string, secret: string, storeUrl?: string): Promise<PingClient> {
  // `storeUrl`: de-duplication keys in Redis (redis://…, the multi-instance set-up) or a SQLite
  // file (sqlite:…, what `serve --ws` uses by default), not in this process's heap.
  const store = !storeUrl
    ? undefined
    : storeUrl.startsWith('sqlite:')
      ? await openStore({ databaseUrl: storeUrl })
      : await openStore({ redisUrl: storeUrl, databaseUrl: 'memory:', namespace: `benchws${process.pid}` });
  const bot = createBot({ logger: createLogger({ level: 'silent' }), ...(store && { store }) });
  let handled = 0;
  bot.on('text', (ctx) => {
    handled++;
    return ctx.reply('pong');
  });
  const conn = await connectLongConnection(bot, { botId, secret, url });
  return {
    name: !storeUrl ? 'wecombot' : storeUrl.startsWith('sqlite:') ? 'wecombot (SQLite store)' : 'wecombot (Redis store)',
    handled: () => handled,
    close: async () => {
      await conn.close();
      await bot.close();
      await store?.close();
    },
  };
}
