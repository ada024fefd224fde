/**
 * One parsed callback through the router: builds the context, runs the middleware under the
 * reply envelope, and renders the (encrypted) HTTP response at the earliest of first reply,
 * handler end, or ack budget. Late replies and pushes continue in `pending`.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CorpClient } from '../corp/client.js';
import type { AibotCallback, CallbackMessage, GroupCallback } from '../protocol/callback/types.js';
import { renderJsonEnvelope, renderXmlEnvelope } from '../protocol/crypto/envelope.js';
import { aibotMarkdownMessage, renderAibotReply, type AibotUpdateCardReply } from '../protocol/reply/aibot-reply.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import { stripLeadingMention } from '../protocol/text/mentions.js';
import type { Store } from '../store/store.js';
import type { OpenedCallback } from './callback.js';
import { flatJsonAck, isFlatJsonPassive, renderFlatJsonReply, type ResolvedFlatJsonOptions } from './flat-json.js';
import { isResumed } from './handoff.js';
import type { Clock } from './clock.js';
import { Context, type ChatDetails, type ContextInit } from './context.js';
import { ReplyError } from './errors.js';
import type { RoutedMessage } from './filters.js';
import { aibotPassiveKinds, isGroupPassive, renderGroupPassive, renderStreamReply, renderWelcomeReply } from './passive.js';
import { messageText, type OutgoingReply } from './reply-content.js';
import { ReplyEnvelope, type EnvelopeOptions, type ReplyReceipt } from './reply-envelope.js';
import { respond, type BotResponse } from './request.js';
import { readStream, writeStream, type ReplyStream, type StreamState } from './stream.js';
import type { BotTransport } from './transport.js';
import { cardUpdateFor, cardUpdateTooLate, type UpdateCardOptions, type UpdatedCard } from './update-card.js';

/** The AI bot's first stream chunk, carried through the envelope like a message. */
export interface StreamChunk {
  msgtype: 'stream';
  stream: { id: string; finish: boolean; content: string };
}
/** Everything the envelope carries: replies, the first stream chunk, an AI bot card update. */
export type PassiveReply = OutgoingReply | StreamChunk | AibotUpdateCardReply;

export interface DispatchServices {
  store: Store;
  log: Logger;
  clock: Clock;
  transport: () => BotTransport;
  ackBudgetMs: number;
  webhookUrl: string | undefined;
  botName: string | undefined;
  /** True when debug lines are wanted (checked once, not per callback). */
  debug: boolean;
  /** Waits for queued sends of the transport, if it was ever created. */
  flush(): Promise<void>;
  /** Runs the router and the error handlers; never rejects. */
  run(ctx: Context): Promise<void>;
  /** `ctx.corp`: the corp API client (it refuses with a hint when no corp Secret is configured). */
  corp: () => CorpClient;
}

/** A robot's message (corp app events go through corp/dispatch.ts: no reply, no chat). */
export type RobotMessage = Exclude<RoutedMessage, { robot: 'corp' }>;

const CHAT_INFO_TTL_MS = 5 * 60 * 1000;

/** Text of a message for `ctx.text`, without the leading @bot. */
export function textOf(message: RobotMessage, botName: string | undefined): { text: string; mentioned: boolean } {
  let raw = '';
  if (message.type === 'text' || message.type === 'voice') raw = message.text;
  else if (message.type === 'mixed') raw = message.items.map((i) => (i.type === 'text' ? i.text : '')).join('');
  const flat = message.robot === 'group' && message.dialect === 'flat-json';
  const stripped = stripLeadingMention(raw, botName ?? (message.robot === 'group' ? message.botName : undefined));
  const single = message.chatType === 'single';
  // A gateway forwards only what addressed the robot, and may have cut the "@bot " already.
  const mentioned = single || flat || (raw !== '' && stripped !== raw.trim()) || message.type === 'event';
  // Voice is transcribed speech, not typed: nothing to strip.
  return { text: message.type === 'voice' ? raw.trim() : stripped, mentioned };
}

