/**
 * A fake group chat that drives a bot through the full pipeline: really signed and encrypted
 * callbacks into `bot.handle` (or a running server), passive replies decrypted for assertions,
 * and webhook pushes recorded by the fake WeCom API server.
 *
 * @example
 * const group = await createTestGroup();
 * group.bot.command('ping', (ctx) => ctx.reply('pong'));
 * const ex = await group.member('alice').says('@bot ping');
 * expect(ex.reply?.content).toBe('pong');
 * await group.close();
 */
import { randomBytes } from 'node:crypto';
import { Bot, createBot } from '../../bot/bot.js';
import type { BotModule } from '../../bot/module.js';
import { messageText } from '../../bot/reply-content.js';
import type { BotOptions, RobotSecrets } from '../../bot/options.js';
import type { BotRequest, BotResponse } from '../../bot/request.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import { startFakeWecom } from '../fake-wecom/server.js';
import type { FakeWecom, ReceivedRequest } from '../fake-wecom/types.js';
import {
  aibotCallbackJson,
  groupCallbackJson,
  groupCallbackXml,
  type AibotEvent,
  type CardSelectedItem,
  type GroupEvent,
  type Sender,
} from './callbacks.js';
import { CallbackSigner, type PassiveReply } from './signer.js';

export interface TestGroupOptions {
  /** Which robot the group talks to: the classic group robot (default) or the smart robot. */
  robot?: 'group' | 'aibot';
  /** Callback format of the classic robot; default `xml`. */
  format?: 'xml' | 'json';
  chatId?: string;
  chatName?: string;
  /** `group` (default) or `single` (a one-to-one chat with the robot). */
  chatType?: 'group' | 'single';
  /** Base URL of a running server (e.g. `http://127.0.0.1:3000`) to POST to instead of calling `bot.handle`. */
  url?: string;
  /** Share one fake WeCom server between groups. */
  fake?: FakeWecom;
  /**
   * The robot's webhook URL the callbacks carry (default: a new key on the fake). Give the URL
   * the bot pushes its jobs to, so `pushes()` shows them too; a URL off the fake (a real robot)
   * makes late replies go there, and `pushes()` stays empty.
   */
  webhookUrl?: string;
}

/** Options for a bot the test kit creates (secrets are generated). */
export type TestBotConfig = Omit<BotOptions, 'group' | 'aibot'> & { bots?: BotModule[] };

/** One callback and its answer. */
export interface Exchange {
  status: number;
  response: BotResponse;
  /** The decrypted passive reply, if the response carried one. */
  reply: PassiveReply | undefined;
  msgId: string;
  request: BotRequest;
}

export interface TestMember {
  readonly userId: string;
  /** Sends text (in a group, start it with `@bot` as a user would). */
  says(text: string): Promise<Exchange>;
  sendsImage(imageUrl?: string): Promise<Exchange>;
  /** Clicks a markdown button (classic robot) of the reply with `callbackId`. */
  clicks(callbackId: string, action: { name: string; value: string }): Promise<Exchange>;
  /**
   * AI bot: clicks the button `eventKey` of the card `taskId` (a `template_card_event`), with
   * the options chosen on a vote or selection card.
   */
  clicksCard(taskId: string, eventKey: string, options?: { cardType?: string; selected?: readonly CardSelectedItem[] }): Promise<Exchange>;
  /** AI bot: sends a voice message (already transcribed by WeCom). */
  speaks(text: string): Promise<Exchange>;
}

