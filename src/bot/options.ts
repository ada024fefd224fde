/**
 * Options of `createBot`, resolved once with defaults and checks that name the field.
 */
import type { LevelWithSilent, Logger } from 'pino';
import type { Store } from '../store/store.js';
import type { BotTransport } from './transport.js';
import { systemClock, type Clock } from './clock.js';
import { DEFAULT_ACK_BUDGET_MS, MAX_ACK_BUDGET_MS } from './deadline.js';
import { DEFAULT_DEDUPE_LEASE_MS } from './dedupe.js';
import { BotConfigError } from './errors.js';
import { resolveFlatJsonOptions, type FlatJsonOptions, type ResolvedFlatJsonOptions } from './flat-json.js';
import { LIMITS } from '../protocol/limits.js';
import { resolveCorpAppOptions, type CorpAppOptions, type ResolvedCorpAppOptions } from './corp/options.js';

/** The 接收消息配置 of one robot: Token and EncodingAESKey. */
export interface RobotSecrets {
  token: string;
  encodingAesKey: string;
}

/** URL paths the core answers (adapters pass every path through). */
export interface BotPaths {
  /** Classic group robot callbacks (XML or JSON). Default `/wecom/callback`. */
  callback: string;
  /** Smart robot (智能机器人) callbacks. Default `/wecom/aibot`. */
  aibot: string;
  /** Health check. Default `/healthz`. */
  health: string;
  /** Corp app callbacks (customer contact). Default `/wecom/corp`. */
  corp: string;
  /**
   * A prefix stripped from every request path before routing, for gateways that keep one
   * (an API Gateway stage such as `/release`). Default none.
   */
  base: string;
}

export interface BotOptions {
  /** The classic group robot (WECOM_TOKEN, WECOM_ENCODING_AES_KEY). */
  group?: RobotSecrets;
  /** The smart robot (WECOM_AIBOT_TOKEN, WECOM_AIBOT_ENCODING_AES_KEY). */
  aibot?: RobotSecrets;
  /** A corp app's customer-contact callbacks and API (WECOM_CORP_ID, WECOM_CORP_TOKEN, WECOM_CORP_ENCODING_AES_KEY, WECOM_CORP_SECRET). */
  corp?: CorpAppOptions;
  /** Default webhook for jobs and for chats whose callback carries no WebhookUrl (WECOM_WEBHOOK_URL). */
  webhookUrl?: string;
  /** Shared state: de-duplication, stream state, chat-info cache. Default: an in-memory store. */
  store?: Store;
  /** Webhook/chat-info/response_url calls. Default: the WebhookClient (loaded on first use). */
  transport?: BotTransport;
  /** Time for the passive reply, in ms. Default 3000; must be below WeCom's 5000. */
  ackBudgetMs?: number;
  /** Largest accepted callback body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Refuse callbacks whose timestamp is further than this from our clock. Default 300 s; 0 disables. */
  maxSkewSeconds?: number;
  /** How long a handled msgid is remembered. Default 1 hour (WeCom retries within seconds). */
  dedupeTtlMs?: number;
  /**
   * How long a callback's de-duplication claim holds without renewal. Default 5000: renewed
   * while the handler runs; a crashed instance's callback is handled by a retry after it
   * (docs/en/storage.md, "De-duplication").
   */
  dedupeLeaseMs?: number;
  /** Robot display name, when it contains spaces (for stripping `@My Bot`). */
  botName?: string;
  paths?: Partial<BotPaths>;
  logger?: Logger;
  logLevel?: LevelWithSilent;
  /** Injected time, for tests. */
  clock?: Clock;
  /**
   * True when the store lives only as long as this FaaS instance (no database configured):
   * modules that keep state then refuse to start, naming WECOMBOT_DATABASE_URL, instead of
   * losing their state between invocations. Set by `createBotFromConfig`.
   */
  ephemeralStore?: boolean;
  /**
   * Accept the flat, unencrypted JSON callback some gateways forward (`{"msgType","msgContent",
   * "chatId","hookUrl",…}`), authenticated by an HMAC or a token with this shared secret. Off by
   * default: such a body is then refused with 415 and a hint. See docs/en/callbacks.md.
   */
  flatJson?: FlatJsonOptions;
}

