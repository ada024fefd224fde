import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { wecomErrmsg } from '../fake-wecom/errmsg.js';
import { contactHandlers } from './contact-handlers.js';
import type { Handler, HandlerContext } from './context.js';
import { Refusal } from './fields.js';
import { mediaHandlers } from './media-handlers.js';
import { messageHandlers } from './message-handlers.js';
import { FakeCorpState } from './state.js';
import { tagHandlers } from './tag-handlers.js';
import { FakeTokens } from './tokens.js';
import {
  FAKE_CORP_ENDPOINTS,
  type FakeCorp,
  type FakeCorpEndpoint,
  type FakeCorpFailOptions,
  type FakeCorpFailure,
  type FakeCorpOptions,
  type FakeCorpStats,
  type FakeWelcome,
  type ReceivedCorpRequest,
} from './types.js';
import { WelcomeCodeRegistry } from './welcome-codes.js';
import { listenFake } from '../listen.js';
import { readBody } from '../read-body.js';

const MEDIA_LIFETIME_MS = 3 * 24 * 60 * 60 * 1000;
const HANDLERS: Record<string, Handler> = { ...tagHandlers, ...contactHandlers, ...messageHandlers, ...mediaHandlers };
const GET_ENDPOINTS = new Set<FakeCorpEndpoint>(['gettoken', 'externalcontact/get']);

/** The reason WeCom puts first in errmsg, for the errcodes this fake answers without a reason of its own. */
const REASONS: Record<number, string> = {
  40001: 'invalid credential, access_token is invalid or not latest',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  41004: 'corpsecret missing',
  42001: 'access_token expired',
  48002: 'api forbidden',
  60020: 'not allow to access from your ip',
  45033: 'api concurrent out of limit',
  41096: 'welcome msg is being distributed',
};