export interface TestGroup {
  readonly bot: Bot;
  readonly fake: FakeWecom;
  readonly chatId: string;
  /** The webhook key of this group's robot on the fake server. */
  readonly webhookKey: string;
  readonly signer: CallbackSigner;
  member(userId: string, info?: { name?: string; alias?: string }): TestMember;
  /** The robot was added to the chat (`event:add_to_chat`). */
  robotAdded(by?: string): Promise<Exchange>;
  /** The robot was removed (`event:delete_from_chat`). */
  robotRemoved(by?: string): Promise<Exchange>;
  /** A user opened the single chat (`event:enter_chat`). */
  entersChat(userId: string): Promise<Exchange>;
  /** AI bot: WeCom's stream refresh callback for `streamId`. */
  refresh(streamId: string): Promise<Exchange>;
  /** AI bot: thumbs up (1) / down (2) / cancel (3) on a reply with a feedback id. */
  feedback(userId: string, feedbackId: string, type: 1 | 2 | 3): Promise<Exchange>;
  /** The GET URL verification; resolves with the status, body and expected echo. */
  verifyUrl(): Promise<{ status: number; body: string; echo: string }>;
  /** Sends a prepared request (again): retries and replays. */
  send(request: BotRequest, msgId?: string): Promise<Exchange>;
  /** Sends a raw group-robot event (any type), for edge cases. */
  sendGroupEvent(event: GroupEvent, from?: Sender): Promise<Exchange>;
  /** Messages the bot pushed through this group's webhook (accepted by the fake), in order. */
  pushes(): WebhookMessage[];
  /** Text/markdown contents of `pushes()`. */
  pushTexts(): string[];
  /** Waits until at least `n` pushes arrived (default timeout 5 s). */
  waitForPushes(n: number, timeoutMs?: number): Promise<WebhookMessage[]>;
  /** Bodies the bot POSTed to AI bot response_urls. */
  responses(): Record<string, unknown>[];
  /** Waits for the bot's late work (late replies, pushes) to finish. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A random Token and EncodingAESKey, like the robot's "random generate" buttons. */
export function randomSecrets(): RobotSecrets {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number) => Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
  return { token: pick(24), encodingAesKey: pick(43) };
}

/** The text of a text or markdown push, or `[msgtype]` for other types. */
function contentOf(m: WebhookMessage): string {
  return messageText(m) ?? `[${m.msgtype}]`;
}

/**
 * Creates a fake group around a bot. Pass a Bot (its secrets are used) or options for a new
 * bot (secrets generated, `bots` modules installed); register handlers on `group.bot`.
 */
