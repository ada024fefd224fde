/**
 * Whether a reply to this callback can still be the passive one, the only channel where
 * `visible_to_user` is documented for everyone. The check and the reply must happen in the
 * same turn of the event loop (no `await` between): the envelope decides synchronously inside
 * `ctx.reply`, so nothing can take the passive slot in between.
 */
import type { Context } from '../../bot/context.js';
import { LIMITS } from '../../protocol/limits.js';
import { utf8ByteLength } from '../../protocol/text/utf8.js';

/**
 * True when `text`, replied now, goes back passively on a classic group robot (the one robot
 * whose passive reply carries VisibleToUser: an AI bot's reply cannot be limited to a member).
 */
export function canReplyPrivately(ctx: Context, text?: string): boolean {
  if (ctx.robot !== 'group' || ctx.deadline.responded || ctx.deadline.remainingMs() <= 0) return false;
  return text === undefined || utf8ByteLength(text) <= LIMITS.textContentBytes;
}

/** The webhook of the chat a group robot callback came from, for pushes with visible_to_user. */
export function callbackWebhook(ctx: Context): string | undefined {
  const m = ctx.message;
  return m.robot === 'group' && m.webhookUrl ? m.webhookUrl : undefined;
}
