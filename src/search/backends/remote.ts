import { SearchError } from '../errors.js';
import { decodeEntities } from '../ingest/entities.js';
import { makeSnippet } from '../snippet.js';
import { normalize } from '../text/normalize.js';
import type { Range, SearchHit, SearchOptions, SearchSource } from '../types.js';

/** A company search API that already answers queries with JSON. */
export interface RemoteOptions {
  /** URL template: `{query}` and `{limit}` are replaced (URI-encoded), e.g. `https://wiki/api/search?q={query}`. */
  url: string;
  method?: 'GET' | 'POST';
  /** POST body template; `{query}` and `{limit}` are replaced JSON-escaped (without quotes). */
  body?: string;
  headers?: Record<string, string>;
  /** JSON path of the hits array, e.g. `data.items` (`$.` prefix and `[0]` indices allowed; '' = the root). */
  hits: string;
  /** JSON paths inside one hit. */
  title: string;
  link: string;
  snippet?: string;
  section?: string;
  score?: string;
  /** Timeout of one request (default 3000 ms). */
  timeoutMs?: number;
}

/** Reads a dotted JSON path (`a.b[0].c`, optional `$.` prefix) from a value. */
export function jsonPath(value: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let at: unknown = value;
  for (const step of steps) {
    if (at === null || typeof at !== 'object') return undefined;
    const key = step.startsWith('[') ? Number(step.slice(1, -1)) : step;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** Where a URL points, without query string or credentials: safe for error messages. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the remote search API';
  }
}

const MARK_TAGS = /<(em|mark|b|strong|hl)\b[^>]*>([\s\S]*?)<\/\1\s*>/gi;

/**
 * A snippet from a search API: tags stripped, and the API's own highlight tags (`<em>`,
 * `<mark>`, `<b>`…) turned into ranges; without any, the query words are marked.
 */
export function remoteSnippet(raw: string, query: string): { text: string; highlights: Range[] } {
  const highlights: Range[] = [];
  let text = '';
  let last = 0;
  const plain = (s: string) => decodeEntities(s.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ');
  for (const m of raw.matchAll(MARK_TAGS)) {
    text += plain(raw.slice(last, m.index));
    const inner = plain(m[2] ?? '');
    if (inner) {
      highlights.push([text.length, text.length + inner.length]);
      text += inner;
    }
    last = m.index + m[0].length;
  }
  text += plain(raw.slice(last));
  if (highlights.length > 0) return { text, highlights };
  const words = normalize(query)
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => [w]);
  const snippet = makeSnippet(text, words, Math.max(text.length, 1));
  return { text: snippet.text, highlights: snippet.highlights };
}

/**
 * A search source backed by an HTTP JSON API, configured by a URL template and JSON paths.
 *
 * @example
 * new RemoteSearch({ url: 'https://wiki.example.com/api/search?q={query}&size={limit}',
 *   hits: 'data.results', title: 'title', link: 'url', snippet: 'highlight' })
 */
export class RemoteSearch implements SearchSource {
  constructor(private readonly options: RemoteOptions) {
    if (!/^https?:\/\//i.test(options.url)) {
      throw new SearchError('kb_spec', 'remote search URL must start with http:// or https://', {
        hint: 'e.g. https://wiki.example.com/api/search?q={query}',
      });
    }
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = Math.max(1, Math.min(options.limit ?? 5, 100));
    const o = this.options;
    const url = o.url.replace(/\{query\}/g, encodeURIComponent(query)).replace(/\{limit\}/g, String(limit));
    const json = (s: string) => JSON.stringify(s).slice(1, -1);
    const body = o.body?.replace(/\{query\}/g, json(query)).replace(/\{limit\}/g, String(limit));
    let data: unknown;
    try {
      const res = await fetch(url, {
        method: o.method ?? (body !== undefined ? 'POST' : 'GET'),
        headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 3000),
      });
      if (!res.ok) {
        throw new SearchError('kb_remote', `remote search ${where(url)} answered HTTP ${res.status}`, {
          hint: 'check the URL template and the API credentials',
        });
      }
      data = await res.json();
    } catch (cause) {
      if (cause instanceof SearchError) throw cause;
      throw new SearchError('kb_remote', `remote search ${where(url)} failed: ${(cause as Error).message}`, {
        hint: 'check that the API is reachable and answers JSON',
        cause,
      });
    }
    const list = o.hits ? jsonPath(data, o.hits) : data;
    if (!Array.isArray(list)) {
      throw new SearchError('kb_remote', `remote search answer has no array at "${o.hits}"`, {
        hint: 'fix the JSON path of the hits array',
      });
    }
    const str = (v: unknown) =>
      typeof v === 'string'
        ? v
        : typeof v === 'number'
          ? String(v)
          : Array.isArray(v)
            ? v.filter((x) => typeof x === 'string').join(' … ')
            : '';
    return list.slice(0, limit).map((item, i): SearchHit => {
      const snippet = remoteSnippet(o.snippet ? str(jsonPath(item, o.snippet)) : '', query);
      const link = str(jsonPath(item, o.link));
      const score = o.score ? Number(jsonPath(item, o.score)) : NaN;
      return {
        title: decodeEntities(str(jsonPath(item, o.title)).replace(/<[^>]*>/g, '')) || link,
        url: link,
        path: link,
        section: o.section ? str(jsonPath(item, o.section)) : '',
        score: Number.isFinite(score) ? score : list.length - i,
        snippet: snippet.text,
        highlights: snippet.highlights,
      };
    });
  }
}