export interface ResolvedOptions {
  group: RobotSecrets | undefined;
  aibot: RobotSecrets | undefined;
  corp: ResolvedCorpAppOptions | undefined;
  webhookUrl: string | undefined;
  ackBudgetMs: number;
  maxBodyBytes: number;
  maxSkewSeconds: number;
  dedupeTtlMs: number;
  dedupeLeaseMs: number;
  botName: string | undefined;
  paths: BotPaths;
  clock: Clock;
  ephemeralStore: boolean;
  flatJson: ResolvedFlatJsonOptions | undefined;
}

function positive(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new BotConfigError(`${name} must be a number between 0 and ${max} (got ${String(value)})`);
  }
  return value;
}

/** Checks a Token and EncodingAESKey pair (robots and the corp app alike); errors name `name`. */
export function robotSecrets(name: string, secrets: RobotSecrets | undefined): RobotSecrets | undefined {
  if (secrets === undefined) return undefined;
  const where = name === 'corp' ? "the app's 接收消息 → 设置API接收" : "the robot's 接收消息配置";
  if (!secrets.token) throw new BotConfigError(`${name}.token is empty`, { hint: `copy the Token from ${where}` });
  if (!/^[A-Za-z0-9]{43}$/.test(secrets.encodingAesKey ?? '')) {
    throw new BotConfigError(`${name}.encodingAesKey must be 43 letters and digits`, {
      hint: `copy the EncodingAESKey from ${where} (no quotes, no trailing '=')`,
    });
  }
  return secrets;
}

function path(name: string, value: string | undefined, fallback: string): string {
  const p = value ?? fallback;
  if (!p.startsWith('/')) throw new BotConfigError(`paths.${name} must start with '/' (got "${p}")`);
  return p;
}

function basePath(value: string | undefined): string {
  if (value === undefined || value === '' || value === '/') return '';
  if (!/^\/[A-Za-z0-9._~/-]*[^/]$/.test(value))
    throw new BotConfigError(`paths.base must start with '/' and not end with one (got "${value}")`);
  return value;
}

/** Applies defaults and validates. Errors name the option. */
export function resolveOptions(o: BotOptions): ResolvedOptions {
  // WeCom drops the connection after 5 s, so the budget stays below it (MAX_ACK_BUDGET_MS).
  const ackBudgetMs = positive('ackBudgetMs', o.ackBudgetMs, DEFAULT_ACK_BUDGET_MS, MAX_ACK_BUDGET_MS);
  return {
    group: robotSecrets('group', o.group),
    aibot: robotSecrets('aibot', o.aibot),
    corp: resolveCorpAppOptions(o.corp, robotSecrets, o.ephemeralStore === true),
    webhookUrl: o.webhookUrl || undefined,
    ackBudgetMs,
    maxBodyBytes: positive('maxBodyBytes', o.maxBodyBytes, LIMITS.callbackBodyBytesDefault),
    maxSkewSeconds: positive('maxSkewSeconds', o.maxSkewSeconds, 300),
    dedupeTtlMs: positive('dedupeTtlMs', o.dedupeTtlMs, 60 * 60 * 1000),
    dedupeLeaseMs: positive('dedupeLeaseMs', o.dedupeLeaseMs, DEFAULT_DEDUPE_LEASE_MS),
    botName: o.botName || undefined,
    paths: {
      callback: path('callback', o.paths?.callback, '/wecom/callback'),
      aibot: path('aibot', o.paths?.aibot, '/wecom/aibot'),
      health: path('health', o.paths?.health, '/healthz'),
      corp: path('corp', o.paths?.corp, '/wecom/corp'),
      base: basePath(o.paths?.base),
    },
    clock: o.clock ?? systemClock,
    ephemeralStore: o.ephemeralStore === true,
    flatJson: o.flatJson === undefined ? undefined : resolveFlatJsonOptions(o.flatJson),
  };
}
