/**
 * `退订` / `TD` said to the bot: the member is out of every campaign at once — planned offers
 * dropped, queued ones taken back from the outbox while still pending — and listed
 * (`wecombot campaigns optouts`). Only they see the answer.
 */
import type { Context } from '../../bot/context.js';
import type { CampaignRunner } from './runner.js';

export const OPTED_OUT_TEXT = '已退订：不会再收到活动消息。';
export const ALREADY_OUT_TEXT = '你已经退订过了。';

export async function optOut(ctx: Context, runner: CampaignRunner, word: string): Promise<void> {
  const subject = ctx.from.userId;
  const fresh = await runner.ledger.optOut(subject, word);
  const recalled = await runner.sender.recall(subject);
  ctx.log.info({ subject, recalled, fresh }, 'campaigns: opted out');
  await ctx.reply(fresh ? OPTED_OUT_TEXT : ALREADY_OUT_TEXT, ctx.chatType === 'group' ? { visibleTo: subject } : {});
}
