/**
 * WeCom's corp side around a bot: really signed and encrypted corp app callbacks (receiveid =
 * the corpid) into `bot.handle` (or a running server), for the customer, group and tag events.
 * With the fake corp API, a new customer gets a real one-shot WelcomeCode and the groups the
 * events talk about exist in the fake's state, so handlers can call the API on them.
 *
 * @example
 * const fake = await startFakeCorp();
 * const bot = createBot({ corp: { corpId: fake.corpId, secret: fake.secret, baseUrl: fake.baseUrl, ...randomSecrets() } });
 * bot.on('customer:add', (ctx) => ctx.sendWelcome('你好'));
 * const corp = createTestCorp(bot, { fake });
 * await corp.customerAdded({ userId: 'zhangsan', externalUserId: 'wmNew', welcome: true });
 * await corp.settle();
 * fake.welcomes().length === 1;
 */
import { randomBytes } from 'node:crypto';
import type { Bot } from '../../bot/bot.js';
import type { BotRequest, BotResponse } from '../../bot/request.js';
import { CallbackSigner } from '../fake-group/signer.js';
import { corpCallbackXml, corpEnvelopeXml, type CorpEvent } from './corp-events.js';
import type { FakeCorp } from './types.js';

export interface TestCorpOptions {
  /** The fake corp API: WelcomeCodes are issued there and group changes recorded in its state. */
  fake?: FakeCorp;
  /** The AgentID of the envelope; default `1000002`. */
  agentId?: string;
  /** Base URL of a running server to POST to instead of calling `bot.handle`. */
  url?: string;
}

/** One corp callback and its answer. */
export interface CorpExchange {
  status: number;
  /** The answer body: `success` for a handled (or acknowledged) event. */
  body: string;
  response: BotResponse;
  request: BotRequest;
  /** The WelcomeCode the event carried, if any. */
  welcomeCode?: string;
}

/** When an event happened (`CreateTime`, unix seconds); default: the bot's clock. */
type At = { createTime?: number };

export interface TestCorp {
  readonly bot: Bot;
  readonly corpId: string;
  readonly signer: CallbackSigner;
  /**
   * add_external_contact. `welcome: true` issues a WelcomeCode on the fake (20 seconds, once);
   * a string is sent as the code; absent, the event has none (a console welcome is configured).
   */
  customerAdded(e: { userId: string; externalUserId: string; state?: string; welcome?: boolean | string } & At): Promise<CorpExchange>;
  /** add_half_external_contact: the customer added a staff member who needs no confirmation. */
  customerHalfAdded(e: { userId: string; externalUserId: string; state?: string; welcome?: boolean | string } & At): Promise<CorpExchange>;
  /** edit_external_contact */
  customerEdited(e: { userId: string; externalUserId: string } & At): Promise<CorpExchange>;
  /** del_external_contact: the staff member deleted the customer. */
  customerDeleted(e: { userId: string; externalUserId: string; source?: string } & At): Promise<CorpExchange>;
  /** del_follow_user: the customer deleted the staff member. */
  customerLeftStaff(e: { userId: string; externalUserId: string } & At): Promise<CorpExchange>;
  /** transfer_fail */
  transferFailed(e: { userId: string; externalUserId: string; reason: string } & At): Promise<CorpExchange>;
  /** change_external_chat create (the group is added to the fake's state, owned by `owner`). */
  groupCreated(e: { chatId?: string; owner?: string; name?: string } & At): Promise<CorpExchange & { chatId: string }>;
  /**
   * update/add_member: customers (external_userids) or staff joined. With a fake, they join the
   * fake's group (created when unknown) and the versions before and after are sent.
   */
  customerJoinedGroup(e: { chatId: string; memberIds: readonly string[]; joinScene?: number; owner?: string } & At): Promise<CorpExchange>;
  /** update/del_member */
  memberLeftGroup(e: { chatId: string; memberIds: readonly string[]; quitScene?: number } & At): Promise<CorpExchange>;
  /** update with change_owner, change_name or change_notice. */
  groupUpdated(e: { chatId: string; detail: string } & At): Promise<CorpExchange>;
  /** dismiss */
  groupDismissed(e: { chatId: string } & At): Promise<CorpExchange>;
  /** change_external_tag: create, update, delete (a tag or a group) or shuffle. */
  tagChanged(
    e: { changeType: 'create' | 'update' | 'delete' | 'shuffle'; id?: string; tagType?: 'tag' | 'tag_group'; strategyId?: string } & At,
  ): Promise<CorpExchange>;
  /** Any event, described (see `CorpEvent`). */
  event(e: CorpEvent, at?: At): Promise<CorpExchange>;
  /** Sends a prepared request (again): WeCom's retries. */
  send(request: BotRequest): Promise<CorpExchange>;
  /** The signed request for an event, without sending it. */
  request(e: CorpEvent, at?: At): BotRequest;
  /** The GET URL verification; resolves with the status, body and the expected echo. */
  verifyUrl(): Promise<{ status: number; body: string; echo: string }>;
  /** Waits for the bot's late work (a handler still running after `success`). */
  settle(): Promise<void>;
}

