/**
 * HTTP endpoints of modules (lead intake, form webhooks): a plain request in, a plain response
 * out. The core runs the route's authentication, body limit and rate limit before the handler,
 * on every runtime, so no module and no adapter can forget one.
 */
import type { Logger } from 'pino';
import type { ReplyContent, ReplyOptions } from '../reply-content.js';
import type { Store } from '../../store/store.js';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. There is no default: a route says how it is protected, or says
 * `{ type: 'none' }` out loud.
 */
export type RouteAuth =
  | {
      /**
       * An HMAC of the raw body (optionally `timestamp + "." + body` when `timestampHeader` is
       * set) in a header, as most ad platforms and form tools sign their pushes.
       */
      type: 'hmac';
      secret: string;
      /** Header carrying the signature, e.g. `x-signature`. */
      header: string;
      /** Default `sha256`. */
      algorithm?: 'sha256' | 'sha1';
      /** Default `hex`. */
      encoding?: 'hex' | 'base64';
      /** A prefix before the digest, e.g. `sha256=`. */
      prefix?: string;
      /** Header with a Unix timestamp (seconds) bound into the MAC; stale ones are refused. */
      timestampHeader?: string;
      /** Default 300. */
      maxSkewSeconds?: number;
    }
  | {
      /** A shared token in a header (default `authorization: Bearer <token>`) or a query parameter. */
      type: 'token';
      token: string;
      header?: string;
      query?: string;
    }
  | {
      /** Callers by address: exact IPv4/IPv6 addresses or IPv4 CIDR ranges (`203.0.113.0/24`). */
      type: 'ip';
      allow: readonly string[];
    }
  | { type: 'custom'; verify: (req: RouteRequest) => boolean | Promise<boolean> }
  | { type: 'none' };

export interface RouteRateLimit {
  /** Requests granted per window and caller address. */
  limit: number;
  windowMs: number;
}

/** One module endpoint. */
export interface RouteDefinition {
  method: RouteMethod | readonly RouteMethod[];
  /** `/leads/:source`: literal segments and `:name` parameters. */
  path: string;
  auth: RouteAuth;
  /** Largest accepted body. Default 64 KiB. */
  bodyLimitBytes?: number;
  /** Default 60 requests a minute per caller address; `false` turns it off. */
  rateLimit?: RouteRateLimit | false;
  handler: (req: RouteRequest, ctx: RouteContext) => RouteResponse | Promise<RouteResponse>;
}

/** The request a route handler gets. */
export interface RouteRequest {
  method: string;
  path: string;
  /** `:name` segments of the route, percent-decoded. */
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: Uint8Array;
  /** The caller's address as the runtime reports it, when it does. */
  remoteAddress: string | undefined;
  /** The body as UTF-8 text. @throws RouteError 400 on invalid UTF-8. */
  text(): string;
  /** The body as JSON. @throws RouteError 400 (with where it broke) on anything else. */
  json<T = unknown>(): T;
}

/** What a route handler returns. An object `body` is sent as JSON. */
export interface RouteResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Record<string, unknown> | readonly unknown[];
}

/** Services of a route handler. */
export interface RouteContext {
  /** The module that owns the route (`bot` for routes added on the bot). */
  readonly module: string;
  readonly store: Store;
  readonly log: Logger;
  /** Pushes through a webhook: `options.webhook`, else WECOM_WEBHOOK_URL. */
  push(content: ReplyContent, options?: ReplyOptions & { webhook?: string; chatid?: string }): Promise<void>;
  /**
   * Work that goes on after the answer: the bot's `idle()` and `close()` wait for it, so a
   * server that stops (or a test that settles) does not cut it off. Its rejection is logged.
   */
  waitUntil(work: Promise<unknown>): void;
}