interface Failure extends FakeCorpFailOptions {
  kind: FakeCorpFailure;
  remaining: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function endpointOf(pathname: string): FakeCorpEndpoint {
  const path = pathname.replace(/^\/cgi-bin\//, '');
  return (FAKE_CORP_ENDPOINTS as readonly string[]).includes(path) ? (path as FakeCorpEndpoint) : 'unknown';
}

/**
 * Starts a fake WeCom corp API on loopback: gettoken (expiry, the same token within its
 * validity, invalidation), the customer-contact endpoints the corp client wraps with WeCom's
 * field checks and errcodes, the one-shot 20-second WelcomeCode, permission (48002) and
 * trusted-IP (60020) switches, failure injection and a record of every request.
 *
 * @example
 * const fake = await startFakeCorp();
 * const corp = createCorpClient({ corpId: fake.corpId, secret: fake.secret, store, baseUrl: fake.baseUrl });
 * const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmCustomer' });
 * await corp.welcome.send({ welcome_code: code, text: { content: '你好' } });
 * fake.welcomes().length === 1;
 */
export async function startFakeCorp(options: FakeCorpOptions = {}): Promise<FakeCorp> {
  const corpId = options.corpId ?? `ww${randomBytes(8).toString('hex')}`;
  const secrets = options.secrets?.length ? options.secrets : [randomBytes(32).toString('base64url').slice(0, 43)];
  const now = options.now ?? Date.now;
  let latencyMs = options.latencyMs ?? 0;
  let trustedIp = options.trustedIp ?? true;
  const customerContact = options.customerContact ?? true;
  const tokens = new FakeTokens(options.tokenLifetimeS ?? 7200, now);
  const codes = new WelcomeCodeRegistry(options.welcomeCodeLifetimeMs ?? 20_000, now);
  const state = new FakeCorpState(now);
  const received: ReceivedCorpRequest[] = [];
  const welcomes: FakeWelcome[] = [];
  let failures: Failure[] = [];
  let stats: FakeCorpStats = { requests: 0, tokensIssued: 0, errcodes: {} };
  let seq = 0;

  const mediaKnown = (id: string) => {
    const m = state.media.get(id);
    return !!m && now() < m.createdAt + MEDIA_LIFETIME_MS;
  };

  function takeFailure(endpoint: FakeCorpEndpoint): Failure | undefined {
    const f = failures.find((x) => x.remaining > 0 && (x.endpoint ? x.endpoint === endpoint : endpoint !== 'gettoken'));
    if (!f) return undefined;
    f.remaining -= 1;
    failures = failures.filter((x) => x.remaining > 0);
    return f;
  }

  const answer = (errcode: number, reason?: string, fields: Record<string, unknown> = {}) => ({
    errcode,
    errmsg: errcode === 0 ? 'ok' : wecomErrmsg(errcode, reason ?? REASONS[errcode]),
    ...fields,
  });

  function gettoken(query: Record<string, string>): Record<string, unknown> {
    if (!query.corpid) return answer(41002, 'corpid missing');
    if (query.corpid !== corpId) return answer(40013);
    if (!query.corpsecret) return answer(41004);
    if (!secrets.includes(query.corpsecret)) return answer(40001);
    const { token, expiresIn } = tokens.issue(query.corpsecret);
    stats.tokensIssued += 1;
    return answer(0, undefined, { access_token: token, expires_in: expiresIn });
  }

  function handle(
    endpoint: FakeCorpEndpoint,
    query: Record<string, string>,
    raw: Buffer,
    contentType: string,
    json: unknown,
  ): Record<string, unknown> {
    if (endpoint === 'gettoken') return gettoken(query);
    const verdict = tokens.verify(query.access_token);
    if (verdict === 'missing') return answer(41001);
    if (verdict === 'invalid') return answer(40014);
    if (verdict === 'expired') return answer(42001);
    if (!trustedIp) return answer(60020, undefined);
    if (!customerContact && endpoint.startsWith('externalcontact/')) return answer(48002);
    const handler = HANDLERS[endpoint];
    if (!handler) return answer(40058, 'unknown api');
    const ctx: HandlerContext = { query, json, raw, contentType, state, codes, welcomes, now, mediaKnown };
    try {
      return answer(0, undefined, handler(ctx));
    } catch (err) {
      if (err instanceof Refusal) return answer(err.errcode, err.reason);
      throw err;
    }
  }

  function write(res: http.ServerResponse, entry: ReceivedCorpRequest, status: number, json?: Record<string, unknown>, text = ''): void {
    entry.outcome.status = status;
    if (json) {
      entry.outcome.errcode = json.errcode as number;
      entry.outcome.errmsg = json.errmsg as string;
      if (entry.outcome.errcode !== 0) stats.errcodes[entry.outcome.errcode] = (stats.errcodes[entry.outcome.errcode] ?? 0) + 1;
    }
    const payload = json ? JSON.stringify(json) : text;
    res.writeHead(status, {
      'content-type': json ? 'application/json; charset=UTF-8' : 'text/html',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const endpoint = endpointOf(url.pathname);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    let json: unknown;
    if (raw?.length && contentType.startsWith('application/json')) {
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        json = null; // refused by the handler as wrong JSON
      }
    }
    stats.requests += 1;
    const entry: ReceivedCorpRequest = {
      seq: ++seq,
      at: now(),
      method,
      endpoint,
      query,
      body: json,
      bytes: raw?.length ?? 0,
      outcome: { status: 0 },
    };
    received.push(entry);
    const drop = () => {
      entry.outcome.dropped = true;
      req.socket.destroy();
    };

    if (latencyMs > 0) await sleep(latencyMs);
    const failure = takeFailure(endpoint);
    if (failure) entry.outcome.injected = failure.kind;
    if (failure?.kind === 'drop') return drop();
    if (failure?.kind === 'http500')
      return write(res, entry, 500, undefined, '<html><body><h1>500 Internal Server Error</h1></body></html>');
    if (typeof failure?.kind === 'number') {
      const errmsg = typeof failure.errmsg === 'function' ? failure.errmsg(entry) : failure.errmsg;
      return write(res, entry, 200, errmsg === undefined ? answer(failure.kind) : { errcode: failure.kind, errmsg });
    }
    if (failure?.kind === 'slow') await sleep(failure.delayMs ?? 2000);
    if (req.socket.destroyed) {
      entry.outcome.abandoned = true;
      return;
    }
    if (endpoint === 'unknown') return write(res, entry, 404, undefined, 'not found');
    if ((method === 'GET') !== GET_ENDPOINTS.has(endpoint)) return write(res, entry, 200, answer(40058, `${method} is not allowed here`));
    if (raw === undefined) return write(res, entry, 200, answer(40058, 'request too large'));
    const out = handle(endpoint, query, raw, contentType, json);
    if (failure?.kind === 'drop-after-accept') {
      entry.outcome.errcode = out.errcode as number;
      return drop();
    }
    write(res, entry, 200, out);
  }

  const { server, baseUrl } = await listenFake(onRequest, options);

  return {
    baseUrl,
    corpId,
    secret: secrets[0] as string,
    received,
    state,
    welcomeCodes: codes,
    requests: (endpoint) => received.filter((r) => r.endpoint === endpoint),
    tokenFetches: () => stats.tokensIssued,
    issuedTokens: () => tokens.tokens(),
    invalidateTokens: () => tokens.invalidateAll(),
    issueWelcomeCode({ userid, externalUserId }) {
      state.addCustomer({ userid, external_userid: externalUserId });
      return codes.issue(userid, externalUserId);
    },
    welcomes: () => [...welcomes],
    failNext(kind, n = 1, opts = {}) {
      failures.push({ kind, remaining: n, ...opts });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setTrustedIp(trusted) {
      trustedIp = trusted;
    },
    stats: () => ({ ...stats, errcodes: { ...stats.errcodes } }),
    reset() {
      received.length = 0;
      failures = [];
      stats = { requests: 0, tokensIssued: 0, errcodes: {} };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
