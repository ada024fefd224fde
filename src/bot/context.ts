/**
 * The context of one callback: what was said (getters) and how to answer (methods), plus the
 * services a handler needs (store, log, deadline). The same class serves both robot kinds.
 */
import type { Logger } from 'pino';
import type { CorpClient } from '../corp/client.js';
import type { CustomerIdentity } from '../identity/identities.js';
import type { CallbackSender } from '../protocol/callback/types.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import type { Store } from '../store/store.js';
import type { ActionClick } from './action.js';
import type { UpdateCardOptions, UpdatedCard } from './update-card.js';
import type { Deadline } from './deadline.js';
import type { RoutedMessage } from './filters.js';
import type { ReplyEnvelope, ReplyReceipt } from './reply-envelope.js';
import { toReplyMessage, toWebhookMessage, type OutgoingReply, type ReplyContent, type ReplyOptions } from './reply-content.js';
import type { ReplyStream } from './stream.js';
import { corpNoReply } from './corp/refusals.js';
import type { WelcomeContent, WelcomeOutcome } from './corp/welcome.js';
import { BotConfigError, ReplyError } from './errors.js';
import type { PushOptions } from './push.js';

/** A member of a chat, from GetChatInfoUrl. */
export interface ChatMember {
  userId: string;
  name?: string;
  alias?: string;
}

/** The chat a callback came from (`get_chat_info`). */
export interface ChatDetails {
  chatId: string;
  /** Present for groups and blackboards. */
  name?: string;
  chatType: string;
  members: ChatMember[];
}

/** What the core hands a context; tests may build one directly. */
export interface ContextInit {
  message: RoutedMessage;
  /** The text with the leading @bot mention removed. */
  text: string;
  mentionedBot: boolean;
  store: Store;
  /** The callback's logger, made on first use. */
  log: () => Logger;
  envelope: ReplyEnvelope<OutgoingReply>;
  /** Sends through this chat's webhook, or `webhook` when given (the client, with limiter and retries). */
  push(message: WebhookMessage, webhook?: string): Promise<ReplyReceipt>;
  /** Calls GetChatInfoUrl (the core caches it). */
  chatInfo(): Promise<ChatDetails>;
  /** Opens a stream reply (AI bot) or a buffered one (classic robot). */
  stream(initial: string): ReplyStream;
  /** Answers an AI bot card click with the updated card (see update-card.ts). */
  updateCard(card: UpdatedCard, options: UpdateCardOptions): Promise<ReplyReceipt>;
  /** The corp API client (bot/corp/access.ts); absent in contexts built without a bot. */
  corp?: () => CorpClient;
  /** Answers the WelcomeCode of a corp customer:add (bot/corp/welcome.ts). */
  sendWelcome?: (content: WelcomeContent) => Promise<WelcomeOutcome>;
  /** The customer's identity on corp customer events, when `corp.identity` is on. */
  identity?: () => Promise<CustomerIdentity | undefined>;
}

const NO_SENDER: CallbackSender = Object.freeze({ userId: '' });

export class Context {
  /** The typed callback (narrowed inside `bot.on(filter)`). */
  readonly message: RoutedMessage;
  /** The text without the leading @bot mention (`''` for non-text messages). */
  readonly text: string;
  /** True when the message @-mentioned the bot (always true in single chats). */
  readonly mentionedBot: boolean;
  /** Key-value store with TTLs, shared by every instance using the same database/Redis. */
  readonly store: Store;
  /** The ack budget: until `deadline.ackBy` a reply goes back passively. */
  readonly deadline: Deadline;
  /** What `hears` (RegExp match), `command` (the rest of the text) or `action` (the button id) matched. */
  match: unknown = undefined;
  /** The button click, set by `action` routes (`actionOf(ctx.message)` reads it anywhere). */
  action: ActionClick | undefined = undefined;
  /** Free space for middleware to hand data to later handlers. */
  readonly state: Record<string, unknown> = {};
  readonly #init: ContextInit;
  #chatInfo: Promise<ChatDetails> | undefined;

  constructor(init: ContextInit) {
    this.#init = init;
    this.message = init.message;
    this.text = init.text;
    this.mentionedBot = init.mentionedBot;
    this.store = init.store;
    this.deadline = init.envelope.deadline;
  }

  /** Structured JSON logger with this callback's ids bound; secrets are redacted. */
  get log(): Logger {
    return this.#init.log();
  }

  /** `group` (classic group robot), `aibot` (智能机器人) or `corp` (a corp app's customer-contact event). */
  get robot(): 'group' | 'aibot' | 'corp' {
    return this.message.robot;
  }

  /**
   * The conversation id; for an AI bot single chat (no chatid) the sender's userid; on corp
   * events the customer group's `ChatId` (customer and tag events: `''`).
   */
  get chatId(): string {
    const m = this.message;
    if (m.robot === 'corp') return m.type === 'external_chat' ? m.chatId : '';
    return m.chatId ?? m.from?.userId ?? '';
  }

  /** `single`, `group`, `blackboard` or `blackboard_reply` (`''` on corp events). */
  get chatType(): string {
    return this.message.robot === 'corp' ? '' : this.message.chatType;
  }

