/**
 * `ctx.sendWelcome`: answers the WelcomeCode of a new customer at once, inside the handler (the
 * code lives 20 seconds and works once, so it never waits behind a queue). A code that expired
 * or was already answered is logged with its code and a hint, and the handler goes on.
 */
import type { Logger } from 'pino';
import type { Attachment } from '../../corp/attachments.js';
import type { CorpClient } from '../../corp/client.js';
import type { ErrorCode } from '../../error-codes.js';
import { WecombotError } from '../../errors.js';
import type { RoutedMessage } from '../filters.js';
import { ReplyError } from '../errors.js';

/** A welcome: its text, or text and attachments (image, link, miniprogram, video, file). */
export type WelcomeContent = string | { text?: string; attachments?: Attachment[] };

/** How `ctx.sendWelcome` went. Only `sent: true` means WeCom accepted it. */
export type WelcomeOutcome =
  | { sent: true }
  | {
      sent: false;
      /**
       * `no_welcome_code`: the event carries none (the admin console has a welcome for this
       * staff member); `expired`: 41050, the 20 seconds are over or the code is unknown;
       * `already_delivered`: 41051, a welcome (another app's) reached the customer.
       */
      reason: 'no_welcome_code' | 'expired' | 'already_delivered';
      code?: ErrorCode;
    };

/** errcodes that end a welcome without failing the handler ([OFFICIAL] 92599 rules 1 and 3). */
const FINAL: Record<number, 'expired' | 'already_delivered'> = { 41050: 'expired', 41051: 'already_delivered' };

/** What the welcome needs from the callback it answers. */
export interface WelcomeServices {
  corp: () => CorpClient;
  log: () => Logger;
  /** When the callback arrived (epoch ms of `now`). */
  receivedAt: number;
  now: () => number;
}

/**
 * Sends the welcome of `message` (customer:add or customer:half-add) through `corp`.
 *
 * @throws ReplyError on another event; whatever the client throws for other failures (a network
 *   error, a refused token, a content over a limit), so that bot.catch sees them.
 */
export async function sendWelcome(message: RoutedMessage, content: WelcomeContent, s: WelcomeServices): Promise<WelcomeOutcome> {
  if (
    message.robot !== 'corp' ||
    message.type !== 'external_contact' ||
    (message.changeType !== 'add_external_contact' && message.changeType !== 'add_half_external_contact')
  ) {
    throw new ReplyError(
      'reply_unsupported',
      'ctx.sendWelcome answers a new customer: only customer:add and customer:half-add carry a WelcomeCode',
      {
        hint: "register it under bot.on('customer:add', …); elsewhere use ctx.corp (e.g. ctx.corp.massMessages.add)",
      },
    );
  }
  if (!message.welcomeCode) {
    s.log().info(
      { userId: message.userId },
      'no WelcomeCode on this customer:add: the admin console has a welcome for this staff member, so WeCom sends that one',
    );
    return { sent: false, reason: 'no_welcome_code' };
  }
  const body =
    typeof content === 'string'
      ? { text: { content } }
      : {
          ...(content.text !== undefined && { text: { content: content.text } }),
          ...(content.attachments && { attachments: content.attachments }),
        };
  try {
    await s.corp().welcome.send({ welcome_code: message.welcomeCode, ...body }, { receivedAt: s.receivedAt });
    return { sent: true };
  } catch (err) {
    const errcode = (err as { errcode?: unknown }).errcode;
    const reason = typeof errcode === 'number' ? FINAL[errcode] : undefined;
    if (!reason || !(err instanceof WecombotError)) throw err;
    const level = reason === 'expired' ? 'warn' : 'info';
    s.log()[level](
      { code: err.code, errcode, hint: err.hint, userId: message.userId, ageMs: s.now() - s.receivedAt },
      `welcome not sent: ${err.message}`,
    );
    return { sent: false, reason, code: err.code };
  }
}
