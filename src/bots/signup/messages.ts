/**
 * What the bot says, in one place. No personal data is written here except masked: names as
 * `张**`, phones as `138****5678`. Titles typed by staff are escaped for markdown.
 */
import { escapeMarkdownText } from '../../search/render-markdown.js';
import type { NoticeBody } from './ledger/locked.js';
import type { Activity, Signup } from './ledger/rows.js';
import type { ActivityCounts } from './ledger/roster.js';
import { formatDuration, formatTime } from './time.js';

/** How times read: the zone, and "now" (to leave out the current year). */
export interface Voice {
  timezone: string;
  now: () => number;
}

export const title = (a: Activity): string => `「${escapeMarkdownText(a.title)}」`;
export const when = (v: Voice, at: number): string => formatTime(at, v.timezone, v.now());
const party = (s: { party: number }): string => (s.party > 1 ? `（共 ${s.party} 人）` : '');

/** The ids of this module's buttons (`signup:join:A1`); the module adds its namespace. */
export const BUTTON = {
  join: (id: string) => `join:${id}`,
  confirm: (id: string) => `confirm:${id}`,
  decline: (id: string) => `decline:${id}`,
};

/** The activity card: what, when, how full, how to join. */
export function activityCard(v: Voice, a: Activity, counts: ActivityCounts): string {
  const lines = [
    `**${title(a)}** 编号 ${a.id}`,
    `时间：${when(v, a.startsAt)}`,
    `名额：${counts.held}/${a.capacity}${counts.waitlisted ? `，候补 ${counts.waitlisted} 人` : ''}`,
    `报名截止：${when(v, a.deadlineAt)}`,
  ];
  if (a.cancelBy < a.startsAt) lines.push(`取消截止：${when(v, a.cancelBy)}`);
  if (a.fields.length) lines.push(`需填写：${a.fields.map((f) => f.label).join('、')}`);
  if (a.status === 'closed') lines.push('<font color="comment">已停止报名</font>');
  else if (v.now() >= a.deadlineAt) lines.push('<font color="comment">报名已截止</font>');
  else lines.push(counts.held >= a.capacity ? '名额已满，报名将进入候补' : `@我 发送「报名 ${a.id}」或点击下方按钮`);
  return lines.join('\n');
}