/** Creates the corp side of a bot configured with `corp` (its secrets are used). */
export function createTestCorp(bot: Bot, options: TestCorpOptions = {}): TestCorp {
  const app = bot.options.corp;
  if (!app) throw new Error('the bot has no corp app; pass corp: { corpId, token, encodingAesKey } to createBot');
  const { fake } = options;
  const agentId = options.agentId ?? '1000002';
  const clock = () => bot.options.clock.now();
  const signer = new CallbackSigner(app, clock, app.corpId);
  const path = bot.options.paths.corp;

  const request = (e: CorpEvent, at: At = {}): BotRequest => {
    const createTime = at.createTime ?? Math.floor(clock() / 1000);
    return signer.post(path, corpCallbackXml({ corpId: app.corpId, createTime }, e), 'xml', {
      envelope: (encrypt) => corpEnvelopeXml(app.corpId, agentId, encrypt),
    });
  };

  async function send(req: BotRequest, welcomeCode?: string): Promise<CorpExchange> {
    let response: BotResponse;
    if (options.url) {
      const url = `${options.url.replace(/\/$/, '')}${req.path}${req.rawQuery ? `?${req.rawQuery}` : ''}`;
      const res = await fetch(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.method === 'GET' ? undefined : Buffer.from(req.body),
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      response = { status: res.status, headers, body: await res.text(), pending: Promise.resolve() };
    } else {
      response = await bot.handle(req);
    }
    return { status: response.status, body: response.body, response, request: req, ...(welcomeCode && { welcomeCode }) };
  }

  const event = (e: CorpEvent, at?: At) => send(request(e, at), e.kind === 'customer' ? e.welcomeCode : undefined);

  const code = (welcome: boolean | string | undefined, userId: string, externalUserId: string): string | undefined => {
    if (typeof welcome === 'string') return welcome;
    if (!welcome) return undefined;
    if (!fake) throw new Error('welcome: true issues the WelcomeCode on the fake corp API: pass createTestCorp(bot, { fake })');
    return fake.issueWelcomeCode({ userid: userId, externalUserId });
  };

  /** The fake's group, created when new; undefined without a fake. */
  const fakeChat = (chatId: string, owner = 'owner') =>
    fake && (fake.state.chats.get(chatId) ?? fake.state.addGroupChat({ chat_id: chatId, owner }));

  const customer = (
    changeType: Extract<CorpEvent, { kind: 'customer' }>['changeType'],
    e: { userId: string; externalUserId: string } & At,
    extra: Partial<Extract<CorpEvent, { kind: 'customer' }>> = {},
  ) => event({ kind: 'customer', changeType, userId: e.userId, externalUserId: e.externalUserId, ...extra }, e);

  return {
    bot,
    corpId: app.corpId,
    signer,
    customerAdded: (e) =>
      customer('add_external_contact', e, optionalFields({ state: e.state, welcomeCode: code(e.welcome, e.userId, e.externalUserId) })),
    customerHalfAdded: (e) =>
      customer(
        'add_half_external_contact',
        e,
        optionalFields({ state: e.state, welcomeCode: code(e.welcome, e.userId, e.externalUserId) }),
      ),
    customerEdited: (e) => customer('edit_external_contact', e),
    customerDeleted: (e) => customer('del_external_contact', e, optionalFields({ source: e.source })),
    customerLeftStaff: (e) => customer('del_follow_user', e),
    transferFailed: (e) => customer('transfer_fail', e, { failReason: e.reason }),
    async groupCreated(e) {
      const chatId = e.chatId ?? `wr${randomBytes(10).toString('hex')}`;
      if (fake && !fake.state.chats.has(chatId))
        fake.state.addGroupChat({ chat_id: chatId, owner: e.owner ?? 'owner', ...(e.name && { name: e.name }) });
      return { ...(await event({ kind: 'chat', changeType: 'create', chatId }, e)), chatId };
    },
    customerJoinedGroup(e) {
      const chat = fakeChat(e.chatId, e.owner);
      const before = chat?.member_version;
      for (const userid of e.memberIds) {
        if (chat)
          fake?.state.addGroupMember(e.chatId, { userid, type: userid.startsWith('w') ? 2 : 1, join_scene: e.joinScene === 3 ? 3 : 1 });
      }
      return event(
        {
          kind: 'chat',
          changeType: 'update',
          updateDetail: 'add_member',
          chatId: e.chatId,
          joinScene: e.joinScene ?? 0,
          quitScene: 0,
          memberIds: e.memberIds,
          ...optionalFields({ lastMemberVersion: before, memberVersion: chat?.member_version }),
        },
        e,
      );
    },
    memberLeftGroup(e) {
      const chat = fake?.state.chats.get(e.chatId);
      const before = chat?.member_version;
      if (chat) {
        chat.member_list = chat.member_list.filter((m) => !e.memberIds.includes(m.userid));
        chat.member_version = randomBytes(16).toString('hex');
      }
      return event(
        {
          kind: 'chat',
          changeType: 'update',
          updateDetail: 'del_member',
          chatId: e.chatId,
          quitScene: e.quitScene ?? 0,
          memberIds: e.memberIds,
          ...optionalFields({ lastMemberVersion: before, memberVersion: chat?.member_version }),
        },
        e,
      );
    },
    groupUpdated: (e) => event({ kind: 'chat', changeType: 'update', updateDetail: e.detail, chatId: e.chatId }, e),
    groupDismissed: (e) => event({ kind: 'chat', changeType: 'dismiss', chatId: e.chatId }, e),
    tagChanged: (e) =>
      event(
        {
          kind: 'tag',
          changeType: e.changeType,
          ...optionalFields({ id: e.id, tagType: e.tagType ?? (e.changeType === 'shuffle' ? undefined : 'tag'), strategyId: e.strategyId }),
        },
        e,
      ),
    event,
    send: (req) => send(req),
    request,
    async verifyUrl() {
      const { request: req, echo } = signer.urlVerification(path);
      const ex = await send(req);
      return { status: ex.status, body: ex.body, echo };
    },
    settle: () => bot.idle(),
  };
}

/** The fields whose value is defined (keeps optional XML elements absent). */
function optionalFields<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export { corpCallbackXml, corpEnvelopeXml, type CorpEvent } from './corp-events.js';
