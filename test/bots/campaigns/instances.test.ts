/**
 * Two instances sharing PostgreSQL, each running the same two campaigns scheduled at the same
 * minute: the frequency cap (1 a day) and an opt-out hold across both campaigns and both
 * instances — every member gets exactly one offer, the opted-out one none.
 */
import { describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { manualClock } from '../../../src/bot/clock.js';
import { campaigns } from '../../../src/bots/campaigns/module.js';
import { tags } from '../../../src/bots/tags/module.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, randomSecrets, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/index.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';
import { bookOn } from '../tags/rig.js';
import { MORNING } from './rig.js';

const config = {
  quietHours: false as const,
  caps: { perDay: 1, perWeek: 3 },
  campaigns: [
    { name: 'vip', schedule: '0 0 10 * * *', rules: [{ segment: 'VIP', offer: 'VIP 专享 {name}' }] },
    { name: 'sh', schedule: '0 0 10 * * *', rules: [{ segment: '上海', offer: '上海门店 {name}' }] },
  ],
};

if (await serviceAvailable('postgres', POSTGRES_URL)) {
  describe('campaigns on two instances sharing PostgreSQL', () => {
    it('caps and opt-out hold across two campaigns at the same minute on two instances', async () => {
      const namespace = testNamespace('campaigns');
      const stores: Store[] = [
        await openStore({ databaseUrl: POSTGRES_URL, namespace }),
        await openStore({ databaseUrl: POSTGRES_URL, namespace }),
      ];
      const fake = await startFakeWecom();
      const secrets = randomSecrets();
      const clock = manualClock(MORNING);
      const groups: TestGroup[] = [];
      try {
        for (const store of stores) {
          const bot = createBot({ group: secrets, store, clock, logLevel: 'silent' });
          await bot.install(tags({}));
          await bot.install(campaigns(config));
          groups.push(await createTestGroup(bot, { fake, chatId: 'wrSHARED' }));
        }
        const [one, two] = groups as [TestGroup, TestGroup];
        const book = bookOn(stores[0] as Store, () => clock.now());
        const members = Array.from({ length: 30 }, (_, i) => `m${i}`);
        for (const [i, m] of members.entries()) {
          await (i % 2 ? one : two).member(m).says('@bot 在吗');
          // Everyone is in both segments: each campaign alone would reach all 30.
          await book.add(m, ['VIP', '上海'], { actor: 'test', via: 'cli' });
        }
        expect((await two.member('m7').says('@bot TD')).reply?.content).toContain('已退订');
        const firedAt = new Date(MORNING);
        const runs = await Promise.all([
          one.bot.runJob('campaign-vip', firedAt),
          two.bot.runJob('campaign-sh', firedAt),
          two.bot.runJob('campaign-vip', firedAt),
          one.bot.runJob('campaign-sh', firedAt),
        ]);
        expect(runs.filter((r) => r.status === 'ran')).toHaveLength(2);
        const offers = fake.accepted().filter((r) => /专享|门店/.test(JSON.stringify(r.body)));
        const per = new Map<string, number>();
        for (const o of offers) {
          const who = /<@(m\d+)>/.exec(JSON.stringify(o.body))?.[1] as string;
          per.set(who, (per.get(who) ?? 0) + 1);
        }
        expect(per.get('m7')).toBeUndefined();
        expect([...per.keys()].sort()).toEqual(members.filter((m) => m !== 'm7').sort());
        expect([...per.values()].every((n) => n === 1)).toBe(true);
      } finally {
        for (const g of groups) {
          await g.close();
          await g.bot.close();
        }
        await fake.close();
        for (const s of stores) await s.close();
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      }
    });
  });
}