/**
 * What a context's init and an envelope's options take from the message and the services, for
 * both ways a message arrives (an HTTP callback, CallbackScope; a long-connection frame,
 * DirectScope): one object per message whose methods Context and ReplyEnvelope call.
 */
export abstract class MessageScope<M extends RobotMessage> {
  readonly text: string;
  readonly mentionedBot: boolean;
  readonly store: Store;
  readonly corp: () => CorpClient;
  readonly clock: Clock;
  readonly budgetMs: number;

  constructor(
    readonly message: M,
    protected readonly s: DispatchServices,
  ) {
    const { text, mentioned } = textOf(message, s.botName);
    this.text = text;
    this.mentionedBot = mentioned;
    this.store = s.store;
    this.corp = s.corp;
    this.clock = s.clock;
    this.budgetMs = s.ackBudgetMs;
  }
}

/** Answers an AI bot stream refresh from the store. */
export async function answerStreamRefresh(opened: OpenedCallback, streamId: string, s: DispatchServices): Promise<BotResponse> {
  const state = await readStream(s.store, streamId);
  if (!state) {
    // Another instance with a private memory store, or the state expired: WeCom keeps asking.
    s.log.warn(
      { streamId },
      'stream refresh for an unknown stream id: use a shared store (WECOMBOT_DATABASE_URL or WECOMBOT_REDIS_URL) on FaaS',
    );
    return respond(200, '');
  }
  return encryptedResponse(opened, renderStreamReply(streamId, state.content, state.finish));
}

/** Encrypts a passive plaintext into the envelope format of the callback. */
export function encryptedResponse(opened: OpenedCallback, plaintext: string): BotResponse {
  // AI bots require the callback URL's nonce; the SDK samples reuse it for group robots too.
  const reply = opened.robot.crypto.encryptReply(plaintext, { nonce: opened.query.nonce });
  if (opened.format === 'xml') return respond(200, renderXmlEnvelope(reply), 'application/xml; charset=utf-8');
  return respond(200, renderJsonEnvelope(reply), 'application/json; charset=utf-8');
}

/**
 * Where a callback came from: an encrypted WeCom callback (the answer is encrypted the same
 * way), or a gateway's flat JSON (answered in the clear, see flat-json.ts).
 */
export type CallbackSource = OpenedCallback | { flat: ResolvedFlatJsonOptions };

/** Dispatches a routed message; resolves once the HTTP response is decided. */
export async function dispatch(source: CallbackSource, message: RobotMessage, s: DispatchServices): Promise<BotResponse> {
  const scope = new CallbackScope(source, message, s);
  const envelope = scope.passiveEnvelope;
  const ctx = new Context(scope);

  const work = s.run(ctx).finally(() => envelope.close());
  const decision = await envelope.decision;

  const flat = scope.flat;
  let response: BotResponse;
  let passive = decision.passive;
  let fallback: Promise<unknown> | undefined;
  try {
    response = flat ? renderFlat(passive) : render(source as OpenedCallback, passive, scope.openStream?.state, scope.isGroup);
  } catch (err) {
    // A reply the passive format cannot carry (too long, bad characters): deliver it late instead.
    scope.log().warn({ err }, 'passive reply could not be rendered; sending it through the webhook/response_url');
    const late = passive;
    passive = undefined;
    response = flat ? flatJsonAck() : respond(200, '');
    if (late && !('response_type' in late) && late.msgtype !== 'stream') {
      fallback = envelope.reply(late).catch((e: unknown) => scope.log().error({ err: e }, 'late delivery of the passive reply failed'));
    }
  }
  if (passive && 'msgtype' in passive && passive.msgtype === 'stream') await scope.persist();
  if (s.debug) {
    const via = passive === undefined ? 'none' : 'passive';
    scope.log().debug({ chatId: ctx.chatId, reason: decision.reason, via, ms: s.clock.now() - scope.started }, 'callback answered');
  }

  const pending = work
    .then(async () => {
      if (fallback) await fallback;
      await scope.openStream?.chain;
      await s.flush();
    })
    .catch((err: unknown) => scope.log().error({ err }, 'late work failed'));
  return { status: response.status, headers: response.headers, body: response.body, pending };
}

