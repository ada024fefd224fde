import { createDispatcher, type NetworkOptions } from '../client/http.js';
import type { WebhookLogger } from '../client/logger.js';
import type { Store } from '../store/store.js';
import { CorpApi, type CorpCall } from './api.js';
import { contactsApi, type ContactsApi } from './contacts.js';
import { checkCorpId, checkSecret } from './env.js';
import { CorpConfigError } from './errors.js';
import { groupChatsApi, type GroupChatsApi } from './group-chats.js';
import { groupWelcomeApi, type GroupWelcomeApi } from './group-welcome.js';
import { massMessagesApi, type MassMessagesApi } from './mass-messages.js';
import { corpMediaApi, type CorpMediaApi } from './media.js';
import { corpTagsApi, type CorpTagsApi } from './tags.js';
import { AccessTokenCache, type FetchedToken } from './token-cache.js';
import { welcomeApi, type WelcomeApi } from './welcome.js';

/** The WeCom corp API origin. */
export const DEFAULT_CORP_API_BASE = 'https://qyapi.weixin.qq.com';

/** Time as the client sees it; the bot's `Clock` fits. */
export interface CorpClock {
  now(): number;
  sleep?(ms: number): Promise<void>;
}

export interface CorpClientOptions extends NetworkOptions {
  /** 企业ID. */
  corpId: string;
  /** The self-built app's Secret. Only a hash of it reaches the store. */
  secret: string;
  /**
   * Where the access token is cached and the fetch lock lives. Every instance that shares the
   * store (PostgreSQL, Redis) shares one token; a memory store keeps it per process.
   */
  store: Store;
  /** Default https://qyapi.weixin.qq.com; a fake's or a gateway's origin otherwise. */
  baseUrl?: string;
  /** Timeout of one HTTP request. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries of transient failures (see `Delivery`): default 3, from 300 ms doubling to 3 s. */
  retry?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Token cache tuning (refresh margin 5 min, lock lease 15 s, …). */
  token?: { refreshMarginMs?: number; lockTtlMs?: number; waitMs?: number; failureTtlMs?: number };
  /** pino-shaped logger; gets no secret and no token. */
  logger?: WebhookLogger;
  clock?: CorpClock;
  /** Injectable for tests. Default Math.random. */
  random?: () => number;
}

/** A typed client for the corp API of one self-built app with the customer-contact permission. */
export interface CorpClient {
  readonly corpId: string;
  /** Corp customer tags: list, add, edit, delete, mark. */
  readonly tags: CorpTagsApi;
  /** Customer details: get, batchGetByUser. */
  readonly contacts: ContactsApi;
  /** send_welcome_msg. */
  readonly welcome: WelcomeApi;
  /** Customer groups: list, get. */
  readonly groupChats: GroupChatsApi;
  /** Group-welcome templates: add, edit, get, delete. */
  readonly groupWelcome: GroupWelcomeApi;
  /** add_msg_template. */
  readonly massMessages: MassMessagesApi;
  /** Temporary media and permanent images for attachments. */
  readonly media: CorpMediaApi;
  /**
   * Any other corp API, with the same token handling, retries and errors:
   * `await corp.call({ api: 'externalcontact/list', method: 'GET', query: { userid: 'zhangsan' } })`.
   */
  call(call: CorpCall): Promise<Record<string, unknown>>;
  /** The current access token, for what this client does not wrap. Never log it. */
  accessToken(): Promise<string>;
  /** Closes the HTTP connections this client opened (not the store). */
  close(): Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Creates the corp API client.
 *
 * @example
 * const store = await openStore({ databaseUrl: process.env.WECOMBOT_DATABASE_URL });
 * const corp = createCorpClient({ ...readCorpEnv()!, store });
 * const groups = await corp.tags.list();
 * await corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmXXXX', add_tag: [groups[0]!.tag[0]!.id] });
 */
export function createCorpClient(options: CorpClientOptions): CorpClient {
  checkCorpId(options.corpId ?? '');
  checkSecret(options.secret ?? '');
  if (!options.store)
    throw new CorpConfigError('store is required', {
      hint: 'pass the store every instance shares (openStore), so they share one access token',
    });
  const baseUrl = (options.baseUrl ?? DEFAULT_CORP_API_BASE).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/?#]+$/.test(baseUrl))
    throw new CorpConfigError('baseUrl must be an origin like https://qyapi.weixin.qq.com', {
      hint: "leave it out for WeCom, or give a fake's http://127.0.0.1:PORT",
    });
  const now = options.clock ? () => options.clock!.now() : Date.now;
  const sleep = options.clock?.sleep ? (ms: number) => options.clock!.sleep!(ms) : realSleep;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { dispatcher, owned } = createDispatcher(options);
  // The cache and the HTTP part need each other: the cache fetches through the API, the API
  // asks the cache for tokens (the closure runs only after both exist).
  const tokens: AccessTokenCache = new AccessTokenCache({
    store: options.store,
    corpId: options.corpId,
    secret: options.secret,
    fetch: (): Promise<FetchedToken> => core.fetchToken(),
    now,
    sleep,
    logger: options.logger,
    ...options.token,
    // The lease must outlast one gettoken request, or a second instance would fetch as well.
    lockTtlMs: options.token?.lockTtlMs ?? Math.max(15_000, timeoutMs + 5_000),
  });
  const core = new CorpApi({
    baseUrl,
    corpId: options.corpId,
    secret: options.secret,
    dispatcher,
    tokens,
    timeoutMs,
    retry: {
      retries: options.retry?.retries ?? 3,
      baseDelayMs: options.retry?.baseDelayMs ?? 300,
      maxDelayMs: options.retry?.maxDelayMs ?? 3000,
    },
    now,
    sleep,
    random: options.random ?? Math.random,
    logger: options.logger,
  });
  return {
    corpId: options.corpId,
    tags: corpTagsApi(core),
    contacts: contactsApi(core),
    welcome: welcomeApi(core),
    groupChats: groupChatsApi(core),
    groupWelcome: groupWelcomeApi(core),
    massMessages: massMessagesApi(core),
    media: corpMediaApi(core, now),
    call: (c) => core.call(c),
    accessToken: () => tokens.get(),
    async close() {
      if (owned) await dispatcher.close();
    },
  };
}
