import type { FakeCorpState } from './state.js';
import type { WelcomeCodeRegistry } from './welcome-codes.js';

/** The endpoints the fake serves: the path under /cgi-bin/, as the corp client names them. */
export const FAKE_CORP_ENDPOINTS = [
  'gettoken',
  'externalcontact/get_corp_tag_list',
  'externalcontact/add_corp_tag',
  'externalcontact/edit_corp_tag',
  'externalcontact/del_corp_tag',
  'externalcontact/mark_tag',
  'externalcontact/get',
  'externalcontact/batch/get_by_user',
  'externalcontact/send_welcome_msg',
  'externalcontact/groupchat/list',
  'externalcontact/groupchat/get',
  'externalcontact/group_welcome_template/add',
  'externalcontact/group_welcome_template/edit',
  'externalcontact/group_welcome_template/get',
  'externalcontact/group_welcome_template/del',
  'externalcontact/add_msg_template',
  'media/upload',
  'media/uploadimg',
] as const;

export type FakeCorpEndpoint = (typeof FAKE_CORP_ENDPOINTS)[number] | 'unknown';

/**
 * What the fake can be told to do instead of answering normally:
 * - a number: answer HTTP 200 with that errcode (e.g. -1, 45033, 60020, 41096);
 * - `http500`: HTTP 500 with an HTML body, as a gateway would;
 * - `drop`: destroy the socket before processing (nothing happens);
 * - `drop-after-accept`: process the request (a welcome is delivered, a tag is created), then
 *   destroy the socket before answering: the client cannot know it worked;
 * - `slow`: wait `delayMs` (default 2000) before processing; nothing happens if the client gave up meanwhile.
 */
export type FakeCorpFailure = number | 'http500' | 'drop' | 'drop-after-accept' | 'slow';

export interface FakeCorpFailOptions {
  /** Only this endpoint. Default: every endpoint except gettoken. */
  endpoint?: FakeCorpEndpoint;
  /** For `slow`: how long to wait. */
  delayMs?: number;
  /** For an errcode: the errmsg to answer, e.g. one that echoes the request (to test redaction). */
  errmsg?: string | ((request: ReceivedCorpRequest) => string);
}

/** One request as the fake saw it, with what it answered. */
export interface ReceivedCorpRequest {
  seq: number;
  /** Epoch ms (the fake's clock). */
  at: number;
  method: string;
  endpoint: FakeCorpEndpoint;
  query: Record<string, string>;
  /** Parsed JSON body, when there was one. */
  body: unknown;
  bytes: number;
  outcome: {
    status: number;
    errcode?: number;
    errmsg?: string;
    injected?: FakeCorpFailure;
    dropped?: boolean;
    /** The client gave up before the (slow) answer; nothing was processed. */
    abandoned?: boolean;
  };
}

/** A welcome WeCom accepted (send_welcome_msg answered errcode 0, or was processed before a drop). */
export interface FakeWelcome {
  at: number;
  welcomeCode: string;
  /** Staff and customer the code was issued for. */
  userid: string;
  externalUserId: string;
  body: Record<string, unknown>;
}

export interface FakeCorpOptions {
  /** Default `ww` + 16 random hex digits. */
  corpId?: string;
  /** The app secrets that gettoken accepts; default one random 43-character secret. */
  secrets?: string[];
  /** expires_in of a new token, seconds. Default 7200. */
  tokenLifetimeS?: number;
  /** How long a WelcomeCode works. Default 20 000 ms. */
  welcomeCodeLifetimeMs?: number;
  /** Clock for tokens, WelcomeCodes and records; default Date.now. */
  now?: () => number;
  /** Latency before every answer, default 0. */
  latencyMs?: number;
  /** False: every externalcontact call answers 48002 (the app is not among 可调用接口的应用). Default true. */
  customerContact?: boolean;
  /** False: every call but gettoken answers 60020 (the caller's IP is not trusted). Default true. */
  trustedIp?: boolean;
  host?: string;
  port?: number;
}

export interface FakeCorpStats {
  requests: number;
  /** gettoken calls answered with a token. */
  tokensIssued: number;
  /** How many times each non-zero errcode was answered. */
  errcodes: Record<number, number>;
}

/**
 * The fake corp API. Seam for app-callback emission (signed, encrypted corp callbacks, built
 * next to this by the corp-callback work): `corpId`, `welcomeCodes` (issue a code and put it in
 * an add_external_contact event) and `state` (the customers and groups an event talks about).
 */
export interface FakeCorp {
  /** `http://127.0.0.1:PORT`: the corp client's `baseUrl`. */
  readonly baseUrl: string;
  readonly corpId: string;
  /** The first accepted secret. */
  readonly secret: string;
  /** Every request, in arrival order. */
  readonly received: ReceivedCorpRequest[];
  /** Staff, customers, tags, groups, templates, media, mass messages. */
  readonly state: FakeCorpState;
  /** The WelcomeCodes issued, with their one-shot, 20-second semantics. */
  readonly welcomeCodes: WelcomeCodeRegistry;
  /** Requests of one endpoint. */
  requests(endpoint: FakeCorpEndpoint): ReceivedCorpRequest[];
  /** How many gettoken calls were answered with a token. */
  tokenFetches(): number;
  /** Every token issued so far (to check that none leaks into logs). */
  issuedTokens(): string[];
  /** Invalidates every token now: calls with them answer 40014, the next gettoken issues a new one. */
  invalidateTokens(): void;
  /**
   * Issues a WelcomeCode for a new customer of `userid` (both are added to the state when new).
   * It works once (then 41051) and for 20 seconds (then 41050).
   */
  issueWelcomeCode(input: { userid: string; externalUserId: string }): string;
  /** Welcomes accepted, in order. */
  welcomes(): FakeWelcome[];
  /** The next `n` matching requests fail as `kind`. */
  failNext(kind: FakeCorpFailure, n?: number, options?: FakeCorpFailOptions): void;
  setLatency(ms: number): void;
  /** Switches the trusted-IP check (60020) on every call but gettoken. */
  setTrustedIp(trusted: boolean): void;
  stats(): FakeCorpStats;
  /** Forgets requests, failures and counters (state, tokens and codes stay). */
  reset(): void;
  close(): Promise<void>;
}
