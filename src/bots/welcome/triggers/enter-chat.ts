/**
 * `enter-chat`: a member opens the single chat with the robot (`event:enter_chat`, mostly the
 * AI bot's). The chat is private, so the welcome carries the code. It is the passive answer
 * to the event: a welcome text, or with `enterChat.card` a text_notice card whose emphasis
 * is the code. Once per member and robot within the suppression period (WeCom sends the
 * event each time the chat is opened).
 */
import type { Context } from '../../../bot/context.js';
import type { ReplyContent } from '../../../bot/reply-content.js';
import { afterWelcome, couponNote, draftWelcome, type WelcomeDraft } from '../compose.js';
import type { WelcomeDeps } from '../deps.js';
import type { ChatKey } from '../greetings.js';
import { displayName } from '../names.js';

function content(deps: WelcomeDeps, draft: WelcomeDraft): ReplyContent {
  const card = deps.config.enterChatCard;
  if (!card) return draft.text;
  const coupon = draft.coupon;
  return {
    card: {
      card_type: 'text_notice',
      main_title: { title: card.title },
      ...(coupon !== undefined &&
        coupon !== 'withheld' &&
        coupon.kind === 'issued' && { emphasis_content: { title: coupon.code, desc: '你的新人券' } }),
      sub_title_text: draft.text,
      card_action: { type: 1, url: card.url },
    },
  };
}

export async function welcomeEnterChat(ctx: Context, deps: WelcomeDeps, next: () => Promise<void>): Promise<void> {
  const { config, greetings, log } = deps;
  const member = ctx.from.userId;
  if (!config.triggers.has('enter-chat') || !member) return next();
  const chat: ChatKey = `single:${ctx.robot}`;
  let first: boolean;
  try {
    first = await greetings.claim(member, chat);
  } catch (err) {
    log.warn({ err, member }, 'welcome marks unavailable: no enter_chat welcome');
    return next();
  }
  if (!first) return next();
  let sent = false;
  try {
    const draft = await draftWelcome(deps, {
      situation: { trigger: 'enter-chat', chatIds: [], at: deps.now() },
      name: displayName(ctx.from.name, config.memberName),
      customer: member,
      private: true,
      chat: `single:${ctx.robot}`,
    });
    const receipt = await ctx.reply(content(deps, draft));
    sent = true;
    log.info({ trigger: 'enter-chat', member, robot: ctx.robot, via: receipt.via, ...couponNote(draft) }, 'welcome sent');
    await afterWelcome(deps, draft);
  } finally {
    if (!sent) await greetings.release(member, chat).catch(() => undefined);
  }
}
