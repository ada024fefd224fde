import { afterEach, describe, expect, it } from 'vitest';
import { CorpRequestError, type CorpTag } from '../../src/corp/index.js';
import { corpSetup, type CorpSetup } from './helpers.js';

let setup: CorpSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

async function refusedField(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CorpRequestError)) throw new Error(`expected a CorpRequestError, got ${String(err)}`);
  return err.field;
}

describe('corp tags', () => {
  it('add, list, edit, mark, delete', async () => {
    setup = await corpSetup();
    const { corp, fake } = setup;
    fake.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmCustomer1' });
    const group = await corp.tags.add({ group_name: '意向', order: 2, tag: [{ name: '高' }, { name: '低', order: 1 }] });
    expect(group.group_name).toBe('意向');
    expect(group.tag.map((t) => t.name)).toEqual(['高', '低']);
    const [high, low] = group.tag as [CorpTag, CorpTag];
    // Same group name: the tags join the existing group.
    const more = await corp.tags.add({ group_name: '意向', tag: [{ name: '中' }] });
    expect(more.group_id).toBe(group.group_id);
    expect((await corp.tags.list()).flatMap((g) => g.tag.map((t) => t.name))).toEqual(['高', '低', '中']);
    expect((await corp.tags.list({ tag_id: [low.id] }))[0]?.tag.map((t) => t.name)).toEqual(['低']);

    await corp.tags.edit({ id: high.id, name: '很高' });
    await corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmCustomer1', add_tag: [high.id, low.id] });
    await corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmCustomer1', remove_tag: [low.id] });
    expect(fake.state.customerTags('zhangsan', 'wmCustomer1')).toEqual([high.id]);
    const detail = await corp.contacts.get('wmCustomer1');
    expect(detail.follow_user[0]?.tags).toEqual([{ group_name: '意向', tag_name: '很高', tag_id: high.id, type: 1 }]);

    await corp.tags.delete({ tag_id: [low.id] });
    await corp.tags.delete({ group_id: [group.group_id] });
    expect(await corp.tags.list()).toEqual([]);
  });

  it('maps what WeCom refuses to coded errors', async () => {
    setup = await corpSetup();
    const { corp, fake } = setup;
    fake.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmCustomer1' });
    fake.state.addStaff('lisi');
    const group = await corp.tags.add({ group_name: 'g', tag: [{ name: 'a' }] });
    const tagId = group.tag[0]!.id;
    await expect(corp.tags.add({ group_id: group.group_id, tag: [{ name: 'a' }] })).rejects.toMatchObject({
      code: 'wecom_tag_name_exists',
      errcode: 40071,
    });
    await expect(corp.tags.edit({ id: 'etUnknown', name: 'x' })).rejects.toMatchObject({ code: 'wecom_invalid_tag_id', errcode: 40068 });
    await expect(corp.tags.mark({ userid: 'lisi', external_userid: 'wmCustomer1', add_tag: [tagId] })).rejects.toMatchObject({
      code: 'wecom_no_external_contact_relation',
      errcode: 84061,
    });
    await expect(corp.tags.mark({ userid: 'nobody', external_userid: 'wmCustomer1', add_tag: [tagId] })).rejects.toMatchObject({
      code: 'wecom_invalid_userid',
      errcode: 40003,
    });
    await expect(corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmNobody', add_tag: [tagId] })).rejects.toMatchObject({
      code: 'wecom_invalid_external_userid',
      errcode: 40096,
    });
  });

  it('stops at the corp limit of 3000 tags (40126)', async () => {
    setup = await corpSetup();
    const names = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ name: `${p}${i}` }));
    for (let g = 0; g < 3; g++) await setup.corp.tags.add({ group_name: `g${g}`, tag: names(1000, `t${g}-`) });
    await expect(setup.corp.tags.add({ group_name: 'one more', tag: [{ name: 'x' }] })).rejects.toMatchObject({
      code: 'wecom_corp_tag_limit',
      errcode: 40126,
    });
  });

  it.each([
    ['no group', () => ({ tag: [{ name: 'a' }] }), 'group_id'],
    ['an empty group', () => ({ group_name: 'g', tag: [] }), 'tag'],
    ['a tag name over 30 characters', () => ({ group_name: 'g', tag: [{ name: '标'.repeat(31) }] }), 'tag[0].name'],
    ['a group name over 30 characters', () => ({ group_name: 'g'.repeat(31), tag: [{ name: 'a' }] }), 'group_name'],
    ['an order below 0', () => ({ group_name: 'g', order: -1, tag: [{ name: 'a' }] }), 'order'],
    ['an order of 2^32', () => ({ group_name: 'g', tag: [{ name: 'a', order: 2 ** 32 }] }), 'tag[0].order'],
  ])('add refuses %s', async (_name, request, field) => {
    setup = await corpSetup();
    expect(await refusedField(setup.corp.tags.add(request() as never))).toBe(field);
    expect(setup.fake.received).toHaveLength(0);
  });

  it('edit, delete and mark refuse requests that do nothing', async () => {
    setup = await corpSetup();
    const { corp } = setup;
    expect(await refusedField(corp.tags.edit({ id: 'et1' }))).toBe('name');
    expect(await refusedField(corp.tags.edit({ id: '', name: 'x' }))).toBe('id');
    expect(await refusedField(corp.tags.delete({}))).toBe('tag_id');
    expect(await refusedField(corp.tags.mark({ userid: 'u', external_userid: 'wm' }))).toBe('add_tag');
    expect(await refusedField(corp.tags.mark({ userid: 'u', external_userid: '', add_tag: ['et'] }))).toBe('external_userid');
    expect(await refusedField(corp.tags.mark({ userid: 'u', external_userid: 'wm', add_tag: [''] }))).toBe('add_tag[0]');
    expect(setup.fake.received).toHaveLength(0);
  });
});

