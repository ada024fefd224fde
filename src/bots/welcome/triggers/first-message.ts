/**
 * `first-message`: a member @-mentions the bot in a group where it has not greeted them. The
 * welcome is the passive reply, `visible_to_user` the member: nobody else sees it. When the
 * passive reply is no longer possible (the ack budget passed while the code was claimed, or an
 * AI bot, whose replies cannot be limited to one member), it is a push with visible_to_user
 * when `privacy.pushVisibleTo` allows, else the fallbacks (fallback.ts).
 *
 * The member's message itself is then handled by the rest of the bot (an FAQ, a command),
 * unless it was only a greeting (`你好`) or the coupon command, which the welcome answers.
 */
import type { Context } from '../../../bot/context.js';
import { afterWelcome, couponNote, draftWelcome, type WelcomeDraft } from '../compose.js';
import type { WelcomeDeps } from '../deps.js';
import { deliverFallback } from '../fallback.js';
import type { ChatKey } from '../greetings.js';
import { displayName } from '../names.js';
import { callbackWebhook, canReplyPrivately } from '../passive.js';
import type { WelcomeSituation } from '../rules.js';

const GREETING = /^(?:你好|您好|hi|hello|hey|哈喽|嗨|在吗|在么|在不在|有人吗)?[\s!！。.~～?？]*$/iu;

/** The corp customer group a robot chat belongs to, when `groups` maps one to it. */
function corpChatOf(deps: WelcomeDeps, robotChatId: string): string | undefined {
  for (const [corpChatId, robot] of deps.config.groups) if (robot.chatId === robotChatId) return corpChatId;
  return undefined;
}

async function deliver(ctx: Context, deps: WelcomeDeps, member: string, name: string, situation: WelcomeSituation): Promise<boolean> {
  const { config, log } = deps;
  const where = { trigger: 'first-message', chat: ctx.chatId, member };
  let draft: WelcomeDraft | undefined;
  try {
    if (canReplyPrivately(ctx)) {
      draft = await draftWelcome(deps, { situation, name, customer: member, private: true, chat: ctx.chatId });
      // No await between this check and the reply: the passive slot cannot be lost in between.
      if (canReplyPrivately(ctx, draft.text)) {
        const receipt = await ctx.reply(draft.text, { visibleTo: member });
        log.info({ ...where, via: receipt.via, privacy: 'visible_to_user', ...couponNote(draft) }, 'welcome sent');
        return true;
      }
      // Too late now: a code claimed for this draft stays the member's (`我的券` shows it).
    }
    const webhook = callbackWebhook(ctx);
    if (config.privacy.pushVisibleTo && webhook) {
      draft ??= await draftWelcome(deps, { situation, name, customer: member, private: true, chat: ctx.chatId });
      await deps.push.send(webhook, { msgtype: 'text', text: { content: draft.text }, chatid: ctx.chatId, visible_to_user: member });
      log.info({ ...where, via: 'push', privacy: 'visible_to_user', ...couponNote(draft) }, 'welcome sent');
      return true;
    }
    const reason =
      ctx.robot === 'aibot'
        ? 'an AI bot reply cannot be visible to one member only'
        : 'the passive reply (the one with visible_to_user) is no longer available';
    return await deliverFallback(ctx, deps, {
      situation,
      member,
      name,
      reason,
      chat: ctx.chatId,
      mention: async (text) => void (await ctx.reply(text, { mention: member })),
    });
  } finally {
    // A code taken for this member may have crossed a stock threshold, whichever way the welcome went.
    if (draft) await afterWelcome(deps, draft);
  }
}

export async function welcomeFirstMessage(ctx: Context, deps: WelcomeDeps, next: () => Promise<void>): Promise<void> {
  const { config, greetings, log } = deps;
  const member = ctx.from.userId;
  if (!config.triggers.has('first-message') || ctx.robot === 'corp' || ctx.chatType !== 'group' || !member) return next();
  const corpChatId = corpChatOf(deps, ctx.chatId);
  // A group welcomed on group:join (under its corp id) is the same group here.
  const chat: ChatKey = `group:${corpChatId ?? ctx.chatId}`;
  let first: boolean;
  try {
    first = await greetings.claim(member, chat);
  } catch (err) {
    log.warn({ err, chat: ctx.chatId, member }, 'welcome marks unavailable: no first-message welcome');
    return next();
  }
  if (!first) return next();
  const situation: WelcomeSituation = {
    trigger: 'first-message',
    chatIds: [ctx.chatId, ...(corpChatId ? [corpChatId] : [])],
    at: deps.now(),
  };
  let delivered = false;
  try {
    delivered = await deliver(ctx, deps, member, displayName(ctx.from.name, config.memberName), situation);
  } finally {
    if (!delivered) await greetings.release(member, chat).catch(() => undefined);
  }
  const text = ctx.text.trim();
  const command = config.coupons?.command;
  const answered = GREETING.test(text) || (command !== undefined && text.replace(/^[/／]/u, '') === command);
  if (!answered || !delivered) return next();
}