/**
 * What one callback's context and envelope call back into: where late replies go, streams,
 * chat info and card updates. It is the context's init and the envelope's options at once, so a
 * callback costs one object with prototype methods rather than a dozen closures over the
 * dispatch frame (Context and ReplyEnvelope call them as methods of it).
 */
class CallbackScope extends MessageScope<RobotMessage> implements EnvelopeOptions<PassiveReply>, ContextInit {
  readonly flat: ResolvedFlatJsonOptions | undefined;
  readonly isGroup: boolean;
  readonly started: number;
  /** The envelope deciding this callback's HTTP answer. */
  readonly passiveEnvelope: ReplyEnvelope<PassiveReply>;
  openStream: { id: string; state: StreamState; chain: Promise<void> } | undefined;
  #childLog: Logger | undefined;
  #responseUrlUsed = false;
  /** What this callback may be answered with passively (AI bot: depends on the callback, doc 101031). */
  readonly #aibotKinds: readonly string[];
  /** Nothing is passive in an invocation a FaaS adapter resumed: nobody waits for its HTTP answer. */
  readonly #detached: boolean;

  constructor(source: CallbackSource, message: RobotMessage, s: DispatchServices) {
    super(message, s);
    this.flat = 'flat' in source ? source.flat : undefined;
    this.isGroup = message.robot === 'group';
    this.started = s.clock.now();
    this.#detached = isResumed();
    this.#aibotKinds = this.isGroup || this.#detached ? NO_KINDS : aibotPassiveKinds(message);
    this.passiveEnvelope = new ReplyEnvelope<PassiveReply>(this);
  }

  /** The context's envelope: the same one, typed for what a handler replies. */
  get envelope(): ReplyEnvelope<OutgoingReply> {
    return this.passiveEnvelope as ReplyEnvelope<OutgoingReply>;
  }

  /** The child logger, made on first use: most callbacks log nothing at the default level. */
  log(): Logger {
    return (this.#childLog ??= this.s.log.child({ robot: this.message.robot, msgId: this.message.msgId, type: this.message.type }));
  }

  // --- the envelope -------------------------------------------------------------------------

  canBePassive(m: PassiveReply): boolean {
    if (this.#detached) return false;
    const kinds = this.#aibotKinds;
    if (this.flat) return !('response_type' in m) && m.msgtype !== 'stream' && isFlatJsonPassive(this.flat, m as WebhookMessage);
    if ('response_type' in m) return kinds.includes('update');
    if (m.msgtype === 'stream') return this.isGroup || kinds.includes('stream');
    if (this.isGroup) return isGroupPassive(m as WebhookMessage);
    if (m.msgtype === 'template_card') return kinds.includes('card');
    // Text is sent as a finished stream to a message, as the welcome text to enter_chat.
    return messageText(m) !== undefined && (kinds.includes('stream') || kinds.includes('welcome'));
  }

  sendLate(m: PassiveReply): Promise<ReplyReceipt> {
    if ('response_type' in m) return Promise.reject(cardUpdateTooLate(this.passiveEnvelope.reason, this.budgetMs));
    if (m.msgtype === 'stream') return Promise.resolve({ via: 'stream' });
    return this.isGroup ? this.#pushGroup(m as WebhookMessage) : this.#respondLate(m);
  }

  // --- where late replies go ----------------------------------------------------------------

  get #webhookUrl(): string | undefined {
    return this.isGroup ? (this.message as GroupCallback & { webhookUrl: string }).webhookUrl || this.s.webhookUrl : undefined;
  }

  async #pushGroup(m: WebhookMessage): Promise<ReplyReceipt> {
    const webhookUrl = this.#webhookUrl;
    if (!webhookUrl) throw new ReplyError('reply_no_channel', 'no webhook to reply through', { hint: 'set WECOM_WEBHOOK_URL' });
    const message = this.message;
    const target: WebhookMessage = { ...m, chatid: m.chatid ?? message.chatId };
    if (message.robot === 'group' && message.postId && target.post_id === undefined) target.post_id = message.postId;
    await this.s.transport().sendWebhook(webhookUrl, target);
    return { via: 'webhook' };
  }

