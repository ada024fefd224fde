import { createHash } from 'node:crypto';
import type http from 'node:http';
import { listenFake } from './listen.js';
import { readBody } from './read-body.js';

/**
 * A deterministic OpenAI-compatible embeddings server (`POST /v1/embeddings`) for tests and
 * benches of hybrid search, with no model and no network. A text's vector is its character
 * unigrams and bigrams (lower-cased, whitespace dropped) hashed into `dims` signed buckets: texts
 * sharing characters are near, as with a real model's lexical side, and the same text always
 * gives the same vector. It is a stand-in for the transport and the fusion, not for semantics.
 */
export interface FakeEmbeddingsOptions {
  dims?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Inputs accepted per request (400 above; default 2048, as OpenAI). */
  maxInputs?: number;
  /** The model names accepted (default: any). */
  models?: readonly string[];
  port?: number;
}

export interface FakeEmbeddingsServer {
  /** Base URL to pass as `embeddings.baseUrl` (ends in /v1). */
  baseUrl: string;
  /** Requests answered, and texts embedded. */
  readonly requests: number;
  readonly texts: number;
  /** Fails the next `count` requests with this HTTP status. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

/** The fake's vector of one text (exported so tests can compute expected neighbours). */
export function fakeEmbedding(text: string, dims = 256): Float32Array {
  const v = new Float32Array(dims);
  const chars = Array.from(text.toLowerCase().replace(/\s+/g, ''));
  const add = (gram: string, weight: number) => {
    const h = createHash('md5').update(gram).digest();
    const bucket = h.readUInt32LE(0) % dims;
    v[bucket]! += (h[4]! & 1 ? 1 : -1) * weight;
  };
  chars.forEach((c, i) => {
    add(c, 0.5);
    if (i + 1 < chars.length) add(c + chars[i + 1]!, 1);
  });
  return v;
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startFakeEmbeddings(options: FakeEmbeddingsOptions = {}): Promise<FakeEmbeddingsServer> {
  const dims = options.dims ?? 256;
  const maxInputs = options.maxInputs ?? 2048;
  let requests = 0;
  let texts = 0;
  let failing: { status: number; count: number } | undefined;
  const { server, baseUrl } = await listenFake(
    async (req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return answer(res, 404, { error: { message: 'not found' } });
      if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        return answer(res, 401, { error: { message: 'invalid api key', type: 'invalid_request_error' } });
      }
      const raw = await readBody(req);
      if (failing && failing.count > 0) {
        failing.count--;
        return answer(res, failing.status, { error: { message: 'injected failure' } });
      }
      let body: { model?: unknown; input?: unknown };
      try {
        body = JSON.parse(raw?.toString('utf8') ?? '') as typeof body;
      } catch {
        return answer(res, 400, { error: { message: 'body is not JSON' } });
      }
      if (typeof body.model !== 'string' || (options.models && !options.models.includes(body.model))) {
        return answer(res, 400, { error: { message: `unknown model ${String(body.model)}` } });
      }
      const input = typeof body.input === 'string' ? [body.input] : body.input;
      if (!Array.isArray(input) || input.length === 0 || input.length > maxInputs || !input.every((t) => typeof t === 'string')) {
        return answer(res, 400, { error: { message: `input must be 1 to ${maxInputs} strings` } });
      }
      requests++;
      texts += input.length;
      answer(res, 200, {
        object: 'list',
        model: body.model,
        // Reversed on purpose: clients must order by `index`, as the API allows any order.
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: Array.from(fakeEmbedding(t as string, dims)) })).reverse(),
        usage: { prompt_tokens: texts, total_tokens: texts },
      });
    },
    { port: options.port },
  );
  return {
    baseUrl: `${baseUrl}/v1`,
    get requests() {
      return requests;
    },
    get texts() {
      return texts;
    },
    failNext(status, count = 1) {
      failing = { status, count };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