export const say = {
  confirmed: (v: Voice, a: Activity, s: Signup, held: number) =>
    `✅ 报名成功！${title(a)}你的编号是 **${s.number}**${party(s)}，已报 ${held}/${a.capacity}。\n时间：${when(v, a.startsAt)}${a.cancelBy < a.startsAt ? `\n如需取消，请在 ${when(v, a.cancelBy)} 前发送「取消报名」` : ''}`,
  waitlisted: (a: Activity, s: Signup, position: number) =>
    `${title(a)}名额已满，你已进入候补名单第 **${position}** 位（编号 ${s.number}${s.party > 1 ? `，${s.party} 人` : ''}）。有名额空出时我会 @你 确认。`,
  duplicate: (v: Voice, a: Activity, s: Signup, position: number | undefined) => {
    if (s.status === 'offered')
      return `你有一个${title(a)}的候补名额待确认，请在 ${when(v, s.offerUntil ?? a.startsAt)} 前点击「确认参加」或发送「确认参加 ${a.id}」。`;
    if (s.status === 'waitlisted') return `你已经在${title(a)}的候补名单中了，第 ${position ?? '?'} 位（编号 ${s.number}），无需重复报名。`;
    return `你已经报名了${title(a)}，编号 ${s.number}${party(s)}，无需重复报名 😊`;
  },
  closed: (a: Activity) => `${title(a)}已停止报名。`,
  pastDeadline: (v: Voice, a: Activity) => `${title(a)}的报名已于 ${when(v, a.deadlineAt)} 截止。`,
  partyTooLarge: (a: Activity, n: number) => `${title(a)}共 ${a.capacity} 个名额，无法一次报名 ${n} 人。`,
  partyOverLimit: (max: number) => `每人最多可以报名 ${max} 人（例如「报名 ${Math.min(2, max)}人」）。`,
  noActivity: () => '当前没有可以报名的活动。',
  unknownActivity: (id: string) => `没有找到编号为 ${escapeMarkdownText(id)} 的活动，发送「活动」查看可报名的活动。`,
  choose: () => '有多个活动正在报名，请选择：',
  chooseCancel: () => '你报名了多个活动，请发送「取消报名 编号」：',
  cancelled: (a: Activity, s: Signup) => `已取消${title(a)}的${s.status === 'declined' ? '候补名额' : '报名'}。`,
  leftWaitlist: (a: Activity) => `已退出${title(a)}的候补名单。`,
  pastCutOff: (v: Voice, a: Activity) => `${title(a)}的取消截止时间（${when(v, a.cancelBy)}）已过，如需取消请联系工作人员。`,
  notSignedUp: (a: Activity | undefined) => (a ? `你还没有报名${title(a)}。` : '你还没有报名任何活动。'),
  offerConfirmed: (a: Activity, s: Signup) => `🎉 已确认！你将参加${title(a)}，编号 ${s.number}${party(s)}。`,
  offerAlready: (a: Activity, s: Signup) => `你已经确认参加${title(a)}了，编号 ${s.number}。`,
  offerExpired: (a: Activity) => `很抱歉，${title(a)}的确认时间已过，名额已顺延给下一位。发送「报名 ${a.id}」可以重新加入候补。`,
  noOffer: (a: Activity) => `你目前没有${title(a)}待确认的名额。`,
  /** The answer to a store outage: nothing was recorded, and the member knows it. */
  unavailable: () => '⚠️ 报名系统暂时不可用，这次操作**没有**生效，请稍后再试。',
  goPrivate: (a: Activity, robotName: string | undefined) =>
    `请${robotName ? `打开与「${escapeMarkdownText(robotName)}」的单聊` : '点击我的头像进入单聊'}，发送「报名」填写${title(a)}的报名信息（手机号等个人信息只在单聊中收集）。`,
  resumePrivate: (a: Activity) => `你好！发送「报名」继续填写${title(a)}的报名信息。`,
  formAbandoned: (a: Activity) => `已放弃填写${title(a)}的报名信息，没有报名。`,
  formRecorded: (label: string, masked: string) => `已记录${label}：${masked}`,
  staffOnly: () => '只有工作人员可以管理活动。',
  activityCreated: (v: Voice, a: Activity) =>
    `已创建活动${title(a)}，编号 **${a.id}**，${a.capacity} 个名额，${when(v, a.startsAt)} 开始。成员发送「报名 ${a.id}」即可报名。`,
  activityClosed: (a: Activity) => `${title(a)}已停止报名（已报名的成员不受影响）。`,
  resized: (a: Activity, capacity: number, offered: number) =>
    `${title(a)}名额已改为 ${capacity}。${offered ? `已向候补名单中的 ${offered} 位发出确认邀请。` : ''}`,
};

/** The offer to a member promoted from the waitlist, @-mentioning them. */
export function offerNotice(v: Voice, a: Activity, s: Signup, namespace: string): NoticeBody {
  return {
    markdown: `🎉 ${title(a)}有名额空出了！你是候补名单的下一位${party(s)}，请在 **${when(v, s.offerUntil ?? a.startsAt)}** 前点击「确认参加」或 @我 发送「确认参加 ${a.id}」，逾期名额将顺延给下一位。`,
    buttons: [
      { id: `${namespace}:${BUTTON.confirm(a.id)}`, text: '确认参加', replaceText: '已确认' },
      { id: `${namespace}:${BUTTON.decline(a.id)}`, text: '放弃名额', replaceText: '已放弃' },
    ],
    mention: [s.userId],
  };
}

/** Mentions at most this many members in one reminder: markdown is capped at 4096 bytes. */
const REMINDER_MENTIONS = 100;

/** A reminder before the start, @-mentioning the confirmed members. */
export function reminderNotice(v: Voice, a: Activity, leadMs: number, members: readonly string[]): NoticeBody {
  const shown = members.slice(0, REMINDER_MENTIONS);
  const more = members.length - shown.length;
  return {
    markdown: `⏰ ${title(a)}将于 **${when(v, a.startsAt)}** 开始（还有 ${formatDuration(leadMs)}），请准时参加！${more > 0 ? `\n（另有 ${more} 位已报名成员）` : ''}`,
    mention: shown,
  };
}
