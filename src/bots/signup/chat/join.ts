/**
 * `报名`, `报名 A1`, `报名 2人`, and the 报名 button: signs a member up at once when the activity
 * asks for no fields, otherwise starts the form — in the AI bot's single chat where there is
 * one, else in the group.
 */
import type { Context } from '../../../bot/context.js';
import { rememberWebhook } from '../ledger/activities.js';
import type { Activity } from '../ledger/rows.js';
import { signupOf } from '../ledger/roster.js';
import { ACTIVE } from '../ledger/schema.js';
import type { SignUpResult } from '../ledger/seats.js';
import { BUTTON, say, title, when } from '../messages.js';
import { maskedAnswer } from '../fields.js';
import type { Done } from '../desk.js';
import { callbackWebhook, ledgerCall, type SignupDeps } from './deps.js';
import { startForm } from './form.js';
import { pickActivity, saveIntent } from './pick.js';
import { answer, type Button } from './reply.js';

export interface JoinRequest {
  code: string | undefined;
  party: number;
}

/**
 * Reads what follows `报名`: an activity id and/or a party size, in any order.
 *
 * @example parseJoinArgs('A3 2人') // { code: 'A3', party: 2 }
 * @example parseJoinArgs('') // { code: undefined, party: 1 }
 */
export function parseJoinArgs(rest: string): JoinRequest {
  let text = rest.trim();
  let party = 1;
  const size = /(?:^|\s)(\d{1,3})\s*(?:人|位|名|个人)?(?=\s|$)/u.exec(text);
  if (size) {
    party = Number(size[1]);
    text = `${text.slice(0, size.index)} ${text.slice(size.index + size[0].length)}`.trim();
  }
  const code = text.split(/\s+/)[0] || undefined;
  return { code, party };
}

export async function join(ctx: Context, deps: SignupDeps, request: JoinRequest): Promise<void> {
  if (request.party < 1 || request.party > deps.config.maxParty) {
    await answer(ctx, say.partyOverLimit(deps.config.maxParty));
    return;
  }
  const picked = await ledgerCall(ctx, deps, 'pick', async () => {
    await deps.desk.ready();
    return pickActivity(ctx, deps, request.code, { open: true });
  });
  if (!picked) return;
  const pick = picked.value;
  if (pick.kind === 'none') return void (await answer(ctx, say.noActivity()));
  if (pick.kind === 'unknown') return void (await answer(ctx, say.unknownActivity(pick.code)));
  if (pick.kind === 'many') {
    const buttons: Button[] = pick.activities
      .slice(0, 5)
      .map((a) => ({ id: deps.button(BUTTON.join(a.id)), text: `${a.id} ${a.title}`.slice(0, 20) }));
    const lines = pick.activities.slice(0, 5).map((a) => `- **${a.id}** ${title(a)} ${when(deps.desk.voice, a.startsAt)}`);
    return void (await answer(ctx, [say.choose(), ...lines].join('\n'), buttons));
  }
  const activity = pick.activity;
  const webhook = callbackWebhook(ctx);
  if (webhook && (activity.chatId === undefined || activity.chatId === ctx.chatId)) {
    // Best effort: announcements fall back to WECOM_WEBHOOK_URL without it.
    await rememberWebhook(deps.desk.ledger, activity, webhook).catch((err: unknown) =>
      deps.log.warn({ err }, 'signup could not remember the chat webhook'),
    );
  }
  if (activity.fields.length === 0) return commitAndReply(ctx, deps, activity, request.party, {});

  // A form is needed: first make sure it is not a duplicate (checked again under the lock).
  const existing = await ledgerCall(ctx, deps, 'read', () => signupOf(deps.desk.ledger, activity.id, ctx.from.userId));
  if (!existing) return;
  if (existing.value && ACTIVE.includes(existing.value.status)) {
    return void (await answer(ctx, say.duplicate(deps.desk.voice, activity, existing.value, undefined)));
  }
  const privateChat = ctx.robot === 'aibot' && ctx.chatType === 'single';
  if (!privateChat && (ctx.robot === 'aibot' || deps.config.privateChat)) {
    const saved = await ledgerCall(ctx, deps, 'intent', () =>
      saveIntent(deps, ctx.from.userId, { activityId: activity.id, party: request.party }),
    );
    if (saved) await answer(ctx, say.goPrivate(activity, deps.config.privateChat?.robotName));
    return;
  }
  await startForm(ctx, deps, activity, request.party);
}

/** Signs up under the activity's lock. Raw: the caller decides how a failure is answered. */
export function commitSignup(
  ctx: Context,
  deps: SignupDeps,
  activity: Activity,
  party: number,
  answers: Record<string, string>,
): Promise<Done<SignUpResult> | undefined> {
  const name = answers.name || ctx.from.name || ctx.from.userId;
  return deps.desk.signUp(activity.id, { userId: ctx.from.userId, name, party, answers, actor: ctx.from.userId });
}

/** The answer to a sign-up, only for the member; a form's answers are repeated masked. */
export async function replySignup(ctx: Context, deps: SignupDeps, done: Done<SignUpResult>, party: number): Promise<void> {
  const { result, activity } = done;
  const v = deps.desk.voice;
  ctx.log.info(
    {
      activity: activity.id,
      outcome: result.kind,
      ...('signup' in result ? { number: result.signup.number, status: result.signup.status } : {}),
    },
    'signup',
  );
  switch (result.kind) {
    case 'confirmed':
    case 'waitlisted': {
      const text =
        result.kind === 'confirmed'
          ? say.confirmed(v, activity, result.signup, result.held)
          : say.waitlisted(activity, result.signup, result.position);
      // Before the answer, so a behaviour rule's tag is in place by the time the member reads it.
      await deps.events?.emit('signup.joined', {
        activity: activity.id,
        userId: ctx.from.userId,
        chatId: ctx.chatId,
        status: result.signup.status,
      });
      const summary = activity.fields.map((f) => `${f.label}：${maskedAnswer(f, result.signup.answers[f.key])}`);
      return void (await answer(ctx, summary.length ? `${text}\n${summary.join('\n')}` : text));
    }
    case 'duplicate': {
      const buttons: Button[] =
        result.signup.status === 'offered'
          ? [{ id: deps.button(BUTTON.confirm(activity.id)), text: '确认参加', replaceText: '已确认' }]
          : [];
      return void (await answer(ctx, say.duplicate(v, activity, result.signup, result.position), buttons));
    }
    case 'closed':
      return void (await answer(ctx, say.closed(activity)));
    case 'past-deadline':
      return void (await answer(ctx, say.pastDeadline(v, activity)));
    case 'party-too-large':
      return void (await answer(ctx, say.partyTooLarge(activity, party)));
  }
}

async function commitAndReply(
  ctx: Context,
  deps: SignupDeps,
  activity: Activity,
  party: number,
  answers: Record<string, string>,
): Promise<void> {
  const done = await ledgerCall(ctx, deps, 'signup', () => commitSignup(ctx, deps, activity, party, answers));
  if (!done) return;
  if (!done.value) return void (await answer(ctx, say.unknownActivity(activity.id)));
  await replySignup(ctx, deps, done.value, party);
}
