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
import { Context, type ChatDetails, type ContextInit } from './context.js';
import { MessageScope, type DispatchServices, type RobotMessage } from './dispatch.js';
import { ReplyError } from './errors.js';
import type { OutgoingReply } from './reply-content.js';
import { ReplyEnvelope, type EnvelopeOptions, type ReplyReceipt } from './reply-envelope.js';
import type { ReplyStream } from './stream.js';
import { cardUpdateFor, type UpdateCardOptions, type UpdatedCard } from './update-card.js';

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
  const scope = new DirectScope(message, channel, s);
  try {
    await s.run(new Context(scope));
  } finally {
    scope.envelope.close();
    await channel.settle();
  }
}

/**
 * The context's init and the envelope's options of one directly delivered message, as one
 * object with prototype methods (Context and ReplyEnvelope call them as its methods): a frame
 * costs no closures for the replies, streams and card updates its handler may never use.
 */
class DirectScope extends MessageScope<DirectMessage> implements ContextInit, EnvelopeOptions<OutgoingReply> {
  // The envelope keeps ctx.reply's semantics (and ctx.deadline) without a passive slot.
  readonly decides = false;
  readonly envelope: ReplyEnvelope<OutgoingReply>;
  #log: Logger | undefined;

  constructor(
    message: DirectMessage,
    private readonly channel: DirectChannel,
    s: DispatchServices,
  ) {
    super(message, s);
    this.envelope = new ReplyEnvelope<OutgoingReply>(this);
  }

  canBePassive(): boolean {
    return false;
  }

  sendLate(m: OutgoingReply): Promise<ReplyReceipt> {
    return this.channel.reply(m);
  }

  log(): Logger {
    return (this.#log ??= this.s.log.child({ robot: 'aibot', transport: 'ws', msgId: this.message.msgId, type: this.message.type }));
  }

  async push(m: WebhookMessage, webhook?: string): Promise<ReplyReceipt> {
    if (!webhook) return this.channel.push(m);
    await this.s.transport().sendWebhook(webhook, m);
    return { via: 'webhook' };
  }

  chatInfo(): Promise<ChatDetails> {
    return Promise.reject(
      new ReplyError('reply_unsupported', 'a long-connection message carries no GetChatInfoUrl', {
        hint: 'only classic group robot callbacks carry it',
      }),
    );
  }

  stream(initial: string): ReplyStream {
    return this.channel.stream(initial);
  }

  async updateCard(card: UpdatedCard, options: UpdateCardOptions): Promise<ReplyReceipt> {
    return this.channel.updateCard(cardUpdateFor(this.message, card, options));
  }
}
