/**
 * Capacity under concurrency: 200 members sign up at once through two instances (two bots, two
 * store connections to one database) for 50 seats. Exactly 50 are confirmed, the numbers are
 * the arrival order (the order the sign-ups took the activity's lock), the waitlist follows
 * it, and freed seats go to the head of the waitlist. On SQLite (one file, two connections)
 * and on PostgreSQL (two pools).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { signup } from '../../../src/bots/signup/module.js';
import { rosterOf } from '../../../src/bots/signup/ledger/roster.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestGroup, randomSecrets, type Exchange, type TestGroup } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/index.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';
import { ledgerOf } from './helpers.js';

const CHAT = 'wrSIGNUPSHARED';
const config = { activities: [{ id: 'launch', title: '新品发布会', startsAt: '2099-06-03T14:00:00+08:00', capacity: 50, chatId: CHAT }] };

/** Two instances sharing one database, answering one chat. */
async function twoInstances(stores: [Store, Store]) {
  const secrets = randomSecrets();
  const fake = await startFakeWecom();
  const groups: TestGroup[] = [];
  for (const store of stores) {
    const bot = createBot({ group: secrets, store, logLevel: 'silent' });
    await bot.install(signup(config));
    groups.push(await createTestGroup(bot, { fake, chatId: CHAT }));
  }
  return {
    groups: groups as [TestGroup, TestGroup],
    async close() {
      for (const g of groups) {
        await g.close();
        await g.bot.close();
      }
      await fake.close();
    },
  };
}

/** What the member was told: the passive reply, or (past the ack budget) the push visible to them. */
function toldTo(groups: readonly TestGroup[], member: string, ex: Exchange): string {
  if (ex.reply?.content) return ex.reply.content;
  const pushed = groups.flatMap((g) => g.pushes()).find((m) => (m as { visible_to_user?: string }).visible_to_user === member);
  return (pushed as { markdown?: { content: string } } | undefined)?.markdown?.content ?? '';
}

function describeCapacity(name: string, open: () => Promise<{ stores: [Store, Store]; cleanup: () => Promise<void> }>): void {
  describe(`capacity on ${name}`, () => {
    it('200 concurrent sign-ups from 2 instances for 50 seats: exactly 50 confirmed, waitlist in arrival order', async () => {
      const { stores, cleanup } = await open();
      const pair = await twoInstances(stores);
      try {
        const members = Array.from({ length: 200 }, (_, i) => `m${String(i).padStart(3, '0')}`);
        const via = (i: number) => pair.groups[i % 2] as TestGroup;
        const told = new Map<string, string>();
        // Two waves: everything of the first arrives before anything of the second.
        for (const wave of [members.slice(0, 100), members.slice(100)]) {
          const exchanges = await Promise.all(wave.map((m) => via(members.indexOf(m)).member(m).says('@bot 报名')));
          await Promise.all(pair.groups.map((g) => g.settle()));
          wave.forEach((m, i) => told.set(m, toldTo(pair.groups, m, exchanges[i] as Exchange)));
        }

        const roster = await rosterOf(ledgerOf(stores[0]), 'launch', { all: true });
        expect(roster).toHaveLength(200);
        const confirmed = roster.filter((s) => s.status === 'confirmed');
        const waiting = roster.filter((s) => s.status === 'waitlisted');
        expect(confirmed).toHaveLength(50);
        expect(waiting).toHaveLength(150);
        // Numbers are 1..200, each once: the arrival order.
        expect(roster.map((s) => s.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        // The first fifty to arrive hold the seats; everyone after them waits.
        expect(confirmed.every((s) => s.number <= 50)).toBe(true);
        expect(waiting.every((s) => s.number > 50)).toBe(true);
        // The second wave arrived after the first, and is behind it in the line.
        const numberOf = new Map(roster.map((s) => [s.userId, s.number]));
        const firstWave = Math.max(...members.slice(0, 100).map((m) => numberOf.get(m) ?? 0));
        const secondWave = Math.min(...members.slice(100).map((m) => numberOf.get(m) ?? 0));
        expect(firstWave).toBeLessThan(secondWave);
        // What each member was told matches what was recorded.
        for (const s of roster) {
          const text = told.get(s.userId) ?? '';
          if (s.status === 'confirmed') expect(text).toContain(`编号是 **${s.number}**`);
          else expect(text).toContain(`候补名单第 **${s.number - 50}** 位（编号 ${s.number}）`);
        }

        // Three seats freed: the first three of the waitlist, in arrival order, are asked.
        const leavers = confirmed.slice(0, 3).map((s) => s.userId);
        await Promise.all(leavers.map((m, i) => (pair.groups[i % 2] as TestGroup).member(m).says('@bot 取消报名')));
        await Promise.all(pair.groups.map((g) => g.settle()));
        const after = await rosterOf(ledgerOf(stores[1]), 'launch');
        expect(after.filter((s) => s.status === 'offered').map((s) => s.number)).toEqual([51, 52, 53]);
        expect(after.filter((s) => s.status === 'confirmed' || s.status === 'offered')).toHaveLength(50);
      } finally {
        await pair.close();
        await cleanup();
      }
    }, 120_000);
  });
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describeCapacity('SQLite (two connections to one file)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-signup-'));
  dirs.push(dir);
  const url = `sqlite:${path.join(dir, 'state.db')}`;
  const stores: [Store, Store] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
  return { stores, cleanup: async () => void (await Promise.all(stores.map((s) => s.close()))) };
});

if (await serviceAvailable('postgres', POSTGRES_URL)) {
  describeCapacity('PostgreSQL (two pools)', async () => {
    const namespace = testNamespace('signup');
    const stores: [Store, Store] = [
      await openStore({ databaseUrl: POSTGRES_URL, namespace }),
      await openStore({ databaseUrl: POSTGRES_URL, namespace }),
    ];
    return {
      stores,
      cleanup: async () => {
        await Promise.all(stores.map((s) => s.close()));
        await dropPostgresNamespace(POSTGRES_URL, namespace);
      },
    };
  });
}
