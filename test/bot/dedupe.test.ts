import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../src/testing/fake-group/index.js';
import { groupCallbackXml } from '../../src/testing/fake-group/callbacks.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('de-duplication', () => {
  it('a retried callback (same MsgId) is handled once and acknowledged', async () => {
    const group: TestGroup = await createTestGroup();
    cleanup.push(() => group.close());
    let handled = 0;
    group.bot.on('text', (ctx) => {
      handled++;
      return ctx.reply('once');
    });
    const first = await group.member('a').says('@bot hi');
    const retry = await group.send(first.request);
    expect(first.reply?.content).toBe('once');
    expect(retry.status).toBe(200);
    expect(retry.reply).toBeUndefined();
    expect(handled).toBe(1);
  });

  const shared: [string, string, () => { databaseUrl?: string; redisUrl?: string }][] = [
    ['PostgreSQL', POSTGRES_URL, () => ({ databaseUrl: POSTGRES_URL })],
    ['Redis', REDIS_URL, () => ({ databaseUrl: 'memory:', redisUrl: REDIS_URL })],
  ];
  for (const [name, url, config] of shared) {
    it(`two instances sharing ${name} handle a retried callback once`, async () => {
      if (!(await serviceAvailable(name === 'PostgreSQL' ? 'postgres' : 'redis', url))) return;
      const namespace = `dedupe_${randomBytes(4).toString('hex')}`;
      const stores: Store[] = [await openStore({ ...config(), namespace }), await openStore({ ...config(), namespace })];
      cleanup.push(() => Promise.all(stores.map((s) => s.close())));
      const secrets = randomSecrets();
      let handled = 0;
      const bots = stores.map((store) => {
        const bot = createBot({ group: secrets, store, logLevel: 'silent' });
        bot.on('text', (ctx) => {
          handled++;
          return ctx.reply('handled');
        });
        return bot;
      });
      const group = await createTestGroup(bots[0]!);
      cleanup.push(() => group.close());
      const ex = await group.member('a').says('@bot hi');
      // WeCom's retries land on both instances at once.
      const [r1, r2] = await Promise.all([bots[0]!.handle(ex.request), bots[1]!.handle(ex.request)]);
      expect(ex.reply?.content).toBe('handled');
      expect([r1.body, r2.body]).toEqual(['', '']);
      // A fresh message raced on both instances: exactly one answers.
      const fresh = group.signer.post(
        '/wecom/callback',
        groupCallbackXml(
          {
            msgId: `race-${namespace}`,
            webhookUrl: group.fake.webhookUrl(group.webhookKey),
            chatId: group.chatId,
            chatType: 'group',
            from: { userId: 'b' },
          },
          { kind: 'text', content: '@bot race' },
        ),
        'xml',
      );
      const raced = await Promise.all([bots[0]!.handle(fresh), bots[1]!.handle(fresh)]);
      expect(raced.filter((r) => r.body !== '')).toHaveLength(1);
      expect(handled).toBe(2);
      await Promise.all(bots.map((b) => b.idle()));
    });
  }
});