  async #respondLate(m: OutgoingReply): Promise<ReplyReceipt> {
    const message = this.message;
    const url = (message as AibotCallback & { responseUrl?: string }).responseUrl;
    const text = messageText(m);
    if (text === undefined && m.msgtype !== 'template_card') {
      throw new ReplyError('reply_unsupported', `an AI bot cannot send ${m.msgtype} through response_url`);
    }
    if (m.msgtype === 'template_card' && message.chatType !== 'single') {
      // Doc 101138: response_url takes a template_card only when the callback came from a single chat.
      throw new ReplyError('reply_unsupported', 'an AI bot sends a card through the response_url only in a single chat', {
        hint: 'in a group, send the card as the first reply within the ack budget (it then goes passively), or answer with markdown',
      });
    }
    if (!url || this.#responseUrlUsed) {
      throw new ReplyError(
        'reply_no_channel',
        this.#responseUrlUsed ? 'the response_url was already used' : 'this callback has no response_url',
        {
          hint: 'an AI bot answers once passively (or by stream) and once through response_url; combine replies into one',
        },
      );
    }
    this.#responseUrlUsed = true;
    // The response_url works once across all instances.
    if (!(await this.s.store.setIfAbsent(`aibot:response_url:${message.msgId}`, '1', { ttlMs: 60 * 60 * 1000 }))) {
      throw new ReplyError('reply_no_channel', 'the response_url was already used by another instance');
    }
    const body: Record<string, unknown> =
      text !== undefined
        ? { ...aibotMarkdownMessage(text) }
        : { msgtype: 'template_card', template_card: (m as { template_card: unknown }).template_card };
    await this.s.transport().postResponseUrl(url, body);
    return { via: 'response_url' };
  }

  /** `ctx.push`: through another robot's webhook when given, else this group's (an AI bot has none). */
  async push(m: WebhookMessage, webhook?: string): Promise<ReplyReceipt> {
    if (webhook) {
      await this.s.transport().sendWebhook(webhook, m);
      return { via: 'webhook' };
    }
    if (this.isGroup) return this.#pushGroup(m);
    throw new ReplyError('reply_unsupported', 'an AI bot has no webhook of its own', {
      hint: 'use ctx.reply, or ctx.push(content, { webhook }) to send through a group robot',
    });
  }

  // --- streams ------------------------------------------------------------------------------

  /** Writes the open stream's latest state (always the latest, so reordered writes cannot regress it). */
  persist(): Promise<void> {
    const st = this.openStream;
    if (!st) return Promise.resolve();
    st.chain = st.chain
      .then(() => writeStream(this.s.store, st.id, { ...st.state }))
      .catch((err: unknown) => {
        this.log().error({ err }, 'stream state write failed');
      });
    return st.chain;
  }

  stream(initial: string): ReplyStream {
    const id = randomBytes(12).toString('hex');
    const state: StreamState = { content: initial, finish: false };
    const envelope = this.passiveEnvelope;
    const claimed =
      this.#aibotKinds.includes('stream') && envelope.claimPassive({ msgtype: 'stream', stream: { id, finish: false, content: initial } });
    if (claimed) this.openStream = { id, state, chain: Promise.resolve() };
    let done = false;
    return {
      id,
      update: async (content) => {
        if (done) throw new ReplyError('reply_unsupported', 'the stream already finished');
        state.content = content;
        if (claimed) await this.persist();
      },
      finish: async (content) => {
        if (done) throw new ReplyError('reply_unsupported', 'the stream already finished');
        done = true;
        if (content !== undefined) state.content = content;
        state.finish = true;
        if (claimed) {
          await this.persist();
          return { via: 'stream' };
        }
        // Not streaming (classic robot, or too late for the first chunk): one ordinary reply.
        return envelope.reply({ msgtype: 'markdown', markdown: { content: state.content } });
      },
    };
  }

  // --- chat info ----------------------------------------------------------------------------

  async chatInfo(): Promise<ChatDetails> {
    const message = this.message;
    const url = message.robot === 'group' ? message.getChatInfoUrl : undefined;
    const key = `chatinfo:${message.chatId ?? ''}`;
    const cached = message.chatId ? await this.s.store.get(key) : undefined;
    if (cached) return JSON.parse(cached) as ChatDetails;
    if (!url) {
      throw new ReplyError('reply_unsupported', 'this callback carries no GetChatInfoUrl', {
        hint: 'only classic group robot callbacks carry it',
      });
    }
    const info = await this.s.transport().getChatInfo(url);
    if (message.chatId) await this.s.store.set(key, JSON.stringify(info), { ttlMs: CHAT_INFO_TTL_MS });
    return info;
  }

  // --- card updates (AI bot card clicks) ----------------------------------------------------

  async updateCard(card: UpdatedCard, options: UpdateCardOptions): Promise<ReplyReceipt> {
    const update = cardUpdateFor(this.message, card, options);
    // The update is the HTTP answer to the click itself: there is no late channel for it.
    if (!this.passiveEnvelope.claimPassive(update)) throw cardUpdateTooLate(this.passiveEnvelope.reason, this.budgetMs);
    return { via: 'passive' };
  }
}