  /** Who sent it. Events without a sender, and corp events (sent by `sys`), give `{ userId: '' }`. */
  get from(): CallbackSender {
    return this.message.robot === 'corp' ? NO_SENDER : (this.message.from ?? NO_SENDER);
  }

  /**
   * The corp API client of the configured app (`corp.secret` / WECOM_CORP_SECRET), on any
   * callback: tags, customer details, group chats, mass messages. The access token is kept in
   * the bot's store, shared with every instance.
   *
   * @example await ctx.corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmX', add_tag: ['etVIP'] })
   * @throws BotConfigError when no corp app with a Secret is configured
   */
  get corp(): CorpClient {
    if (!this.#init.corp)
      throw new BotConfigError('ctx.corp is not available in this context', {
        hint: 'contexts made by the bot have it when a corp app with a Secret is configured',
      });
    return this.#init.corp();
  }

  /**
   * Answers in this chat. The first reply within the ack budget goes back passively in the
   * HTTP response; later and further replies go through the webhook (classic robot) or the
   * response_url (AI bot). Resolves with the channel used.
   *
   * @example await ctx.reply('收到', { mention: ctx.from.userId })
   * @example await ctx.reply({ markdown: '**已报名**' }, { visibleTo: [ctx.from.userId] })
   */
  async reply(content: ReplyContent, options?: ReplyOptions): Promise<ReplyReceipt> {
    // async: content the robot cannot send rejects the promise rather than throwing at the call.
    if (this.message.robot === 'corp') throw corpNoReply('ctx.reply');
    return this.#init.envelope.reply(toReplyMessage(content, options ?? {}, this.message.robot));
  }

  /**
   * Welcomes the new customer of a corp `customer:add` (or `customer:half-add`) with its
   * WelcomeCode, at once: the code lives 20 seconds and works once. A code already expired or
   * answered resolves `{ sent: false, reason }` after a log line with its code and a hint.
   *
   * @example
   * bot.on('customer:add', (ctx) => ctx.sendWelcome({ text: '你好，我是你的专属顾问', attachments: [{ msgtype: 'link', link: { title: '新人礼包', url } }] }));
   */
  sendWelcome(content: WelcomeContent): Promise<WelcomeOutcome> {
    if (!this.#init.sendWelcome)
      return Promise.reject(
        new ReplyError('reply_unsupported', 'ctx.sendWelcome answers a corp customer:add event', {
          hint: "register it under bot.on('customer:add', …)",
        }),
      );
    return this.#init.sendWelcome(content);
  }

  /**
   * The customer's one identity (external_userid, unionid, mobiles, staff) on a corp customer
   * event, linked from the event when `corp.identity` is on; undefined on other events.
   *
   * @example const who = await ctx.identity(); await ctx.store.set(`points:${who?.id}`, '10');
   */
  identity(): Promise<CustomerIdentity | undefined> {
    if (!this.#init.identity) {
      if (this.message.robot !== 'corp') return Promise.resolve(undefined);
      return Promise.reject(
        new BotConfigError('ctx.identity() needs corp.identity: true', {
          hint: 'createBot({ corp: { …, identity: true } }) keeps one identity per customer in the store',
        }),
      );
    }
    return this.#init.identity();
  }

  /**
   * Sends through this chat's webhook now, never passively (any message type, e.g. a card or
   * image). `options.webhook` sends through another robot instead (e.g. a sales group), with
   * `options.chatid` choosing its chats (beta).
   *
   * @example await ctx.push(`新线索：${name}`, { webhook: process.env.SALES_WEBHOOK, mention: owner })
   */
  async push(content: ReplyContent, options?: PushOptions): Promise<ReplyReceipt> {
    const message = toWebhookMessage(content, options);
    if (options?.chatid) message.chatid = options.chatid;
    return this.#init.push(message, options?.webhook);
  }

  /**
   * Streams a reply (AI bot): the first chunk goes in the HTTP response, `update()` sets the
   * full text so far for WeCom's refresh callbacks, `finish()` ends it. On a classic robot the
   * stream is buffered and `finish()` sends one reply.
   */
  stream(initial = ''): ReplyStream {
    return this.#init.stream(initial);
  }

  /**
   * Replaces the card the user clicked (AI bot `template_card_event`), for everyone or only
   * `userIds`. It is the passive answer to the click, so it must come within the ack budget
   * (WeCom waits 5 s); the card's `task_id` is filled in from the click. A `ctx.reply` after it
   * still goes out, through the response_url.
   *
   * Refused with a ReplyError where the platform has no update: on a classic robot (set the
   * button's `replaceText` when sending instead), on other callbacks, and once too late.
   *
   * @example
   * bot.action('poll:submit', async (ctx) => {
   *   await ctx.updateCard({ ...pollCard, submit_button: { text: '已提交', key: 'poll:done' } }, { userIds: [ctx.from.userId] });
   * });
   */
  updateCard(card: UpdatedCard, options: UpdateCardOptions = {}): Promise<ReplyReceipt> {
    return this.#init.updateCard(card, options);
  }

  /**
   * The chat's name and members. GetChatInfoUrl is single-use and lives 5 minutes, so it is
   * called at most once per callback and the result is cached.
   */
  chatInfo(): Promise<ChatDetails> {
    this.#chatInfo ??= this.#init.chatInfo();
    return this.#chatInfo;
  }
}
