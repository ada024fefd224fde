import { afterEach, describe, expect, it } from 'vitest';
import { WS_CMD } from '../../src/runtime/ws.js';
import { cleanup, setup } from './helpers.js';

afterEach(cleanup);

const SOAK_MS = 28_000;

describe('long connection: soak', () => {
  it(
    `${SOAK_MS / 1000} s of messages with random drops: every received message answered exactly once, no protocol violation`,
    async () => {
      const { fake, bot, conn } = await setup({ conn: { heartbeatMs: 500, heartbeatTimeoutMs: 2000 } });
      bot.on('text', async (ctx) => {
        const s = ctx.stream('…');
        await s.finish(`echo ${ctx.text}`);
      });
      const sent: string[] = [];
      const end = Date.now() + SOAK_MS;
      let nextDrop = Date.now() + 500 + Math.random() * 2000;
      let drops = 0;
      while (Date.now() < end) {
        sent.push(fake.text(`u${sent.length % 7}`, `m${sent.length}`).reqId);
        if (Date.now() > nextDrop) {
          fake.drop();
          drops++;
          nextDrop = Date.now() + 500 + Math.random() * 2500;
        }
        await new Promise((r) => setTimeout(r, 15));
      }
      await fake.waitFor(() => conn.stats.inFlight === 0 && fake.connected() === 1, 10_000, 'the last replies');
      await new Promise((r) => setTimeout(r, 300));
      const finals = fake.frames.filter(
        (f) => f.cmd === WS_CMD.respondMsg && f.errcode === 0 && (f.body.stream as { finish?: boolean }).finish,
      );
      const answered = new Set(finals.map((f) => f.reqId));
      // Exactly once per handled message; nothing answered twice.
      expect(finals.length).toBe(answered.size);
      expect(answered.size).toBe(conn.stats.handled);
      expect(fake.violations).toEqual([]);
      expect(drops).toBeGreaterThanOrEqual(5);
      // A frame in flight when the socket dies is lost on the wire (WeCom's own redelivery is
      // UNCONFIRMED); the fake delivers everything sent while down after the reconnect.
      expect(answered.size / sent.length).toBeGreaterThan(0.95);
      console.log(`soak: ${sent.length} messages, ${drops} drops, ${answered.size} answered, ${conn.stats.subscriptions} subscriptions`);
    },
    SOAK_MS + 30_000,
  );
});
