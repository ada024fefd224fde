/**
 * `group-join`: customers joining a customer group (corp change_external_chat add_member) are
 * welcomed by the robot configured for that group: visible to each of them when pushes may
 * carry visible_to_user, else privately with a WelcomeCode at hand, else by a public
 * @-mention without the code; each fallback logged. Staff are not welcomed, nor anyone twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import type { WelcomeConfigInput } from '../../../src/bots/welcome/config.js';
import { welcomeRig, type Rig, type RigUrls } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const CORP_CHAT = 'wrCorpGroupA';
const ROBOT_CHAT = 'wrRobotChatA';

const options =
  (extra: Partial<WelcomeConfigInput> = {}, chatId: string | null = ROBOT_CHAT) =>
  (urls: RigUrls): WelcomeConfigInput => ({
    text: '欢迎 {name}！\n你的新人券：{coupon}',
    templates: [{ group: ROBOT_CHAT, trigger: 'group-join', text: '欢迎 {name} 加入会员群！\n会员新人券：{coupon}' }],
    groups: { [CORP_CHAT]: { webhook: urls.groupWebhook, ...(chatId && { chatId }) } },
    coupons: { pattern: 'NEW-{XXXXXX}', count: 10 },
    ...extra,
  });

/** The corp group with named members, as groupchat/get will return it. */
function seedGroup(r: Rig): void {
  const t = Math.floor(Date.now() / 1000);
  r.fakeCorp.state.addGroupChat({
    chat_id: CORP_CHAT,
    owner: 'zhangsan',
    members: [
      { userid: 'zhangsan', type: 1, join_time: t - 3600, join_scene: 1 },
      // groupchat/get documents a member's 「加入群聊」 state; the fake's member type lacks it, but passes it through.
      { userid: 'wmAmy', type: 2, join_time: t, join_scene: 3, name: '艾米', ...{ state: 'qr-store' } },
      { userid: 'wmBen', type: 2, join_time: t, join_scene: 3, name: '本' },
    ],
  });
}

async function codeOf(r: Rig, member: string): Promise<string | undefined> {
  return (await exportCoupons(await openCouponLedger(r.store, 'default'), 'issued')).find((c) => c.customer === member)?.code;
}

