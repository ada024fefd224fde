/** Which WeCom endpoint a request reached. */
export type FakeEndpoint = 'send' | 'upload_media' | 'get_chat_info' | 'aibot_response' | 'unknown';

/**
 * What the fake can be told to do instead of answering normally:
 * - a number: answer HTTP 200 with that errcode (e.g. -1, 45009, 45033);
 * - `http500`: answer HTTP 500 with an HTML body, as a gateway would;
 * - `drop`: destroy the socket before processing (nothing is accepted);
 * - `drop-after-accept`: accept the message, then destroy the socket before answering
 *   (the client sees a network error although the message went out: the duplicate window);
 * - `slow`: wait `delayMs` (default 2000) before processing; if the client gave up meanwhile
 *   nothing is accepted.
 */
export type FailureKind = number | 'http500' | 'drop' | 'drop-after-accept' | 'slow';

export interface FailNextOptions {
  /** Only requests carrying this webhook key. Default: any key. */
  key?: string;
  /** Only this endpoint. Default: `send` and `upload_media`. */
  endpoint?: FakeEndpoint;
  /** For `slow`: how long to wait. */
  delayMs?: number;
}

export interface FakeUpload {
  type: string;
  filename: string;
  contentType: string;
  size: number;
  /** The `filelength` Content-Disposition parameter, when the client sent one. */
  filelength?: number;
  mediaId?: string;
}

/** One request as the fake saw it, with what it answered. */
export interface ReceivedRequest {
  /** Sequence number, from 1. */
  seq: number;
  /** Epoch ms when the request arrived (the fake's clock). */
  at: number;
  method: string;
  path: string;
  endpoint: FakeEndpoint;
  /** The `key` query parameter (webhook key), if any. */
  key: string | undefined;
  query: Record<string, string>;
  /** Parsed JSON body, when the body was JSON. */
  body: unknown;
  bytes: number;
  upload?: FakeUpload;
  outcome: {
    status: number;
    errcode?: number;
    errmsg?: string;
    /** The failure that was injected for this request, if any. */
    injected?: FailureKind;
    /** The socket was destroyed instead of answering. */
    dropped?: boolean;
    /** The client disconnected before the (slow) answer; nothing was processed. */
    abandoned?: boolean;
  };
}

export interface FakeChatInfo {
  chatid: string;
  name?: string;
  chattype: 'single' | 'group' | 'blackboard' | 'blackboard_reply';
  members?: { userid: string; alias?: string; name?: string }[];
}

export interface FakeWecomOptions {
  /** Rate-limit window per key, default 60 000 ms (WeCom: 20 messages per minute per robot). */
  windowMs?: number;
  /** Accepted messages per key per window, default 20. */
  limit?: number;
  /**
   * Which webhook keys exist. Default: any UUID-shaped key. A list, or a predicate.
   * Other keys get errcode 93000 (invalid webhook url).
   */
  validKeys?: Iterable<string> | ((key: string) => boolean);
  /** Host to bind, default 127.0.0.1. */
  host?: string;
  /** Port, default 0 (any free port). */
  port?: number;
  /** Clock for timestamps, windows and media expiry; default Date.now. */
  now?: () => number;
  /** Latency added before every answer, default 0. */
  latencyMs?: number;
}

export interface FakeStats {
  requests: number;
  /** Messages accepted by webhook/send (errcode 0). */
  accepted: number;
  uploads: number;
  /** How many times each non-zero errcode was answered (natural and injected). */
  errcodes: Record<number, number>;
  /** 45009 answered because a key really exceeded its window (not injected). */
  rateLimited: number;
  http500: number;
  dropped: number;
}

export interface FakeWecom {
  /** `http://127.0.0.1:PORT`, usable as WECOM_API_BASE. */
  readonly baseUrl: string;
  /** A ready webhook URL for `key`. */
  readonly url: string;
  /** A valid key created at start (UUID-shaped). */
  readonly key: string;
  /** Every request, in arrival order. */
  readonly received: ReceivedRequest[];
  /** The webhook URL for a key (default `this.key`). */
  webhookUrl(key?: string): string;
  /** A fresh valid key (a random UUID; registered when `validKeys` is a list). */
  newKey(): string;
  /** Bodies accepted by webhook/send, optionally for one key, in order. */
  accepted(key?: string): ReceivedRequest[];
  /** The next `n` matching requests fail as `kind`. */
  failNext(kind: FailureKind, n?: number, options?: FailNextOptions): void;
  /** Latency before every answer from now on. */
  setLatency(ms: number): void;
  /** Registers a single-use get_chat_info code (valid 5 minutes); returns the GetChatInfoUrl. */
  registerChatInfo(code: string, info: FakeChatInfo): string;
  /** Registers a single-use aibot response_code; returns the response_url. */
  registerResponseCode(code: string): string;
  stats(): FakeStats;
  /** Forgets received requests, windows, failures and counters (media stays). */
  reset(): void;
  close(): Promise<void>;
}
