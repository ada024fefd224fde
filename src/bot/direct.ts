/**
 * The seam for transports that are not an HTTP callback: the AI bot's long connection
 * (wecombot/ws) hands the core an already parsed message and a `DirectChannel`, and gets the
 * same context, router, middleware and error handling as a callback. There is no HTTP response
 * to decide, so no passive slot: every reply goes through the channel at once.
 */
import type { Logger } from 'pino';
import type { AibotCallback } from '../protocol/callback/types.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import type { AibotUpdateCardReply } from '../protocol/reply/aibot-reply.js';
import { Context } from './context.js';
import { textOf, type DispatchServices, type RobotMessage } from './dispatch.js';
import { ReplyError } from './errors.js';
import type { OutgoingReply } from './reply-content.js';
import { ReplyEnvelope, type ReplyReceipt } from './reply-envelope.js';
import type { ReplyStream } from './stream.js';
import { cardUpdateFor } from './update-card.js';

/** Where the replies to one directly delivered message go (one per message). */
export interface DirectChannel {
  /** `ctx.reply`: a text, markdown or card, shaped by the channel for what it answers. */
  reply(message: OutgoingReply): Promise<ReplyReceipt>;
  /** `ctx.stream`: a stream whose every update is sent by the channel. */
  stream(initial: string): ReplyStream;
  /** `ctx.updateCard`: the card update answering a card click. */
  updateCard(update: AibotUpdateCardReply): Promise<ReplyReceipt>;
  /** `ctx.push` without a webhook: a new message into this conversation. */
  push(message: WebhookMessage): Promise<ReplyReceipt>;
  /** The handler returned: resolves when every frame it started is settled. Never rejects. */
  settle(): Promise<void>;
}

/** What happened to a directly delivered message. */
export type DirectOutcome = 'handled' | 'duplicate' | 'ignored';

/** An AI bot message the router handles (not unknown, not a stream refresh). */
export type DirectMessage = Extract<AibotCallback, RobotMessage>;

/**
 * Runs the router for `message` with replies through `channel`; resolves when the handler and
 * its frames are done. Never rejects (handler errors go to `bot.catch`).
 */
export async function dispatchDirect(message: DirectMessage, channel: DirectChannel, s: DispatchServices): Promise<void> {
  // The envelope keeps ctx.reply's semantics (and ctx.deadline) without a passive slot.
  const envelope = new ReplyEnvelope<OutgoingReply>({
    clock: s.clock,
    budgetMs: s.ackBudgetMs,
    decides: false,
    canBePassive: () => false,
    sendLate: (m) => channel.reply(m),
  });
  let log: Logger | undefined;
  const { text, mentioned } = textOf(message, s.botName);
  const ctx = new Context({
    message,
    text,
    mentionedBot: mentioned,
    store: s.store,
    log: () => (log ??= s.log.child({ robot: 'aibot', transport: 'ws', msgId: message.msgId, type: message.type })),
    envelope,
    push: async (m, webhook) => {
      if (!webhook) return channel.push(m);
      await s.transport().sendWebhook(webhook, m);
      return { via: 'webhook' };
    },
    chatInfo: () =>
      Promise.reject(
        new ReplyError('reply_unsupported', 'a long-connection message carries no GetChatInfoUrl', {
          hint: 'only classic group robot callbacks carry it',
        }),
      ),
    stream: (initial) => channel.stream(initial),
    updateCard: async (card, options) => channel.updateCard(cardUpdateFor(message, card, options)),
    corp: s.corp,
  });
  try {
    await s.run(ctx);
  } finally {
    envelope.close();
    await channel.settle();
  }
}
