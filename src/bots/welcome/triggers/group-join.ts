/**
 * `group-join`: customers joined a customer group (corp `group:join`, change_external_chat
 * add_member). A group robot gets no join event of its own, so the corp event says who joined
 * and the robot configured for that group in `groups` says it in the group.
 *
 * Defensive readings, each [UNCONFIRMED]:
 * - whether a corp `ChatId` equals the robot's chat id of the same group is not documented, so
 *   the robot's chat id is configured (`groups.<ChatId>.chatId`), never assumed;
 * - `MemChangeList` is a newer field: when it is empty, the members who joined at or after the
 *   event's time are read from groupchat/get;
 * - staff join groups too: a member is a customer when groupchat/get says type 2, or, without
 *   that answer, when the id looks like an external_userid (`wm…`, `wo…`);
 * - `visible_to_user` on a push takes the customer's id as WeCom knows them in the group; on a
 *   beta interface this is the external_userid as far as anyone has reported.
 */
import type { Context } from '../../../bot/context.js';
import type { GroupChatMember } from '../../../corp/group-chats.js';
import type { CorpGroupChatJoinCallback } from '../../../protocol/callback/corp-types.js';
import { afterWelcome, couponNote, draftWelcome } from '../compose.js';
import type { GroupRobot } from '../config.js';
import type { WelcomeDeps } from '../deps.js';
import { deliverFallback } from '../fallback.js';
import type { ChatKey } from '../greetings.js';
import { displayName, groupMembers } from '../names.js';
import type { WelcomeSituation } from '../rules.js';

/** How far before the event's CreateTime a member's join_time may be and still count as this join. */
const JOIN_SLACK_S = 60;

function looksLikeCustomer(id: string): boolean {
  return /^w[mo][A-Za-z0-9_-]+$/.test(id);
}

/** The customers this event is about. */
function joinedCustomers(message: CorpGroupChatJoinCallback, members: Map<string, GroupChatMember> | undefined): string[] {
  const ids =
    message.memberIds.length > 0
      ? message.memberIds
      : [...(members?.values() ?? [])].filter((m) => m.join_time >= message.createTime - JOIN_SLACK_S).map((m) => m.userid);
  return [...new Set(ids)].filter((id) => {
    const type = members?.get(id)?.type;
    return type === undefined ? looksLikeCustomer(id) : type === 2;
  });
}

interface OneJoin {
  chatId: string;
  robot: GroupRobot;
  member: string;
  name: string;
  situation: WelcomeSituation;
}

/** One customer's welcome: private in the group when pushes may be, else the fallbacks. */
async function welcomeOne(ctx: Context, deps: WelcomeDeps, join: OneJoin): Promise<boolean> {
  const { config, push, log } = deps;
  const { robot, member, chatId } = join;
  if (config.privacy.pushVisibleTo && robot.chatId) {
    const draft = await draftWelcome(deps, { situation: join.situation, name: join.name, customer: member, private: true, chat: chatId });
    await push.send(robot.webhook, { msgtype: 'text', text: { content: draft.text }, chatid: robot.chatId, visible_to_user: member });
    log.info(
      { trigger: 'group-join', chat: chatId, member, via: 'push', privacy: 'visible_to_user', ...couponNote(draft) },
      'welcome sent',
    );
    await afterWelcome(deps, draft);
    return true;
  }
  const reason = config.privacy.pushVisibleTo
    ? `groups.${chatId}.chatId is not set: visible_to_user needs the robot's chat id of the group`
    : 'robot pushes do not carry visible_to_user (privacy.pushVisibleTo is off: it is a beta interface)';
  return deliverFallback(ctx, deps, {
    situation: join.situation,
    member,
    name: join.name,
    reason,
    chat: chatId,
    mention: (text) =>
      push.send(robot.webhook, {
        msgtype: 'text',
        text: { content: text, mentioned_list: [member] },
        ...(robot.chatId && { chatid: robot.chatId }),
      }),
  });
}

export async function welcomeGroupJoin(
  ctx: Context,
  message: CorpGroupChatJoinCallback,
  deps: WelcomeDeps,
  next: () => Promise<void>,
): Promise<void> {
  const { config, greetings, log } = deps;
  if (!config.triggers.has('group-join')) return next();
  const robot = config.groups.get(message.chatId);
  if (!robot) {
    log.info(
      { chat: message.chatId, members: message.memberIds.length },
      'customers joined a group with no robot in welcome.groups: not welcomed',
    );
    return next();
  }
  // groupchat/get tells customers from staff, gives names and the join 「State」; optional.
  const members = config.lookupNames || message.memberIds.length === 0 ? await groupMembers(ctx, message.chatId, log) : undefined;
  const chat: ChatKey = `group:${message.chatId}`;
  // One after the other: the robot sends 20 a minute, and the order of joins is kept.
  for (const member of joinedCustomers(message, members)) {
    let first: boolean;
    try {
      first = await greetings.claim(member, chat);
    } catch (err) {
      // Without the mark a retried event would welcome again: skip rather than risk it.
      log.error({ err, chat: message.chatId, member }, 'welcome marks unavailable: group welcome skipped');
      continue;
    }
    if (!first) {
      log.info({ trigger: 'group-join', chat: message.chatId, member }, 'welcome suppressed: welcomed in this group within suppressFor');
      continue;
    }
    const info = members?.get(member);
    const situation: WelcomeSituation = {
      trigger: 'group-join',
      chatIds: [message.chatId, ...(robot.chatId ? [robot.chatId] : [])],
      ...(info?.state !== undefined && { channel: info.state }),
      at: deps.now(),
    };
    let delivered = false;
    try {
      delivered = await welcomeOne(ctx, deps, {
        chatId: message.chatId,
        robot,
        member,
        name: displayName(info?.name ?? info?.group_nickname, config.memberName),
        situation,
      });
    } catch (err) {
      log.error({ err, chat: message.chatId, member }, 'group welcome failed');
    } finally {
      if (!delivered) await greetings.release(member, chat).catch(() => undefined);
    }
  }
}
