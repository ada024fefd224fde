import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { LIMITS } from '../../protocol/limits.js';
import { wecomErrmsg } from './errmsg.js';
import { parseMultipart } from './multipart.js';
import { validateSendBody } from './send-validation.js';
import type {
  FailNextOptions,
  FailureKind,
  FakeChatInfo,
  FakeEndpoint,
  FakeStats,
  FakeUpload,
  FakeWecom,
  FakeWecomOptions,
  ReceivedRequest,
} from './types.js';
import { listenFake } from '../listen.js';
import { readBody } from '../read-body.js';

const UUID_SHAPE = /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/i;
/** Uploads are at most 20 MB; anything far beyond is refused before buffering. */
const AMR_MAGIC = Buffer.from('#!AMR\n', 'latin1');

interface Failure extends FailNextOptions {
  kind: FailureKind;
  remaining: number;
}

interface Answer {
  status: number;
  json?: Record<string, unknown>;
  text?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function endpointOf(path: string): FakeEndpoint {
  switch (path) {
    case '/cgi-bin/webhook/send':
      return 'send';
    case '/cgi-bin/webhook/upload_media':
      return 'upload_media';
    case '/cgi-bin/webhook/get_chat_info':
      return 'get_chat_info';
    case '/cgi-bin/aibot/response':
      return 'aibot_response';
    default:
      return 'unknown';
  }
}

/**
 * Starts a fake WeCom API server on loopback: webhook/send, webhook/upload_media,
 * webhook/get_chat_info and aibot/response, with the documented validation, errcodes and the
 * per-key rate limit (window configurable), plus failure injection. Every request is recorded.
 *
 * @example
 * const fake = await startFakeWecom({ windowMs: 2000 });
 * process.env.WECOM_API_BASE = fake.baseUrl;
 * fake.failNext(-1);           // the next send answers errcode -1
 * ...
 * await fake.close();
 */
export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const windowMs = options.windowMs ?? LIMITS.windowMs;
  const limit = options.limit ?? LIMITS.messagesPerWindow;
  const now = options.now ?? Date.now;
  let latencyMs = options.latencyMs ?? 0;
  const keyList = options.validKeys && typeof options.validKeys !== 'function' ? new Set(options.validKeys) : undefined;
  const keyPredicate = typeof options.validKeys === 'function' ? options.validKeys : undefined;
  const keyValid = (key: string | undefined): key is string =>
    !!key && (keyList ? keyList.has(key) : keyPredicate ? keyPredicate(key) : UUID_SHAPE.test(key));

  const received: ReceivedRequest[] = [];
  const windows = new Map<string, number[]>();
  const media = new Map<string, { key: string; type: string; createdAt: number }>();
  const chatCodes = new Map<string, { info: FakeChatInfo; expiresAt: number }>();
  const responseCodes = new Map<string, { expiresAt: number }>();
  let failures: Failure[] = [];
  let stats = emptyStats();
  let seq = 0;

  function emptyStats(): FakeStats {
    return { requests: 0, accepted: 0, uploads: 0, errcodes: {}, rateLimited: 0, http500: 0, dropped: 0 };
  }

  function takeFailure(endpoint: FakeEndpoint, key: string | undefined): Failure | undefined {
    const f = failures.find(
      (x) =>
        x.remaining > 0 &&
        (x.key === undefined || x.key === key) &&
        (x.endpoint ? x.endpoint === endpoint : endpoint === 'send' || endpoint === 'upload_media'),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    failures = failures.filter((x) => x.remaining > 0);
    return f;
  }

  const err = (errcode: number, reason?: string): Answer => ({ status: 200, json: { errcode, errmsg: wecomErrmsg(errcode, reason) } });

  function handleSend(key: string | undefined, raw: Buffer): { answer: Answer; body: unknown } {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { answer: err(40058, 'Warning: wrong json format. invalid Request Parameter'), body: undefined };
    }
    if (!keyValid(key)) return { answer: err(93000), body };
    const verdict = validateSendBody(body, (id, type) => {
      const m = media.get(id);
      return !!m && m.key === key && m.type === type && now() < m.createdAt + LIMITS.mediaIdLifetimeMs;
    });
    if (verdict.errcode !== 0) return { answer: err(verdict.errcode, verdict.reason), body };
    const t = now();
    const log = (windows.get(key) ?? []).filter((x) => x > t - windowMs);
    windows.set(key, log);
    if (log.length >= limit) {
      stats.rateLimited += 1;
      return { answer: err(45009), body };
    }
    log.push(t);
    stats.accepted += 1;
    return { answer: { status: 200, json: { errcode: 0, errmsg: 'ok' } }, body };
  }

