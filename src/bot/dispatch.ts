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
import { ReplyEnvelope, type ReplyReceipt } from './reply-envelope.js';
import { respond, type BotResponse } from './request.js';
import { readStream, writeStream, type ReplyStream, type StreamState } from './stream.js';
import type { BotTransport } from './transport.js';
import { cardUpdateFor, cardUpdateTooLate } from './update-card.js';

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
  const flat = 'flat' in source ? source.flat : undefined;
  // The child logger is made on first use: most callbacks log nothing at the default level.
  let childLog: Logger | undefined;
  const getLog = () => (childLog ??= s.log.child({ robot: message.robot, msgId: message.msgId, type: message.type }));
  const started = s.clock.now();
  const isGroup = message.robot === 'group';
  const transport = s.transport;

  // --- where late replies go -------------------------------------------------------------
  const webhookUrl = isGroup ? (message as GroupCallback & { webhookUrl: string }).webhookUrl || s.webhookUrl : undefined;
  const pushGroup = async (m: WebhookMessage): Promise<ReplyReceipt> => {
    if (!webhookUrl) throw new ReplyError('reply_no_channel', 'no webhook to reply through', { hint: 'set WECOM_WEBHOOK_URL' });
    const target: WebhookMessage = { ...m, chatid: m.chatid ?? message.chatId };
    if (message.robot === 'group' && message.postId && target.post_id === undefined) target.post_id = message.postId;
    await transport().sendWebhook(webhookUrl, target);
    return { via: 'webhook' };
  };
  let responseUrlUsed = false;
  const respondLate = async (m: OutgoingReply): Promise<ReplyReceipt> => {
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
    if (!url || responseUrlUsed) {
      throw new ReplyError(
        'reply_no_channel',
        responseUrlUsed ? 'the response_url was already used' : 'this callback has no response_url',
        {
          hint: 'an AI bot answers once passively (or by stream) and once through response_url; combine replies into one',
        },
      );
    }
    responseUrlUsed = true;
    // The response_url works once across all instances.
    if (!(await s.store.setIfAbsent(`aibot:response_url:${message.msgId}`, '1', { ttlMs: 60 * 60 * 1000 }))) {
      throw new ReplyError('reply_no_channel', 'the response_url was already used by another instance');
    }
    const body: Record<string, unknown> =
      text !== undefined
        ? { ...aibotMarkdownMessage(text) }
        : { msgtype: 'template_card', template_card: (m as { template_card: unknown }).template_card };
    await transport().postResponseUrl(url, body);
    return { via: 'response_url' };
  };

  // What this callback may be answered with passively (AI bot: depends on the callback, doc 101031).
  // Nothing, in an invocation a FaaS adapter resumed: nobody waits for its HTTP answer.
  const detached = isResumed();
  const aibotKinds = isGroup || detached ? [] : aibotPassiveKinds(message);
  const envelope = new ReplyEnvelope<PassiveReply>({
    clock: s.clock,
    budgetMs: s.ackBudgetMs,
    canBePassive: (m) => {
      if (detached) return false;
      if (flat) return !('response_type' in m) && m.msgtype !== 'stream' && isFlatJsonPassive(flat, m as WebhookMessage);
      if ('response_type' in m) return aibotKinds.includes('update');
      if (m.msgtype === 'stream') return isGroup || aibotKinds.includes('stream');
      if (isGroup) return isGroupPassive(m as WebhookMessage);
      if (m.msgtype === 'template_card') return aibotKinds.includes('card');
      // Text is sent as a finished stream to a message, as the welcome text to enter_chat.
      return messageText(m) !== undefined && (aibotKinds.includes('stream') || aibotKinds.includes('welcome'));
    },
    sendLate: (m): Promise<ReplyReceipt> => {
      if ('response_type' in m) return Promise.reject(cardUpdateTooLate(envelope.reason, s.ackBudgetMs));
      if (m.msgtype === 'stream') return Promise.resolve({ via: 'stream' });
      return isGroup ? pushGroup(m as WebhookMessage) : respondLate(m);
    },
  });

  // --- streams -----------------------------------------------------------------------------
  let openStream: { id: string; state: StreamState; chain: Promise<void> } | undefined;
  const persist = () => {
    const st = openStream;
    if (!st) return Promise.resolve();
    // Always writes the latest state, so reordered writes cannot regress the content.
    st.chain = st.chain
      .then(() => writeStream(s.store, st.id, { ...st.state }))
      .catch((err: unknown) => {
        getLog().error({ err }, 'stream state write failed');
      });
    return st.chain;
  };
  const stream = (initial: string): ReplyStream => {
    const id = randomBytes(12).toString('hex');
    const state: StreamState = { content: initial, finish: false };
    const claimed =
      aibotKinds.includes('stream') && envelope.claimPassive({ msgtype: 'stream', stream: { id, finish: false, content: initial } });
    if (claimed) openStream = { id, state, chain: Promise.resolve() };
    let done = false;
    return {
      id,
      async update(content) {
        if (done) throw new ReplyError('reply_unsupported', 'the stream already finished');
        state.content = content;
        if (claimed) await persist();
      },
      async finish(content) {
        if (done) throw new ReplyError('reply_unsupported', 'the stream already finished');
        done = true;
        if (content !== undefined) state.content = content;
        state.finish = true;
        if (claimed) {
          await persist();
          return { via: 'stream' };
        }
        // Not streaming (classic robot, or too late for the first chunk): one ordinary reply.
        return envelope.reply({ msgtype: 'markdown', markdown: { content: state.content } });
      },
    };
  };

  // --- chat info ---------------------------------------------------------------------------
  const chatInfo = async (): Promise<ChatDetails> => {
    const url = message.robot === 'group' ? message.getChatInfoUrl : undefined;
    const key = `chatinfo:${message.chatId ?? ''}`;
    const cached = message.chatId ? await s.store.get(key) : undefined;
    if (cached) return JSON.parse(cached) as ChatDetails;
    if (!url) {
      throw new ReplyError('reply_unsupported', 'this callback carries no GetChatInfoUrl', {
        hint: 'only classic group robot callbacks carry it',
      });
    }
    const info = await transport().getChatInfo(url);
    if (message.chatId) await s.store.set(key, JSON.stringify(info), { ttlMs: CHAT_INFO_TTL_MS });
    return info;
  };

  // --- card updates (AI bot card clicks) ----------------------------------------------------
  const updateCard: ContextInit['updateCard'] = async (card, options) => {
    const update = cardUpdateFor(message, card, options);
    // The update is the HTTP answer to the click itself: there is no late channel for it.
    if (!envelope.claimPassive(update)) throw cardUpdateTooLate(envelope.reason, s.ackBudgetMs);
    return { via: 'passive' };
  };

  const { text, mentioned } = textOf(message, s.botName);
  const ctx = new Context({
    message,
    text,
    mentionedBot: mentioned,
    store: s.store,
    log: getLog,
    envelope: envelope as ReplyEnvelope<OutgoingReply>,
    push: async (m, webhook) => {
      if (webhook) {
        await transport().sendWebhook(webhook, m);
        return { via: 'webhook' };
      }
      if (isGroup) return pushGroup(m);
      throw new ReplyError('reply_unsupported', 'an AI bot has no webhook of its own', {
        hint: 'use ctx.reply, or ctx.push(content, { webhook }) to send through a group robot',
      });
    },
    chatInfo,
    stream,
    updateCard,
    corp: s.corp,
  });

  const work = s.run(ctx).finally(() => envelope.close());
  const decision = await envelope.decision;

  let response: BotResponse;
  let passive = decision.passive;
  let fallback: Promise<unknown> = Promise.resolve();
  try {
    response = flat ? renderFlat(passive) : render(source as OpenedCallback, passive, openStream?.state, isGroup);
  } catch (err) {
    // A reply the passive format cannot carry (too long, bad characters): deliver it late instead.
    getLog().warn({ err }, 'passive reply could not be rendered; sending it through the webhook/response_url');
    const late = passive;
    passive = undefined;
    response = flat ? flatJsonAck() : respond(200, '');
    if (late && !('response_type' in late) && late.msgtype !== 'stream') {
      fallback = envelope.reply(late).catch((e: unknown) => getLog().error({ err: e }, 'late delivery of the passive reply failed'));
    }
  }
  if (passive && 'msgtype' in passive && passive.msgtype === 'stream') await persist();
  const via = passive === undefined ? 'none' : 'passive';
  if (s.debug) getLog().debug({ chatId: ctx.chatId, reason: decision.reason, via, ms: s.clock.now() - started }, 'callback answered');

  const pending = work
    .then(async () => {
      await fallback;
      await openStream?.chain;
      await s.flush();
    })
    .catch((err: unknown) => getLog().error({ err }, 'late work failed'));
  return { ...response, pending };
}

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