describe('external contacts', () => {
  it('get returns the customer and their follow users; unknown ids are 40096', async () => {
    setup = await corpSetup();
    setup.fake.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmA', name: '王语嫣', unionid: 'ozUnion', state: 'ad-1' });
    setup.fake.state.addCustomer({ userid: 'lisi', external_userid: 'wmA' });
    const detail = await setup.corp.contacts.get('wmA');
    expect(detail.external_contact).toEqual({ external_userid: 'wmA', name: '王语嫣', type: 1, unionid: 'ozUnion' });
    expect(detail.follow_user.map((f) => [f.userid, f.state])).toEqual([
      ['zhangsan', 'ad-1'],
      ['lisi', undefined],
    ]);
    await expect(setup.corp.contacts.get('wmNobody')).rejects.toMatchObject({ code: 'wecom_invalid_external_userid' });
    expect(await refusedField(setup.corp.contacts.get(''))).toBe('external_userid');
  });

  it('batch/get_by_user pages with a cursor and checks its limits', async () => {
    setup = await corpSetup();
    for (let i = 0; i < 5; i++) setup.fake.state.addCustomer({ userid: 'zhangsan', external_userid: `wm${i}` });
    const first = await setup.corp.contacts.batchGetByUser({ userid_list: ['zhangsan'], limit: 3 });
    expect(first.external_contact_list.map((c) => c.external_contact.external_userid)).toEqual(['wm0', 'wm1', 'wm2']);
    const rest = await setup.corp.contacts.batchGetByUser({ userid_list: ['zhangsan'], limit: 3, cursor: first.next_cursor! });
    expect(rest.external_contact_list.map((c) => c.follow_info.userid)).toEqual(['zhangsan', 'zhangsan']);
    expect(rest.next_cursor).toBeUndefined();
    const users = Array.from({ length: 101 }, (_, i) => `u${i}`);
    expect(await refusedField(setup.corp.contacts.batchGetByUser({ userid_list: users }))).toBe('userid_list');
    expect(await refusedField(setup.corp.contacts.batchGetByUser({ userid_list: [] }))).toBe('userid_list');
    expect(await refusedField(setup.corp.contacts.batchGetByUser({ userid_list: ['zhangsan'], limit: 101 }))).toBe('limit');
  });
});

describe('customer groups', () => {
  it('list pages and filters by owner; get returns members, names only when asked', async () => {
    setup = await corpSetup();
    const { fake, corp } = setup;
    const chat = fake.state.addGroupChat({ owner: 'zhangsan', name: '销售客服群' });
    fake.state.addGroupChat({ owner: 'lisi' });
    fake.state.addGroupMember(chat.chat_id, { userid: 'wmA', type: 2, join_scene: 3, name: '王语嫣' });
    const all = await corp.groupChats.list({ limit: 1 });
    expect(all.group_chat_list).toHaveLength(1);
    expect(all.next_cursor).toBe('1');
    const mine = await corp.groupChats.list({ owner_filter: { userid_list: ['zhangsan'] } });
    expect(mine.group_chat_list).toEqual([{ chat_id: chat.chat_id, status: 0 }]);
    const plain = await corp.groupChats.get(chat.chat_id);
    expect(plain.member_list.map((m) => [m.userid, m.join_scene, m.name])).toEqual([
      ['zhangsan', 1, undefined],
      ['wmA', 3, undefined],
    ]);
    expect((await corp.groupChats.get(chat.chat_id, { needName: true })).member_list[1]?.name).toBe('王语嫣');
    expect(plain.member_version).toBe(chat.member_version);
  });

  it('checks limit, status_filter and owner_filter', async () => {
    setup = await corpSetup();
    const { corp } = setup;
    expect(await refusedField(corp.groupChats.list({ limit: 0 }))).toBe('limit');
    expect(await refusedField(corp.groupChats.list({ limit: 1001 }))).toBe('limit');
    expect(await refusedField(corp.groupChats.list({ status_filter: 4 as 0 }))).toBe('status_filter');
    expect(
      await refusedField(corp.groupChats.list({ owner_filter: { userid_list: Array.from({ length: 101 }, (_, i) => `u${i}`) } })),
    ).toBe('owner_filter.userid_list');
    expect(await refusedField(corp.groupChats.get(''))).toBe('chat_id');
    expect(setup.fake.received).toHaveLength(0);
  });
});