const NO_KINDS: readonly string[] = [];

/** The answer to a flat JSON callback: the reply in the clear when allowed, else `200 {}`. */
function renderFlat(passive: PassiveReply | undefined): BotResponse {
  return passive === undefined ? flatJsonAck() : renderFlatJsonReply(passive as WebhookMessage);
}

/** Renders the decided passive reply (or an empty 200) as the encrypted HTTP response. */
function render(
  opened: OpenedCallback,
  passive: PassiveReply | undefined,
  streamState: StreamState | undefined,
  isGroup: boolean,
): BotResponse {
  if (passive === undefined) return respond(200, '');
  if ('response_type' in passive) return encryptedResponse(opened, renderAibotReply(passive));
  if (passive.msgtype === 'stream') {
    // The latest state: a fast handler may have updated or finished before we got here.
    const st = streamState ?? { content: passive.stream.content, finish: false };
    return encryptedResponse(opened, renderStreamReply(passive.stream.id, st.content, st.finish));
  }
  if (isGroup) return encryptedResponse(opened, renderGroupPassive(passive as WebhookMessage, opened.format));
  const content = messageText(passive);
  let plaintext: string;
  if (content === undefined)
    plaintext = JSON.stringify({ msgtype: 'template_card', template_card: (passive as { template_card: unknown }).template_card });
  // Among events only enter_chat takes text (aibotPassiveKinds), and there it is the welcome text.
  else if (opened.message.type === 'event') plaintext = renderWelcomeReply(content);
  else plaintext = renderStreamReply(randomBytes(12).toString('hex'), content, true);
  return encryptedResponse(opened, plaintext);
}

/** True for messages the router handles (not unknown types, not stream refreshes). */
export function isRouted(message: CallbackMessage): message is RoutedMessage {
  return message.type !== 'unknown' && message.type !== 'stream';
}
