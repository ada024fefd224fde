/**
 * `取消报名` / `取消报名 A1`, and the 放弃名额 button: gives the seat back before the cut-off
 * (or leaves the waitlist, or turns down an offer), and offers the freed seats to the waitlist
 * with an announcement to each promoted member.
 */
import type { Context } from '../../../bot/context.js';
import { deliverFromCallback } from '../deliver.js';
import { chatActivities, findActivity } from '../ledger/activities.js';
import type { Activity } from '../ledger/rows.js';
import { activeSignupsOf, signupOf } from '../ledger/roster.js';
import { say, title } from '../messages.js';
import { ledgerCall, type SignupDeps } from './deps.js';
import { answer } from './reply.js';

/** The activities the member is in, among those the code or the chat names. */
async function memberActivities(
  ctx: Context,
  deps: SignupDeps,
  code: string | undefined,
): Promise<{ candidates: Activity[]; mine: Activity[] }> {
  const ledger = deps.desk.ledger;
  await deps.desk.ready();
  const candidates = code
    ? [await findActivity(ledger, code)].filter((a): a is Activity => a !== undefined)
    : await chatActivities(ledger, ctx.chatId);
  const signups = await activeSignupsOf(
    ledger,
    ctx.from.userId,
    candidates.map((a) => a.id),
  );
  return { candidates, mine: candidates.filter((a) => signups.some((s) => s.activityId === a.id)) };
}

export async function cancel(ctx: Context, deps: SignupDeps, code: string | undefined): Promise<void> {
  const found = await ledgerCall(ctx, deps, 'read', () => memberActivities(ctx, deps, code));
  if (!found) return;
  const { candidates, mine } = found.value;
  if (code && candidates.length === 0) return void (await answer(ctx, say.unknownActivity(code)));
  if (mine.length === 0) return void (await answer(ctx, say.notSignedUp(candidates.length === 1 ? candidates[0] : undefined)));
  if (mine.length > 1) {
    const lines = mine.map((a) => `- 取消报名 **${a.id}** ${title(a)}`);
    return void (await answer(ctx, [say.chooseCancel(), ...lines].join('\n')));
  }
  await cancelIn(ctx, deps, mine[0] as Activity);
}

/** The 放弃名额 button of an offer: only an offered member can decline with it. */
export async function decline(ctx: Context, deps: SignupDeps, activityId: string): Promise<void> {
  const read = await ledgerCall(ctx, deps, 'read', async () => ({
    activity: await findActivity(deps.desk.ledger, activityId),
    signup: await signupOf(deps.desk.ledger, activityId, ctx.from.userId),
  }));
  if (!read) return;
  const { activity, signup } = read.value;
  if (!activity) return void (await answer(ctx, say.unknownActivity(activityId)));
  if (signup?.status !== 'offered') return void (await answer(ctx, say.noOffer(activity)));
  await cancelIn(ctx, deps, activity);
}

async function cancelIn(ctx: Context, deps: SignupDeps, activity: Activity): Promise<void> {
  const done = await ledgerCall(ctx, deps, 'cancel', () => deps.desk.cancel(activity.id, ctx.from.userId));
  if (!done) return;
  if (!done.value) return void (await answer(ctx, say.unknownActivity(activity.id)));
  const { result } = done.value;
  ctx.log.info({ activity: activity.id, outcome: result.kind, promoted: done.value.notices.length }, 'signup cancel');
  if (result.kind === 'not-signed-up') await answer(ctx, say.notSignedUp(activity));
  else if (result.kind === 'past-cut-off') await answer(ctx, say.pastCutOff(deps.desk.voice, activity));
  else await answer(ctx, result.freed ? say.cancelled(activity, result.signup) : say.leftWaitlist(activity));
  await deliverFromCallback(ctx, deps.desk, done.value, deps.log);
}
