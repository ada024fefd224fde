import type { WecombotError } from '../errors.js';
import type { Store } from '../store/store.js';
import type { NetworkOptions } from './http.js';
import type { SharpLike } from './image.js';
import type { WebhookLogger } from './logger.js';
import type { OutboxOptions } from './outbox/outbox.js';
import type { RateLimitOptions } from './rate-limiter.js';
import type { RetryOptions } from './retry.js';

/** Options of `new WebhookClient(options)`; every field is optional. */
export interface WebhookClientOptions extends NetworkOptions {
  /** API origin for bare keys. Default `WECOM_API_BASE`, else `https://qyapi.weixin.qq.com`. */
  baseUrl?: string;
  /**
   * Shared state: rate-limit windows (so every process using the same store shares one window
   * per robot), the media_id cache, and the durable outbox. Without a store everything is in
   * memory and sends are direct.
   */
  store?: Store;
  /** Per-robot limit; default 20 per 60 s. `false` turns the limiter off. */
  rateLimit?: RateLimitOptions | false;
  retry?: RetryOptions;
  /** Deadline of one HTTP exchange. Default 10 000 ms. */
  timeoutMs?: number;
  /** Durable outbox (needs `store`). Default on when a store is given; `false` sends directly. */
  outbox?: boolean | OutboxOptions;
  /** pino-compatible logger; keys are always redacted. */
  logger?: WebhookLogger;
  /** Injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** How to load the image library; default a lazy `import('sharp')`. Return undefined for "not installed". */
  imageLibrary?: () => Promise<SharpLike | undefined>;
}

/** Options of one send. */
export interface SendOptions {
  /** chatid for targets that do not carry their own (`|`-joined ids, see protocol §1.9). */
  chatid?: string;
  /** Split text/markdown over the byte limits into parts sent in order. Default true. */
  split?: boolean;
  /** With the outbox: wait until the rows are delivered (default true) or return once stored. */
  wait?: boolean;
}

/** The outcome for one target (robot, optionally with chatid). */
export interface TargetResult {
  /** The webhook URL with the key redacted. */
  target: string;
  /** sha256(key) prefix: stable robot id for logs and stores. */
  robotId: string;
  chatid?: string;
  /** True when every part was accepted (errcode 0). */
  ok: boolean;
  /** `queued`: stored in the outbox, not (yet) delivered. */
  status: 'delivered' | 'failed' | 'queued';
  /** Messages for this target after splitting. */
  parts: number;
  /** Parts accepted by WeCom. */
  delivered: number;
  /** HTTP attempts made (direct sends). */
  attempts: number;
  /** The WeCom errcode of the failure, when WeCom answered one. */
  errcode?: number;
  /** The failure (typed, with `code` and `hint`; never contains the key). */
  error?: WecombotError;
  /** Outbox row ids, when the outbox was used. */
  outboxIds?: number[];
}

/** The outcome of a send to one or more targets. */
export interface SendReport {
  /** True when every target's every part was accepted. */
  ok: boolean;
  results: TargetResult[];
}