  async function handleUpload(
    key: string | undefined,
    type: string | undefined,
    raw: Buffer,
    contentType: string,
  ): Promise<{ answer: Answer; upload?: FakeUpload }> {
    if (!keyValid(key)) return { answer: err(93000) };
    if (type !== 'file' && type !== 'voice') return { answer: err(40004) };
    const parts = parseMultipart(raw, contentType);
    const part = parts?.find((p) => p.name === 'media');
    if (!part || part.filename === undefined) return { answer: err(44001) };
    const data = part.data;
    const upload: FakeUpload = { type, filename: part.filename, contentType: part.contentType, size: data.length };
    if (part.params.filelength !== undefined) upload.filelength = Number(part.params.filelength);
    if (data.length < LIMITS.uploadMinBytes) return { answer: err(40006), upload };
    if (data.length > (type === 'voice' ? LIMITS.voiceBytes : LIMITS.fileBytes)) return { answer: err(45001), upload };
    if (type === 'voice' && !data.subarray(0, AMR_MAGIC.length).equals(AMR_MAGIC)) return { answer: err(301017), upload };
    const mediaId = `3${randomUUID().replace(/-/g, '')}`;
    const createdAt = now();
    media.set(mediaId, { key, type, createdAt });
    upload.mediaId = mediaId;
    stats.uploads += 1;
    return {
      answer: {
        status: 200,
        json: { errcode: 0, errmsg: 'ok', type, media_id: mediaId, created_at: String(Math.floor(createdAt / 1000)) },
      },
      upload,
    };
  }

  function handleChatInfo(code: string | undefined): Answer {
    const entry = code ? chatCodes.get(code) : undefined;
    if (!code || !entry || entry.expiresAt <= now()) return err(40029);
    chatCodes.delete(code);
    return { status: 200, json: { errcode: 0, errmsg: 'ok', ...entry.info } };
  }

