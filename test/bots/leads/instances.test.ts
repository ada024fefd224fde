/**
 * The test: the same lead delivered 3 times concurrently to each of 2 bot instances
 * sharing PostgreSQL gives exactly one record and one group post; the same on two connections
 * to one SQLite file. And two different clues of one person racing to the two instances give
 * one lead and one repeat. Skips without PostgreSQL, fails without it under CI=true.
 */
import { describe, expect, it } from 'vitest';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { postgresPair, sqlitePair, type StorePair } from '../welcome/stores.js';
import { allLeads, feiyuAuth, feiyuClue, leadsRig, testClock, type Rig } from './rig.js';

async function withTwoInstances(open: () => Promise<StorePair>, run: (rigs: [Rig, Rig]) => Promise<void>) {
  const pair = await open();
  const fake = await startFakeWecom();
  const salesKey = fake.newKey();
  const clock = testClock();
  const rigs: Rig[] = [];
  try {
    for (const store of pair.stores) rigs.push(await leadsRig({ store, fake, salesKey, clock }));
    await run(rigs as [Rig, Rig]);
  } finally {
    for (const r of rigs) await r.close();
    await fake.close();
    await pair.close();
  }
}

function describeInstances(name: string, open: () => Promise<StorePair>, available: () => Promise<boolean>) {
  it(`3 deliveries × 2 instances on ${name}: 1 record, 1 group post, every delivery answered success`, async () => {
    if (!(await available())) return;
    await withTwoInstances(open, async ([one, two]) => {
      const body = JSON.stringify(feiyuClue());
      const auth = feiyuAuth(body, one.clock.now());
      const answers = await Promise.all([0, 1, 2].flatMap(() => [one.deliver('feiyu', body, auth), two.deliver('feiyu', body, auth)]));
      await Promise.all([one.group.settle(), two.group.settle()]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(answers.every((a) => JSON.parse(a.body).code === 200)).toBe(true);
      const rows = await allLeads(one);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('new');
      expect(one.group.pushes()).toHaveLength(1);
      expect(one.group.pushTexts()[0]).toContain('138****1234');
    });
  });

  it(`two clues of one person racing to 2 instances on ${name}: 1 lead, 1 repeat, 1 post`, async () => {
    if (!(await available())) return;
    await withTwoInstances(open, async ([one, two]) => {
      const a = JSON.stringify(feiyuClue({ id: 'clue-a' }));
      const b = JSON.stringify(feiyuClue({ id: 'clue-b', telphone: '138 1234 1234' }));
      const now = one.clock.now();
      await Promise.all([
        one.deliver('feiyu', a, feiyuAuth(a, now)),
        two.deliver('feiyu', b, feiyuAuth(b, now)),
        two.deliver('feiyu', a, feiyuAuth(a, now)),
      ]);
      await Promise.all([one.group.settle(), two.group.settle()]);
      const rows = await allLeads(one);
      expect(rows.map((r) => r.status).sort()).toEqual(['new', 'repeat']);
      expect(rows.find((r) => r.status === 'new')?.repeatCount).toBe(1);
      expect(one.group.pushes()).toHaveLength(1);
    });
  });
}

describe('leads across instances', () => {
  let pg: boolean | undefined;
  describeInstances('PostgreSQL', postgresPair, async () => (pg ??= await serviceAvailable('postgres', POSTGRES_URL)));
  describeInstances('SQLite', sqlitePair, async () => true);
});
