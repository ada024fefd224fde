/**
 * `确认参加` and the 确认参加 button of an offer: the promoted member takes the seat before the
 * offer's deadline. Too late, the offer passes to the next in line (announced to them).
 */
import type { Context } from '../../../bot/context.js';
import { deliverFromCallback } from '../deliver.js';
import { chatActivities } from '../ledger/activities.js';
import { activeSignupsOf } from '../ledger/roster.js';
import { say } from '../messages.js';
import { ledgerCall, type SignupDeps } from './deps.js';
import { answer } from './reply.js';

/** `确认参加` without a code: the member's one pending offer in this chat. */
async function offeredIn(ctx: Context, deps: SignupDeps): Promise<string | undefined> {
  await deps.desk.ready();
  const activities = await chatActivities(deps.desk.ledger, ctx.chatId);
  const signups = await activeSignupsOf(
    deps.desk.ledger,
    ctx.from.userId,
    activities.map((a) => a.id),
  );
  return signups.find((s) => s.status === 'offered')?.activityId;
}

export async function confirm(ctx: Context, deps: SignupDeps, code: string | undefined): Promise<void> {
  let activityId = code;
  if (!activityId) {
    const found = await ledgerCall(ctx, deps, 'read', () => offeredIn(ctx, deps));
    if (!found) return;
    if (!found.value) return void (await answer(ctx, '你目前没有待确认的候补名额。'));
    activityId = found.value;
  }
  const done = await ledgerCall(ctx, deps, 'confirm', () => deps.desk.confirm(activityId, ctx.from.userId));
  if (!done) return;
  if (!done.value) return void (await answer(ctx, say.unknownActivity(activityId)));
  const { result, activity } = done.value;
  ctx.log.info({ activity: activity.id, outcome: result.kind }, 'signup confirm');
  switch (result.kind) {
    case 'confirmed':
      await answer(ctx, say.offerConfirmed(activity, result.signup));
      break;
    case 'already':
      await answer(ctx, say.offerAlready(activity, result.signup));
      break;
    case 'expired':
      await answer(ctx, say.offerExpired(activity));
      break;
    case 'no-offer':
      await answer(ctx, say.noOffer(activity));
      break;
  }
  await deliverFromCallback(ctx, deps.desk, done.value, deps.log);
}
