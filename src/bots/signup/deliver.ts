/**
 * Delivering queued notices (ledger/notices.ts): right away from a callback of the activity's
 * own chat, otherwise by the sweep job through the chat's remembered webhook.
 */
import type { Context } from '../../bot/context.js';
import type { ReplyContent, ReplyOptions } from '../../bot/reply-content.js';
import type { Logger } from 'pino';
import type { SignupDesk, Done } from './desk.js';
import { callbackWebhook } from './chat/deps.js';
import { forRobot } from './chat/reply.js';
import type { NoticeBody } from './ledger/locked.js';
import { claimNotice, markDelivered, pendingNotices, postponeNotice, type PendingNotice } from './ledger/notices.js';
import type { Activity } from './ledger/rows.js';

/** A notice as a push: markdown with its buttons, the mentions added by the framework. */
export function noticeMessage(body: NoticeBody): { content: ReplyContent; options: ReplyOptions } {
  return {
    content: { markdown: forRobot('group', body.markdown), buttons: (body.buttons ?? []).map((b) => ({ ...b })) },
    options: body.mention?.length ? { mention: body.mention } : {},
  };
}

/** Delivers each notice once: claim, push, mark; a failed push is postponed for the sweep. */
export async function deliverNotices(
  desk: SignupDesk,
  notices: readonly PendingNotice[],
  push: (notice: PendingNotice) => Promise<void>,
  log: Logger,
): Promise<number> {
  let delivered = 0;
  for (const notice of notices) {
    if (!(await claimNotice(desk.ledger, notice))) continue;
    try {
      await push(notice);
      await markDelivered(desk.ledger, notice);
      delivered += 1;
    } catch (err) {
      // The notice text holds no personal data, but the log needs none of it: ids suffice.
      log.warn(
        { err, activity: notice.activityId, seq: notice.seq, kind: notice.kind, attempts: notice.attempts + 1 },
        'signup notice push failed; the sweep retries',
      );
      await postponeNotice(desk.ledger, notice).catch(() => undefined);
    }
  }
  return delivered;
}

/** True when a callback may announce into the activity's chat itself (the classic robot, same chat). */
function sameChat(ctx: Context, activity: Activity): boolean {
  return ctx.robot === 'group' && callbackWebhook(ctx) !== undefined && (activity.chatId === undefined || activity.chatId === ctx.chatId);
}

/**
 * Delivers what an operation queued, from the callback that caused it, when it came from the
 * activity's chat; otherwise the sweep job delivers it. Never throws: the change is committed,
 * and a notice not sent now stays queued.
 */
export async function deliverFromCallback(ctx: Context, desk: SignupDesk, done: Done<unknown>, log: Logger): Promise<void> {
  if (done.notices.length === 0 || !sameChat(ctx, done.activity)) return;
  try {
    const notices = await pendingNotices(desk.ledger, { activityId: done.activity.id, seqs: done.notices });
    await deliverNotices(
      desk,
      notices,
      async (notice) => {
        const { content, options } = noticeMessage(notice.body);
        await ctx.push(content, options);
      },
      log,
    );
  } catch (err) {
    log.warn({ err, activity: done.activity.id }, 'signup notices left for the sweep');
  }
}
