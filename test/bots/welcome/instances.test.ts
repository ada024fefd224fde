/**
 * The issue's coupon test: a customer's add events, each retried 3 times by WeCom, reaching two
 * instances that share one database at once, issue exactly one code, and every welcome that
 * went out shows that code. On PostgreSQL (two pools) and on SQLite (two connections).
 */
import { describe, expect, it } from 'vitest';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { startFakeCorp } from '../../../src/testing/fake-corp/server.js';
import { randomSecrets } from '../../../src/testing/fake-group/index.js';
import { startFakeWecom } from '../../../src/testing/fake-wecom/server.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { welcomeRig, type Rig } from './rig.js';
import { postgresPair, sqlitePair, type StorePair } from './stores.js';

const options = () => ({ text: '欢迎 {name}！\n新人券：{coupon}', lookupNames: false, coupons: { pattern: 'NEW-{XXXXXX}', count: 50 } });

function describeInstances(name: string, open: () => Promise<StorePair>, available: () => Promise<boolean>) {
  it(`3 retries × 2 instances on ${name}: exactly 1 code, in every welcome`, async () => {
    if (!(await available())) return;
    const pair = await open();
    const fakes = { wecom: await startFakeWecom(), corp: await startFakeCorp() };
    const shared = { ...fakes, groupKey: fakes.wecom.newKey(), opsKey: fakes.wecom.newKey() };
    const secrets = { robot: randomSecrets(), corp: randomSecrets() };
    const rigs: Rig[] = [];
    try {
      for (const store of pair.stores) rigs.push(await welcomeRig(options, { store, fakes: shared, secrets }));
      const [one, two] = rigs as [Rig, Rig];
      // The customer added two staff members at the same moment: two events, two WelcomeCodes.
      const requests = ['zhangsan', 'lisi'].map((staff) =>
        one.corp.request({
          kind: 'customer',
          changeType: 'add_external_contact',
          userId: staff,
          externalUserId: 'wmShared',
          welcomeCode: fakes.corp.issueWelcomeCode({ userid: staff, externalUserId: 'wmShared' }),
        }),
      );
      // Each is delivered 3 times (WeCom's retries) to each instance, all at once.
      const deliveries = requests.flatMap((req) => [0, 1, 2].flatMap(() => [one.corp.send(req), two.corp.send(req)]));
      const answers = await Promise.all(deliveries);
      await Promise.all(rigs.map((r) => r.corp.settle()));
      expect(answers.every((a) => a.status === 200 && a.body === 'success')).toBe(true);

      const issued = await exportCoupons(await openCouponLedger(pair.stores[0], 'default'), 'issued');
      expect(issued.map((c) => c.customer)).toEqual(['wmShared']);
      const code = issued[0]!.code;
      const welcomes = fakes.corp.welcomes();
      expect(welcomes.map((w) => w.userid).sort()).toEqual(['lisi', 'zhangsan']);
      expect(welcomes.map((w) => (w.body.text as { content: string }).content)).toEqual([
        `欢迎 新朋友！\n新人券：${code}`,
        `欢迎 新朋友！\n新人券：${code}`,
      ]);
    } finally {
      for (const r of rigs) await r.close();
      await fakes.wecom.close();
      await fakes.corp.close();
      await pair.close();
    }
  });
}

describe('one coupon across instances', () => {
  describeInstances('PostgreSQL', postgresPair, () => serviceAvailable('postgres', POSTGRES_URL));
  describeInstances('SQLite', sqlitePair, async () => true);
});
