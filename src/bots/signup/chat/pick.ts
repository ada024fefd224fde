/**
 * Which activity a message means: the one it names (`报名 A1`), the one a member was sent to
 * the private chat for, or the only one open in the chat. Several open: the member chooses.
 */
import type { Context } from '../../../bot/context.js';
import { chatActivities, findActivity } from '../ledger/activities.js';
import type { Activity } from '../ledger/rows.js';
import type { SignupDeps } from './deps.js';

export type Pick =
  { kind: 'one'; activity: Activity } | { kind: 'many'; activities: Activity[] } | { kind: 'none' } | { kind: 'unknown'; code: string };

/** What a member was sent to the AI bot's single chat to fill in. */
export interface PrivateIntent {
  activityId: string;
  party: number;
}

const INTENT_TTL_MS = 24 * 3_600_000;
const intentKey = (userId: string) => `intent:${userId}`;

export async function saveIntent(deps: SignupDeps, userId: string, intent: PrivateIntent): Promise<void> {
  await deps.kv.set(intentKey(userId), JSON.stringify(intent), { ttlMs: INTENT_TTL_MS });
}

export async function readIntent(deps: SignupDeps, userId: string): Promise<PrivateIntent | undefined> {
  const raw = await deps.kv.get(intentKey(userId));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as PrivateIntent;
  } catch {
    return undefined;
  }
}

export async function forgetIntent(deps: SignupDeps, userId: string): Promise<void> {
  await deps.kv.delete(intentKey(userId));
}

/** True when the activity belongs in this chat (a single chat reaches any activity by its code). */
function belongs(ctx: Context, activity: Activity): boolean {
  return ctx.chatType === 'single' || activity.chatId === undefined || activity.chatId === ctx.chatId;
}

/**
 * Picks the activity for a message. `open` keeps only activities still taking sign-ups
 * (for `报名`); without it, every upcoming one of the chat counts (`名单`, `活动`).
 */
export async function pickActivity(ctx: Context, deps: SignupDeps, code: string | undefined, options: { open: boolean }): Promise<Pick> {
  const ledger = deps.desk.ledger;
  if (code) {
    const activity = await findActivity(ledger, code);
    return activity && belongs(ctx, activity) ? { kind: 'one', activity } : { kind: 'unknown', code };
  }
  if (ctx.chatType === 'single') {
    const intent = await readIntent(deps, ctx.from.userId);
    const activity = intent ? await findActivity(ledger, intent.activityId) : undefined;
    if (activity) return { kind: 'one', activity };
  }
  const now = ledger.now();
  let activities = ctx.chatType === 'single' ? [] : await chatActivities(ledger, ctx.chatId);
  if (options.open) activities = activities.filter((a) => a.status === 'open' && now < a.deadlineAt);
  if (activities.length === 0) return { kind: 'none' };
  if (activities.length === 1) return { kind: 'one', activity: activities[0] as Activity };
  return { kind: 'many', activities };
}
