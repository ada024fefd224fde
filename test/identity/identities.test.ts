/**
 * Customer identity on SQLite and PostgreSQL: the same suite against both, including links
 * racing from two stores (two pools / two connections) on the same database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { openIdentities, type Identities } from '../../src/identity/identities.js';
import { identityTableNames } from '../../src/identity/schema.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { createTestCorp } from '../../src/testing/fake-corp/test-corp.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';
import { POSTGRES_URL, serviceAvailable } from '../helpers/services.js';
import { dropPostgresNamespace } from '../store/cleanup.js';

interface Backend {
  /** Opens a store on the shared database (call twice for two "instances"). */
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

function describeIdentities(name: string, make: () => Promise<Backend>) {
  describe(`identities on ${name}`, () => {
    let backend: Backend;
    let store: Store;
    let second: Store;
    let ids: Identities;
    let clock = 1_700_000_000_000;
    beforeAll(async () => {
      backend = await make();
      store = await backend.open();
      second = await backend.open();
      ids = await openIdentities(store, { now: () => clock++ });
    });
    afterAll(async () => {
      await store.close();
      await second.close();
      await backend.cleanup();
    });

    it('creates the tables under the store namespace through store.migrate, once', async () => {
      expect(await store.migrate((await import('../../src/identity/schema.js')).identityMigrations(store.namespace))).toEqual([]);
      const t = identityTableNames(store.namespace);
      expect(t.identity).toBe(`${store.namespace}_identity`);
      const rows = await store.db<Record<string, Record<string, unknown>>>().selectFrom(t.identity_key).selectAll().execute();
      expect(Array.isArray(rows)).toBe(true);
    });

    it('links staff, external_userid, unionid and mobile to one identity, found by any key', async () => {
      const a = await ids.link({ externalUserId: 'wmALICE', staffUserId: 'zhangsan' });
      const b = await ids.link({ externalUserId: 'wmALICE', unionId: 'oUNION_ALICE', staffUserId: 'lisi' });
      const c = await ids.link({ unionId: 'oUNION_ALICE', mobile: '+86 138-0013-8000' });
      expect(new Set([a.id, b.id, c.id]).size).toBe(1);
      expect(c).toMatchObject({
        externalUserIds: ['wmALICE'],
        unionIds: ['oUNION_ALICE'],
        mobiles: ['13800138000'],
        staffUserIds: ['zhangsan', 'lisi'],
      });
      for (const by of [
        { externalUserId: 'wmALICE' },
        { unionId: 'oUNION_ALICE' },
        { mobile: '13800138000' },
        { mobile: '0086 13800138000' },
        { id: a.id },
      ]) {
        expect((await ids.find(by))?.id).toBe(a.id);
      }
      expect(await ids.find({ externalUserId: 'wmNOBODY' })).toBeUndefined();
      expect(c.updatedAt).toBeGreaterThan(c.createdAt);
    });

    it('merges identities a strong key joins into the oldest; the old id still finds it', async () => {
      const older = await ids.link({ externalUserId: 'wmBOB', staffUserId: 'zhangsan' });
      const newer = await ids.link({ unionId: 'oUNION_BOB', staffUserId: 'wangwu' });
      expect(newer.id).not.toBe(older.id);
      const merged = await ids.link({ externalUserId: 'wmBOB', unionId: 'oUNION_BOB' });
      expect(merged.id).toBe(older.id);
      expect(merged).toMatchObject({ externalUserIds: ['wmBOB'], unionIds: ['oUNION_BOB'], staffUserIds: ['zhangsan', 'wangwu'] });
      expect((await ids.find({ id: newer.id }))?.id).toBe(older.id);
      expect((await ids.find({ unionId: 'oUNION_BOB' }))?.id).toBe(older.id);
    });

    it('a mobile known only by itself joins the customer; a mobile of another known customer stays there', async () => {
      const lead = await ids.link({ mobile: '13900001111' });
      const carol = await ids.link({ externalUserId: 'wmCAROL', mobile: '13900001111' });
      expect(carol.id).toBe(lead.id);
      expect(carol.mobiles).toEqual(['13900001111']);
      // A family member uses the same phone: it does not merge two customers known by their ids.
      const dave = await ids.link({ externalUserId: 'wmDAVE', mobile: '13900001111' });
      expect(dave.id).not.toBe(carol.id);
      expect(dave.mobiles).toEqual([]);
      expect((await ids.find({ mobile: '13900001111' }))?.id).toBe(carol.id);
    });

    it('links racing from two instances create one identity', async () => {
      const other = await openIdentities(second);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? ids : other).link({ externalUserId: 'wmRACE', staffUserId: `staff${i % 3}` })),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const found = await other.find({ externalUserId: 'wmRACE' });
      expect(found?.staffUserIds.sort()).toEqual(['staff0', 'staff1', 'staff2']);
    });

    it('refuses malformed keys, naming the field and not the value', async () => {
      await expect(ids.link({})).rejects.toMatchObject({ code: 'identity_invalid' });
      await expect(ids.link({ externalUserId: 'wm bad' })).rejects.toThrow(/externalUserId must be/);
      await expect(ids.link({ mobile: 'call me' })).rejects.toThrow(/^mobile must be/);
      await expect(ids.link({ externalUserId: 'wmOK', staffUserId: 'a;b' })).rejects.toThrow(/staffUserId/);
    });
  });
}

