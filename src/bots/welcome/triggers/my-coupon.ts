/**
 * The coupon command (`我的券`): a member sees their own code, privately: in a single chat,
 * or in a group as a passive reply visible to them only. Where neither is possible (an AI
 * bot in a group, the ack budget gone) the answer says to ask in a single chat, without the
 * code. It shows the code the member holds, or claims their one code if they hold none yet
 * (a welcome that could not show it, e.g. a public @-mention, sends members here).
 */
import type { Context } from '../../../bot/context.js';
import type { WelcomeDeps } from '../deps.js';
import { canReplyPrivately } from '../passive.js';

export async function showMyCoupon(ctx: Context, deps: WelcomeDeps): Promise<void> {
  const { book, log } = deps;
  const member = ctx.from.userId;
  if (!book || !member) return;
  const single = ctx.chatType === 'single';
  const askPrivately = `请私聊我发送「${book.config.command ?? '我的券'}」查看你的新人券。`;
  if (!single && !canReplyPrivately(ctx)) {
    await ctx.reply(askPrivately, { mention: member });
    return;
  }
  const outcome = await book.claim({ customer: member, via: 'command', chat: ctx.chatId });
  const slot = book.slot(outcome);
  const text = slot && 'code' in slot ? `你的新人券：${slot.code}` : slot?.note || '暂时没有可发放的新人券。';
  // No await between the check and the reply (see passive.ts).
  if (single) await ctx.reply(text);
  else if (canReplyPrivately(ctx, text)) await ctx.reply(text, { visibleTo: member });
  else await ctx.reply(askPrivately, { mention: member });
  log.info(
    { member, chat: ctx.chatId, coupon: outcome.kind, ...(outcome.kind === 'issued' && { couponSeq: outcome.seq }) },
    'coupon command answered',
  );
  await book.afterWelcome(outcome);
}
