import { SearchError } from '../errors.js';

/** Turns texts into vectors, one per text, in order. */
export type EmbedFunction = (texts: string[]) => Promise<ArrayLike<number>[]>;

/** An OpenAI-compatible `POST {baseUrl}/embeddings` endpoint (OpenAI, Azure, vLLM, Ollama, TEI…). */
export interface EmbeddingsEndpoint {
  /** Base URL up to the version, e.g. `https://api.openai.com/v1`; `/embeddings` is appended. */
  baseUrl: string;
  model: string;
  /** Environment variable holding the API key (default `WECOMBOT_EMBEDDINGS_KEY`; unset: no key sent). */
  apiKeyEnv?: string;
  /** Asks the endpoint for this many dimensions (models that support it). */
  dimensions?: number;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Timeout of one request (default 30,000 ms). */
  timeoutMs?: number;
}

/** The `embeddings` option: an endpoint, or your own function. */
export type EmbeddingsOption = EmbeddingsEndpoint | EmbedFunction;

/** A ready embedder and the name stored with the vectors (a query must use the same model). */
export interface Embedder {
  model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

const DEFAULT_KEY_ENV = 'WECOMBOT_EMBEDDINGS_KEY';

function fail(message: string, hint?: string, cause?: unknown): SearchError {
  return new SearchError('kb_embeddings', message, { hint, cause });
}

/** Where the endpoint is, without credentials or query: safe for messages. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the embeddings endpoint';
  }
}

/** Checks an endpoint option, naming the bad field. */
function checkEndpoint(e: EmbeddingsEndpoint): void {
  let url: URL;
  try {
    url = new URL(e.baseUrl);
  } catch {
    throw new SearchError('kb_spec', 'embeddings.baseUrl is not a URL', { hint: 'e.g. https://api.openai.com/v1' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SearchError('kb_spec', 'embeddings.baseUrl must be http(s)');
  if (url.username || url.password) {
    throw new SearchError('kb_spec', 'embeddings.baseUrl must not carry credentials', {
      hint: 'put the key in the environment (apiKeyEnv)',
    });
  }
  if (typeof e.model !== 'string' || e.model.trim() === '') throw new SearchError('kb_spec', 'embeddings.model is required');
  for (const [field, v] of [
    ['dimensions', e.dimensions],
    ['batchSize', e.batchSize],
    ['timeoutMs', e.timeoutMs],
  ] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      throw new SearchError('kb_spec', `embeddings.${field} must be a positive integer`);
  }
}

/** Checks one answer's vectors: as many as texts, all finite, all of one length. */
function checkVectors(vectors: ArrayLike<number>[], count: number, source: string): Float32Array[] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw fail(`${source} returned ${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${count} texts`);
  }
  const dims = vectors[0]?.length ?? 0;
  return vectors.map((v, i) => {
    if (!v || typeof v.length !== 'number' || v.length === 0 || v.length !== dims) {
      throw fail(`${source} returned vector ${i} with ${v?.length ?? 0} dimensions, expected ${dims}`);
    }
    const out = Float32Array.from(v);
    if (!out.every(Number.isFinite)) throw fail(`${source} returned a vector with a non-finite number`);
    return out;
  });
}

/** Builds an embedder from the option; the key is read from the environment now, and never shown. */
export function createEmbedder(option: EmbeddingsOption, env: NodeJS.ProcessEnv = process.env): Embedder {
  if (typeof option === 'function') {
    return {
      model: 'custom',
      async embed(texts) {
        if (texts.length === 0) return [];
        return checkVectors(await option(texts), texts.length, 'the embeddings function');
      },
    };
  }
  checkEndpoint(option);
  const url = `${option.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const key = env[option.apiKeyEnv ?? DEFAULT_KEY_ENV];
  const batchSize = option.batchSize ?? 64;
  const timeoutMs = option.timeoutMs ?? 30_000;
  const request = async (input: string[]): Promise<Float32Array[]> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const body = JSON.stringify({ model: option.model, input, ...(option.dimensions ? { dimensions: option.dimensions } : {}) });
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      // The cause may hold the request (and so the key) in some runtimes: keep only its name.
      throw fail(
        `embeddings request to ${where(url)} failed: ${(cause as Error)?.name ?? 'error'}`,
        'check embeddings.baseUrl and the network',
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const auth = res.status === 401 || res.status === 403;
      throw fail(
        `embeddings endpoint ${where(url)} answered HTTP ${res.status}`,
        auth ? `set the API key in ${option.apiKeyEnv ?? DEFAULT_KEY_ENV}` : 'check embeddings.model and the endpoint',
      );
    }
    let parsed: { data?: Array<{ index?: number; embedding?: number[] }> };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw fail(`embeddings endpoint ${where(url)} answered something other than JSON`);
    }
    if (!Array.isArray(parsed.data)) throw fail(`embeddings endpoint ${where(url)} answered without a data array`);
    // The API may answer out of order; `index` says which input each vector is for.
    const ordered = [...parsed.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding as number[]);
    return checkVectors(ordered, input.length, `embeddings endpoint ${where(url)}`);
  };
  return {
    model: option.model,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await request(texts.slice(i, i + batchSize))));
      if (out.length > 0 && out.some((v) => v.length !== out[0]!.length))
        throw fail('the embeddings endpoint changed dimensions between batches');
      return out;
    },
  };
}
