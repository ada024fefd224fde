import { createBot, type Bot } from '../../src/bot/bot.js';
import { connectLongConnection, type LongConnectionHandle, type LongConnectionOptions } from '../../src/runtime/ws.js';
import { startFakeLongConnection, type FakeLongConnection } from '../../src/testing/index.js';
import type { FakeLongConnectionOptions } from '../../src/testing/fake-ws/types.js';
import { captureLogger } from '../bot/helpers.js';

export const BOT_ID = 'bot-ws-test';
export const SECRET = 'ws-secret-Zq8x1Lp0';

const closers: (() => Promise<unknown>)[] = [];

/** Closes everything the tests started, newest first. */
export async function cleanup(): Promise<void> {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
}

/** A fake server, a bot and a connection; fast back-off so drops heal in milliseconds. */
export async function setup(
  o: { fake?: FakeLongConnectionOptions; conn?: Partial<LongConnectionOptions>; connect?: boolean } = {},
): Promise<{ fake: FakeLongConnection; bot: Bot; logs: ReturnType<typeof captureLogger>; conn: LongConnectionHandle }> {
  const fake = await startFakeLongConnection({ bots: { [BOT_ID]: SECRET }, ...o.fake });
  closers.push(() => fake.close());
  const logs = captureLogger([], 'debug');
  const bot = createBot({ logger: logs.logger });
  closers.push(() => bot.close());
  const conn =
    o.connect === false
      ? (undefined as unknown as LongConnectionHandle)
      : await connectLongConnection(bot, {
          botId: BOT_ID,
          secret: SECRET,
          url: fake.url,
          backoff: { initialMs: 40, maxMs: 200, random: () => 0.5 },
          ...o.conn,
        });
  if (conn) closers.push(() => conn.close());
  return { fake, bot, logs, conn };
}

export function track(close: () => Promise<unknown>): void {
  closers.push(close);
}