describe('welcome on group:join', () => {
  it('by default (no visible_to_user on pushes): a public @-mention per customer, without a code, logged; staff are skipped', async () => {
    rig = await welcomeRig(options());
    seedGroup(rig);
    const ex = await rig.corp.customerJoinedGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy', 'lisi', 'wmBen'] });
    await rig.corp.settle();
    expect(ex.body).toBe('success');
    expect(rig.group.pushes()).toEqual([
      {
        msgtype: 'text',
        text: { content: '欢迎 艾米 加入会员群！\n🎁 你的新人券仅你可见：@我 发送「我的券」查看。', mentioned_list: ['wmAmy'] },
        chatid: ROBOT_CHAT,
      },
      {
        msgtype: 'text',
        text: { content: '欢迎 本 加入会员群！\n🎁 你的新人券仅你可见：@我 发送「我的券」查看。', mentioned_list: ['wmBen'] },
        chatid: ROBOT_CHAT,
      },
    ]);
    expect(await codeOf(rig, 'wmAmy')).toBeUndefined();
    expect(rig.logged('welcome privacy fallback').map((l) => [l.member, l.fallback, l.reason])).toEqual([
      ['wmAmy', 'mention', expect.stringContaining('privacy.pushVisibleTo is off')],
      ['wmBen', 'mention', expect.stringContaining('privacy.pushVisibleTo is off')],
    ]);
  });

  it('with pushVisibleTo and the robot chat id: one push per customer, visible to them, with their code and their channel’s template', async () => {
    const templates = [{ channel: 'qr-store', text: '门店扫码来的 {name}，欢迎！\n{coupon}' }];
    rig = await welcomeRig(options({ privacy: { pushVisibleTo: true }, templates }));
    seedGroup(rig);
    await rig.corp.customerJoinedGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy', 'wmBen'] });
    await rig.corp.settle();
    const [amy, ben] = [await codeOf(rig, 'wmAmy'), await codeOf(rig, 'wmBen')];
    expect(amy && ben && amy !== ben).toBeTruthy();
    expect(rig.group.pushes()).toEqual([
      { msgtype: 'text', text: { content: `门店扫码来的 艾米，欢迎！\n${amy}` }, chatid: ROBOT_CHAT, visible_to_user: 'wmAmy' },
      { msgtype: 'text', text: { content: `欢迎 本！\n你的新人券：${ben}` }, chatid: ROBOT_CHAT, visible_to_user: 'wmBen' },
    ]);
    expect(rig.logged('welcome sent')[0]).toMatchObject({
      trigger: 'group-join',
      member: 'wmAmy',
      privacy: 'visible_to_user',
      coupon: 'issued',
    });
  });

  it('pushVisibleTo without the robot chat id falls back, saying why', async () => {
    rig = await welcomeRig(options({ privacy: { pushVisibleTo: true, fallback: ['mention'] } }, null));
    await rig.corp.customerJoinedGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy'] });
    await rig.corp.settle();
    expect(rig.group.pushes()).toHaveLength(1);
    expect(rig.group.pushes()[0]).not.toHaveProperty('visible_to_user');
    expect(rig.logged('welcome privacy fallback')[0]?.reason).toBe(
      `groups.${CORP_CHAT}.chatId is not set: visible_to_user needs the robot's chat id of the group`,
    );
  });

  it('private fallback: a WelcomeCode at hand (a customer:add the bot did not answer) sends the welcome privately, code included', async () => {
    rig = await welcomeRig(options({ triggers: ['group-join'] }));
    seedGroup(rig);
    const add = await rig.corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmAmy', welcome: true });
    await rig.corp.customerJoinedGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy'] });
    await rig.corp.settle();
    const code = await codeOf(rig, 'wmAmy');
    expect(rig.group.pushes()).toEqual([]);
    expect(rig.fakeCorp.welcomes()).toEqual([expect.objectContaining({ welcomeCode: add.welcomeCode, externalUserId: 'wmAmy' })]);
    expect(rig.welcomeTexts()).toEqual([`欢迎 艾米 加入会员群！\n会员新人券：${code}`]);
    expect(rig.logged('welcome privacy fallback')[0]).toMatchObject({
      member: 'wmAmy',
      fallback: 'private',
      via: 'send_welcome_msg',
      coupon: 'issued',
    });
  });

  it('without MemChangeList the joiners are read from groupchat/get; nobody is welcomed twice in a group', async () => {
    rig = await welcomeRig(options());
    seedGroup(rig);
    await rig.corp.event({
      kind: 'chat',
      changeType: 'update',
      updateDetail: 'add_member',
      chatId: CORP_CHAT,
      joinScene: 3,
      quitScene: 0,
      memberIds: [],
    });
    await rig.corp.settle();
    expect(rig.group.pushes().map((p) => (p as { text: { mentioned_list: string[] } }).text.mentioned_list)).toEqual([
      ['wmAmy'],
      ['wmBen'],
    ]);
    // Amy leaves and joins again.
    await rig.corp.memberLeftGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy'] });
    await rig.corp.customerJoinedGroup({ chatId: CORP_CHAT, memberIds: ['wmAmy'], createTime: Math.floor(Date.now() / 1000) + 5 });
    await rig.corp.settle();
    expect(rig.group.pushes()).toHaveLength(2);
    expect(rig.logged('welcome suppressed')).toEqual([expect.objectContaining({ trigger: 'group-join', member: 'wmAmy' })]);
  });

  it('a group without a configured robot is not welcomed (and says so)', async () => {
    rig = await welcomeRig(options());
    await rig.corp.customerJoinedGroup({ chatId: 'wrElsewhere', memberIds: ['wmAmy'] });
    await rig.corp.settle();
    expect(rig.group.pushes()).toEqual([]);
    expect(rig.logged('no robot in welcome.groups')[0]).toMatchObject({ chat: 'wrElsewhere' });
  });
});
