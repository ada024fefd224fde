/**
 * The form: the fields of an activity asked one by one, each answer checked, the sign-up made
 * when the last one is in. In a group every prompt and echo is visible to the member only, and
 * answers are echoed masked (`138****5678`), so the bot never repeats a phone number where the
 * group can read it.
 */
import type { Context } from '../../../bot/context.js';
import type { NextFunction } from '../../../bot/composer.js';
import { checkAnswer, maskedAnswer } from '../fields.js';
import { findActivity } from '../ledger/activities.js';
import type { Activity } from '../ledger/rows.js';
import { say, title } from '../messages.js';
import { peekForm, withConversation, type FormState } from './conversation.js';
import { failClosed, ledgerCall, type SignupDeps } from './deps.js';
import { commitSignup, replySignup } from './join.js';
import { forgetIntent } from './pick.js';
import { answer } from './reply.js';

const ABANDON = /^(取消|算了|退出|不报了|cancel)$/i;

const address = (ctx: Context) => ({ chatId: ctx.chatId, userId: ctx.from.userId });

/**
 * Members this instance knows to be filling in a form. Only a hint for when the store cannot
 * be read: an answer then is refused with the outage message instead of being handed to the
 * rest of the bot (an FAQ would answer a phone number). Another instance does not know, and
 * lets the message go on.
 */
const openForms = new Map<string, number>();
const FORM_HINT_MS = 30 * 60_000;
const hintKey = (ctx: Context) => `${ctx.chatId}\n${ctx.from.userId}`;
function hint(ctx: Context, open: boolean): void {
  if (!open) return void openForms.delete(hintKey(ctx));
  if (openForms.size >= 10_000) openForms.delete(openForms.keys().next().value as string);
  openForms.set(hintKey(ctx), Date.now() + FORM_HINT_MS);
}
const hinted = (ctx: Context) => (openForms.get(hintKey(ctx)) ?? 0) > Date.now();

/** The question for `step`, with what the member may answer. */
export function prompt(ctx: Context, activity: Activity, step: number): string {
  const field = activity.fields[step];
  if (!field) return '';
  const inGroup = ctx.chatType === 'group';
  const lines = [
    `请填写${title(activity)}的报名信息（${step + 1}/${activity.fields.length}）：**${field.label}**${field.required ? '' : '（可回复「跳过」）'}`,
  ];
  if (inGroup) lines.push('@我 直接回复即可，回复「取消」放弃。');
  else lines.push('直接回复即可，回复「取消」放弃。');
  if (inGroup && (field.kind === 'phone' || field.kind === 'email'))
    lines.push('注意：你在群里发的消息群成员都能看到；我不会在群里重复你的号码。');
  return lines.join('\n');
}

/** Starts the form (replacing one left unfinished) and asks the first field. */
export async function startForm(ctx: Context, deps: SignupDeps, activity: Activity, party: number): Promise<void> {
  const started = await ledgerCall(ctx, deps, 'form', () =>
    withConversation(deps.store, address(ctx), async (c) => {
      c.form = { activityId: activity.id, party, step: 0, answers: {} };
    }),
  );
  hint(ctx, started !== undefined);
  if (started) await answer(ctx, prompt(ctx, activity, 0));
}

/**
 * A message of a member who is filling in a form is their answer; any other message goes on
 * down the chain (`next`). Commands come first, so `取消报名` or `活动` mid-form still work.
 */
export async function answerForm(ctx: Context, deps: SignupDeps, next: NextFunction): Promise<void> {
  let waiting: FormState | undefined;
  try {
    waiting = await peekForm(deps.store, address(ctx));
  } catch (err) {
    deps.log.warn({ err }, 'signup could not read form state');
    // An answer this instance asked for is refused; anything else goes on to the rest of the bot.
    if (hinted(ctx)) return failClosed(ctx, deps, 'form', err);
  }
  if (!waiting) {
    hint(ctx, false);
    return next();
  }
  await ledgerCall(ctx, deps, 'form', () =>
    withConversation(deps.store, address(ctx), async (c) => {
      const form = c.form;
      if (!form) return void (await answer(ctx, say.noActivity()));
      const activity = await findActivity(deps.desk.ledger, form.activityId);
      const field = activity?.fields[form.step];
      if (!activity || !field) {
        c.form = undefined;
        return void (await answer(ctx, say.unknownActivity(form.activityId)));
      }
      if (ABANDON.test(ctx.text.trim())) {
        c.form = undefined;
        hint(ctx, false);
        return void (await answer(ctx, say.formAbandoned(activity)));
      }
      const check = checkAnswer(field, ctx.text);
      if (!check.ok) return void (await answer(ctx, `${check.problem}\n${prompt(ctx, activity, form.step)}`));
      const answers = { ...form.answers, [field.key]: check.value };
      const step = form.step + 1;
      if (step < activity.fields.length) {
        c.form = { ...form, step, answers };
        return void (await answer(
          ctx,
          `${say.formRecorded(field.label, maskedAnswer(field, check.value))}\n${prompt(ctx, activity, step)}`,
        ));
      }
      // The last answer: sign up. If the ledger fails, the form stays at this step, so the
      // member only has to send the last answer again.
      const done = await commitSignup(ctx, deps, activity, form.party, answers);
      c.form = undefined;
      hint(ctx, false);
      if (!done) return void (await answer(ctx, say.unknownActivity(activity.id)));
      if (ctx.chatType === 'single') await forgetIntent(deps, ctx.from.userId).catch(() => undefined);
      await replySignup(ctx, deps, done, form.party);
    }),
  );
}