let dir: string;
describeIdentities('SQLite', async () => {
  dir = await mkdtemp(join(tmpdir(), 'wecombot-identity-'));
  const url = `sqlite:${join(dir, 'identity.db')}`;
  return { open: () => openStore({ databaseUrl: url }), cleanup: () => rm(dir, { recursive: true, force: true }) };
});

const postgres = await serviceAvailable('postgres', POSTGRES_URL);
describe.skipIf(!postgres)('PostgreSQL', () => {
  const namespace = `idt_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  describeIdentities('PostgreSQL', async () => ({
    open: () => openStore({ databaseUrl: POSTGRES_URL, namespace }),
    cleanup: () => dropPostgresNamespace(POSTGRES_URL, namespace),
  }));
});

describe('corp.identity: new customers are linked from their events', () => {
  it('links customer:add and edits to one identity, ctx.identity() gives it, deletions only look it up', async () => {
    const callback = randomSecrets();
    const bot = createBot({ corp: { corpId: 'wwIDENTITY', ...callback, identity: true }, logLevel: 'silent' });
    const seen: (string | undefined)[] = [];
    bot.on('customer:add', async (ctx) => void seen.push((await ctx.identity())?.id));
    bot.on('customer:deleted-by', async (ctx) => void seen.push((await ctx.identity())?.id));
    const corp = createTestCorp(bot);
    await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmAUTO' });
    await corp.customerEdited({ userId: 'lisi', externalUserId: 'wmAUTO' }); // no handler: linked all the same
    await corp.customerLeftStaff({ userId: 'zhangsan', externalUserId: 'wmAUTO' });
    await corp.customerLeftStaff({ userId: 'zhangsan', externalUserId: 'wmUNKNOWN' });
    await corp.settle();
    const ids = await openIdentities(await bot.store());
    const who = await ids.find({ externalUserId: 'wmAUTO' });
    expect(who?.staffUserIds).toEqual(['zhangsan', 'lisi']);
    expect(seen).toEqual([who?.id, who?.id, undefined]);
    expect(await ids.find({ externalUserId: 'wmUNKNOWN' })).toBeUndefined();
    await bot.close();
  });

  it('without corp.identity, ctx.identity() on a corp event says how to turn it on', async () => {
    const bot = createBot({ corp: { corpId: 'wwIDENTITY', ...randomSecrets() }, logLevel: 'silent' });
    let message = '';
    bot.on('customer:add', async (ctx) => void (await ctx.identity().catch((err: Error) => (message = err.message))));
    await createTestCorp(bot).customerAdded({ userId: 'u', externalUserId: 'wmX' });
    await bot.idle();
    expect(message).toMatch(/corp\.identity: true/);
    await bot.close();
  });
});