  function handleAibotResponse(code: string | undefined, raw: Buffer): { answer: Answer; body: unknown } {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { answer: err(40058, 'Warning: wrong json format. invalid Request Parameter'), body: undefined };
    }
    const entry = code ? responseCodes.get(code) : undefined;
    if (!code || !entry || entry.expiresAt <= now()) return { answer: err(40029), body };
    const b = body as Record<string, unknown> | null;
    const type = b && typeof b === 'object' ? b.msgtype : undefined;
    if (type === 'markdown') {
      const content = (b?.markdown as { content?: unknown } | undefined)?.content;
      if (typeof content !== 'string' || content === '') return { answer: err(44004), body };
      if (Buffer.byteLength(content) > LIMITS.aibotResponseUrlContentBytes) {
        return {
          answer: err(40058, `markdown.content exceed max length ${LIMITS.aibotResponseUrlContentBytes}. invalid Request Parameter`),
          body,
        };
      }
    } else if (type !== 'template_card') {
      return { answer: err(40008), body };
    }
    responseCodes.delete(code);
    return { answer: { status: 200, json: { errcode: 0, errmsg: 'ok' } }, body };
  }

  function write(res: http.ServerResponse, entry: ReceivedRequest, answer: Answer): void {
    entry.outcome.status = answer.status;
    if (answer.json) {
      entry.outcome.errcode = answer.json.errcode as number;
      entry.outcome.errmsg = answer.json.errmsg as string;
      if (entry.outcome.errcode !== 0) {
        stats.errcodes[entry.outcome.errcode] = (stats.errcodes[entry.outcome.errcode] ?? 0) + 1;
      }
      const payload = JSON.stringify(answer.json);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(payload) });
      res.end(payload);
    } else {
      const text = answer.text ?? '';
      res.writeHead(answer.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    }
  }

  async function onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const endpoint = endpointOf(url.pathname);
    const raw = await readBody(req);
    stats.requests += 1;
    const entry: ReceivedRequest = {
      seq: ++seq,
      at: now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      endpoint,
      key: query.key,
      query,
      body: undefined,
      bytes: raw?.length ?? 0,
      outcome: { status: 0 },
    };
    received.push(entry);
    const gone = () => req.socket.destroyed;
    const drop = () => {
      entry.outcome.dropped = true;
      stats.dropped += 1;
      req.socket.destroy();
    };

    if (latencyMs > 0) await sleep(latencyMs);
    const failure = takeFailure(endpoint, query.key);
    if (failure) entry.outcome.injected = failure.kind;
    if (failure?.kind === 'drop') return drop();
    if (failure?.kind === 'http500') {
      stats.http500 += 1;
      return write(res, entry, { status: 500, text: '<html><body><h1>500 Internal Server Error</h1></body></html>' });
    }
    if (typeof failure?.kind === 'number') return write(res, entry, err(failure.kind));
    if (failure?.kind === 'slow') await sleep(failure.delayMs ?? 2000);
    if (gone()) {
      entry.outcome.abandoned = true;
      return;
    }
    if (raw === undefined) return write(res, entry, err(45001));

    let answer: Answer;
    if (endpoint === 'send' && req.method === 'POST') {
      const r = handleSend(query.key, raw);
      entry.body = r.body;
      answer = r.answer;
    } else if (endpoint === 'upload_media' && req.method === 'POST') {
      const r = await handleUpload(query.key, query.type, raw, String(req.headers['content-type'] ?? ''));
      if (r.upload) entry.upload = r.upload;
      answer = r.answer;
    } else if (endpoint === 'get_chat_info' && req.method === 'GET') {
      answer = handleChatInfo(query.code);
    } else if (endpoint === 'aibot_response' && req.method === 'POST') {
      const r = handleAibotResponse(query.response_code, raw);
      entry.body = r.body;
      answer = r.answer;
    } else {
      answer = { status: 404, text: 'not found' };
    }
    if (failure?.kind === 'drop-after-accept') {
      entry.outcome.status = answer.status;
      entry.outcome.errcode = answer.json?.errcode as number | undefined;
      return drop();
    }
    write(res, entry, answer);
  }

  const { server, baseUrl } = await listenFake(onRequest, options);

  const newKey = () => {
    const k = randomUUID();
    keyList?.add(k);
    return k;
  };
  const key = newKey();
  const webhookUrl = (k: string = key) => `${baseUrl}/cgi-bin/webhook/send?key=${encodeURIComponent(k)}`;

  return {
    baseUrl,
    key,
    url: webhookUrl(key),
    received,
    webhookUrl,
    newKey,
    accepted: (k?: string) => received.filter((r) => r.endpoint === 'send' && r.outcome.errcode === 0 && (k === undefined || r.key === k)),
    failNext(kind, n = 1, opts = {}) {
      failures.push({ kind, remaining: n, ...opts });
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    registerChatInfo(code, info) {
      chatCodes.set(code, { info, expiresAt: now() + LIMITS.chatInfoUrlLifetimeMs });
      return `${baseUrl}/cgi-bin/webhook/get_chat_info?code=${encodeURIComponent(code)}`;
    },
    registerResponseCode(code) {
      responseCodes.set(code, { expiresAt: now() + 60 * 60 * 1000 });
      return `${baseUrl}/cgi-bin/aibot/response?response_code=${encodeURIComponent(code)}`;
    },
    stats: () => ({ ...stats, errcodes: { ...stats.errcodes } }),
    reset() {
      received.length = 0;
      windows.clear();
      failures = [];
      stats = emptyStats();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