export async function createTestGroup(target: Bot | TestBotConfig = {}, options: TestGroupOptions = {}): Promise<TestGroup> {
  const robot = options.robot ?? 'group';
  let bot: Bot;
  let ownsBot = false;
  if (target instanceof Bot) {
    bot = target;
  } else {
    const { bots, ...botOptions } = target;
    bot = createBot({ logLevel: 'silent', ...botOptions, [robot]: randomSecrets() });
    for (const m of bots ?? []) await bot.install(m);
    ownsBot = true;
  }
  const secrets = bot.options[robot];
  if (!secrets) throw new Error(`the bot has no ${robot} robot secrets; pass them to createBot`);
  const fake = options.fake ?? (await startFakeWecom());
  const ownsFake = options.fake === undefined;
  const clock = () => bot.options.clock.now();
  const signer = new CallbackSigner(secrets, clock);
  const format = robot === 'aibot' ? 'json' : (options.format ?? 'xml');
  const chatType = options.chatType ?? 'group';
  const chatId = options.chatId ?? `wr${randomBytes(8).toString('hex')}`;
  const webhookUrl = options.webhookUrl ?? fake.webhookUrl(fake.newKey());
  const webhookKey = new URL(webhookUrl).searchParams.get('key') ?? '';
  const path = robot === 'aibot' ? bot.options.paths.aibot : bot.options.paths.callback;
  const members = new Map<string, Sender>();
  let seq = 0;

  const nextMsgId = () => `${Date.now().toString(36)}${(++seq).toString(36)}${randomBytes(3).toString('hex')}`;

  async function send(request: BotRequest, msgId = ''): Promise<Exchange> {
    let response: BotResponse;
    if (options.url) {
      const url = `${options.url.replace(/\/$/, '')}${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`;
      const res = await fetch(url, {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.method === 'GET' ? undefined : Buffer.from(request.body),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      response = { status: res.status, headers, body: await res.text(), pending: Promise.resolve() };
    } else {
      response = await bot.handle(request);
    }
    const reply = response.status === 200 && request.method === 'POST' ? signer.openReply(response, request) : undefined;
    return { status: response.status, response, reply, msgId, request };
  }

  function sendGroupEvent(event: GroupEvent, from?: Sender): Promise<Exchange> {
    const msgId = nextMsgId();
    const code = `code-${msgId}`;
    const getChatInfoUrl = fake.registerChatInfo(code, {
      chatid: chatId,
      chattype: chatType,
      ...(options.chatName ? { name: options.chatName } : {}),
      members: [...members.values()].map((m) => ({
        userid: m.userId,
        ...(m.name ? { name: m.name } : {}),
        ...(m.alias ? { alias: m.alias } : {}),
      })),
    });
    const fields = { msgId, webhookUrl, chatId, chatType, getChatInfoUrl, ...(from ? { from } : {}) };
    const plaintext = format === 'xml' ? groupCallbackXml(fields, event) : groupCallbackJson(fields, event);
    return send(signer.post(path, plaintext, format), msgId);
  }

  function sendAibotEvent(event: AibotEvent, from: Sender): Promise<Exchange> {
    const msgId = nextMsgId();
    const responseUrl = fake.registerResponseCode(`resp-${msgId}`);
    const plaintext = aibotCallbackJson(
      { msgId, aibotId: 'aibot-test', chatType, from, responseUrl, ...(chatType === 'group' ? { chatId } : {}) },
      event,
    );
    return send(signer.post(path, plaintext, 'json'), msgId);
  }

  const group: TestGroup = {
    bot,
    fake,
    chatId,
    webhookKey,
    signer,
    member(userId, info = {}) {
      const known = members.get(userId);
      const sender: Sender = { userId, name: info.name ?? known?.name ?? userId, alias: info.alias ?? known?.alias ?? userId };
      members.set(userId, sender);
      return {
        userId,
        says: (text) =>
          robot === 'aibot'
            ? sendAibotEvent({ kind: 'text', content: text }, sender)
            : sendGroupEvent({ kind: 'text', content: text }, sender),
        sendsImage: (imageUrl = 'https://wework.qpic.cn/test.png') =>
          robot === 'aibot'
            ? sendAibotEvent({ kind: 'image', url: imageUrl }, sender)
            : sendGroupEvent({ kind: 'image', imageUrl }, sender),
        clicks: (callbackId, action) => sendGroupEvent({ kind: 'attachment', callbackId, actions: [action] }, sender),
        clicksCard: (taskId, eventKey, o = {}) =>
          sendAibotEvent(
            {
              kind: 'template_card_event',
              taskId,
              eventKey,
              ...(o.cardType ? { cardType: o.cardType } : {}),
              ...(o.selected ? { selectedItems: o.selected } : {}),
            },
            sender,
          ),
        speaks: (text) => sendAibotEvent({ kind: 'voice', content: text }, sender),
      };
    },
    robotAdded: (by = 'admin') => sendGroupEvent({ kind: 'event', eventType: 'add_to_chat' }, { userId: by }),
    robotRemoved: (by = 'admin') => sendGroupEvent({ kind: 'event', eventType: 'delete_from_chat' }, { userId: by }),
    entersChat: (userId) =>
      robot === 'aibot'
        ? sendAibotEvent({ kind: 'enter_chat' }, { userId })
        : sendGroupEvent({ kind: 'event', eventType: 'enter_chat' }, { userId }),
    refresh: (streamId) => sendAibotEvent({ kind: 'stream', streamId }, { userId: 'system' }),
    feedback: (userId, feedbackId, type) => sendAibotEvent({ kind: 'feedback_event', feedbackId, type }, { userId }),
    async verifyUrl() {
      const { request, echo } = signer.urlVerification(path);
      const ex = await send(request);
      return { status: ex.status, body: ex.response.body, echo };
    },
    send,
    sendGroupEvent,
    pushes: () => fake.accepted(webhookKey).map((r: ReceivedRequest) => r.body as WebhookMessage),
    pushTexts: () => group.pushes().map(contentOf),
    async waitForPushes(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (group.pushes().length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} pushes, got ${group.pushes().length}: ${JSON.stringify(group.pushTexts())}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return group.pushes();
    },
    responses: () =>
      fake.received
        .filter((r) => r.endpoint === 'aibot_response' && r.outcome.status === 200)
        .map((r) => r.body as Record<string, unknown>),
    settle: () => bot.idle(),
    async close() {
      await bot.idle();
      if (ownsBot) await bot.close();
      if (ownsFake) await fake.close();
    },
  };
  return group;
}
