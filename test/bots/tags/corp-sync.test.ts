import { afterEach, describe, expect, it } from 'vitest';
import { tags } from '../../../src/bots/tags/module.js';
import { createCorpClient, type CorpClient } from '../../../src/corp/client.js';
import { openStore } from '../../../src/store/index.js';
import { startFakeCorp } from '../../../src/testing/fake-corp/server.js';
import type { FakeCorp } from '../../../src/testing/fake-corp/types.js';
import { tagsRig, type TagsRig } from './rig.js';

let rig: TagsRig | undefined;
let fake: FakeCorp | undefined;
let corp: CorpClient | undefined;
afterEach(async () => {
  await rig?.close();
  await corp?.close();
  await fake?.close();
  rig = fake = corp = undefined;
});

describe('tags bot: synced both ways with WeCom corp tags', () => {
  it('links the tags WeCom has, creates the declared ones it lacks, marks a customer’s tags for their staff member, and drops what the admin deleted', async () => {
    fake = await startFakeCorp();
    const store = await openStore({ databaseUrl: 'memory:' });
    corp = createCorpClient({ corpId: fake.corpId, secret: fake.secret, baseUrl: fake.baseUrl, store });
    // The admin console already has 等级 / VIP, and 渠道 / 门店 that no config names.
    const existing = await corp.tags.add({ group_name: '等级', tag: [{ name: 'VIP' }] });
    await corp.tags.add({ group_name: '渠道', tag: [{ name: '门店' }] });
    const customer = fake.state.addCustomer({ userid: 'sales1', name: '王五' });

    rig = await tagsRig([tags({ staff: ['boss'], groups: { 等级: ['VIP', 'SVIP'] }, corp })], { store });
    const listing = await rig.book.listing();
    const grade = listing.find((g) => g.group === '等级');
    expect(grade?.corpId).toBe(existing.group_id);
    expect(grade?.tags.find((t) => t.name === 'VIP')?.corpId).toBe(existing.tag[0]?.id);
    const svip = grade?.tags.find((t) => t.name === 'SVIP');
    expect(svip?.corpId).toMatch(/.+/);
    expect([...fake.state.tagGroups.values()].find((g) => g.group_name === '等级')?.tags.map((t) => t.name)).toEqual(['VIP', 'SVIP']);
    expect(listing.find((g) => g.group === '渠道')?.tags.map((t) => t.name)).toEqual(['门店']);

    // A customer known with their follow-up staff member: a staff /tag sets the corp tag too.
    await rig.book.upsertSubject(customer.external_userid, { name: '王五', owner: 'sales1' });
    const ex = await rig.group.member('boss').says(`@bot /tag ${customer.external_userid} VIP`);
    expect(ex.reply?.content).toContain('已加上：VIP');
    expect(fake.state.customerTags('sales1', customer.external_userid)).toEqual([existing.tag[0]?.id]);
    await rig.group.member('boss').says(`@bot /untag ${customer.external_userid} VIP`);
    expect(fake.state.customerTags('sales1', customer.external_userid)).toEqual([]);

    // Deleted in the admin console: the next sync drops it, and each holder's removal is audited as corp.
    await rig.book.add('m1', ['门店'], { actor: 'cli', via: 'cli' });
    const shop = listing.find((g) => g.group === '渠道')?.tags[0]?.corpId as string;
    await corp.tags.delete({ tag_id: [shop] });
    const run = await rig.group.bot.runJob('tags-sync');
    expect(run.status).toBe('ran');
    expect(await rig.book.tagExists('门店')).toBe(false);
    expect(await rig.book.tagsOf('m1')).toEqual([]);
    expect((await rig.book.audit('m1'))[0]).toMatchObject({ tag: '门店', action: 'remove', actor: 'corp', via: 'corp' });
    await store.close();
  });

  it('WeCom failing keeps the local tag (logged), and the tag is still there for segments', async () => {
    fake = await startFakeCorp();
    const store = await openStore({ databaseUrl: 'memory:' });
    corp = createCorpClient({ corpId: fake.corpId, secret: fake.secret, baseUrl: fake.baseUrl, store, retry: { retries: 0 } });
    rig = await tagsRig([tags({ staff: ['boss'], corp })], { store });
    fake.invalidateTokens();
    await rig.group.member('zs', { name: '张三' }).says('@bot hi');
    fake.failNext(60020, 5);
    const ex = await rig.group.member('boss').says('@bot /tag @张三 新客');
    expect(ex.reply?.content).toContain('已加上：新客');
    expect(await rig.book.tagsOf('zs')).toEqual(['新客']);
    expect([...fake.state.tagGroups.values()].flatMap((g) => g.tags).some((t) => t.name === '新客')).toBe(false);
    await store.close();
  });
});
