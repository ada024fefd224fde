import { afterEach, describe, expect, it } from 'vitest';
import { signup } from '../../../src/bots/signup/module.js';
import { tags } from '../../../src/bots/tags/module.js';
import { parseTagsConfig } from '../../../src/bots/tags/config.js';
import { tagsRig, type TagsRig } from './rig.js';

let rig: TagsRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('tags bot: tagging from chat', () => {
  it('staff tag a member by display name; the change is audited with who and when; the answer is only for the staff member', async () => {
    rig = await tagsRig([tags({ staff: ['boss'], groups: { 等级: ['VIP'] } })]);
    await rig.group.member('zs', { name: '张三' }).says('@bot 你好');
    const ex = await rig.group.member('boss').says('@bot /tag @张三 VIP 上海');
    expect(ex.reply?.content).toContain('已加上：VIP、上海');
    expect(ex.reply?.visibleTo).toEqual(['boss']);
    expect(await rig.book.tagsOf('zs')).toEqual(['VIP', '上海']);
    const audit = await rig.book.audit('zs');
    expect(audit.map((a) => [a.tag, a.action, a.actor, a.via])).toEqual(
      expect.arrayContaining([
        ['VIP', 'add', 'boss', 'chat'],
        ['上海', 'add', 'boss', 'chat'],
      ]),
    );
    expect(audit.every((a) => typeof a.at === 'number' && a.at > 0)).toBe(true);
    // 上海 was new: it went into the default group; VIP stayed in 等级.
    const listing = await rig.book.listing();
    expect(listing.find((g) => g.group === '等级')?.tags.map((t) => [t.name, t.count])).toEqual([['VIP', 1]]);
    expect(listing.find((g) => g.group === '默认')?.tags.map((t) => t.name)).toEqual(['上海']);

    const again = await rig.group.member('boss').says('@bot /tag @张三 VIP');
    expect(again.reply?.content).toContain('这些标签已经有了');
    expect((await rig.book.audit('zs')).length).toBe(2);

    const un = await rig.group.member('boss').says('@bot /untag @张三 VIP');
    expect(un.reply?.content).toContain('已去掉：VIP');
    expect(await rig.book.tagsOf('zs')).toEqual(['上海']);
    expect((await rig.book.audit('zs'))[0]).toMatchObject({ tag: 'VIP', action: 'remove', actor: 'boss' });
  });

  it('a member who is not staff cannot tag; an unknown name and a bad tag are answered, not thrown', async () => {
    rig = await tagsRig([tags({ staff: ['boss'] })]);
    await rig.group.member('zs', { name: '张三' }).says('@bot hi');
    expect((await rig.group.member('zs').says('@bot /tag @张三 VIP')).reply?.content).toContain('只有工作人员');
    expect(await rig.book.tagsOf('zs')).toEqual([]);
    expect((await rig.group.member('boss').says('@bot /tag @李四 VIP')).reply?.content).toContain('不认识「李四」');
    expect((await rig.group.member('boss').says('@bot /tag @张三 not')).reply?.content).toContain('标签有误');
    expect((await rig.group.member('boss').says('@bot /tags @张三')).reply?.content).toContain('（无）');
  });

  it('records the groups a member speaks in, with the webhook campaigns deliver through', async () => {
    rig = await tagsRig([tags({})]);
    await rig.group.member('zs').says('@bot hi');
    const rows = await rig.book.db().selectFrom(rig.book.t.presence).selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ subject: 'zs', chat_id: 'wrCHAT' });
    expect(rows[0]?.webhook_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/webhook\/send\?key=/);
  });
});

describe('tags bot: rules', () => {
  it('a keyword rule tags a member who says the word to the bot, once, audited as the rule', async () => {
    rig = await tagsRig([tags({ keywords: [{ name: 'price', match: ['报价', '价格'], tag: '意向' }] })]);
    await rig.group.member('a').says('今天天气好 价格');
    expect(await rig.book.tagsOf('a')).toEqual([]); // not addressed to the bot
    await rig.group.member('a').says('@bot 价格多少');
    await rig.group.member('a').says('@bot 报价发我');
    expect(await rig.book.tagsOf('a')).toEqual(['意向']);
    expect(await rig.book.audit('a')).toEqual([expect.objectContaining({ tag: '意向', actor: 'rule:price', via: 'keyword' })]);
  });

  it('a behaviour rule tags whoever signs up for the activity it names (the signup bot’s signup.joined)', async () => {
    rig = await tagsRig([
      tags({ behaviours: [{ name: 'reader', on: 'signup.joined', where: { activity: 'reading' }, tag: '读书会' }] }),
      signup({
        activities: [
          { id: 'reading', title: '读书会', startsAt: '2099-06-03T14:00:00+08:00', capacity: 5 },
          { id: 'hike', title: '徒步', startsAt: '2099-06-04T14:00:00+08:00', capacity: 5 },
        ],
      }),
    ]);
    await rig.group.member('a').says('@bot 报名 reading');
    await rig.group.member('b').says('@bot 报名 hike');
    expect(await rig.book.tagsOf('a')).toEqual(['读书会']);
    expect(await rig.book.tagsOf('b')).toEqual([]);
    expect((await rig.book.audit('a'))[0]).toMatchObject({ actor: 'rule:reader', via: 'behaviour' });
  });
});

describe('tags options', () => {
  it('a bad field is named', () => {
    expect(() => parseTagsConfig({ keywords: [{ match: [], tag: 'x' }] })).toThrow(/keywords\[0\]\.match/);
    expect(() => parseTagsConfig({ behaviours: [{ on: 'Signup', tag: 'x' }] })).toThrow(/behaviours\[0\]\.on/);
    expect(() => parseTagsConfig({ groups: { a: ['x'], b: ['x'] } })).toThrow(/groups\.b repeats tag "x"/);
    expect(() => parseTagsConfig({ keywords: [{ match: 'x', tag: 'has space' }] })).toThrow(/keywords\[0\]\.tag\[0\]/);
  });
});
