import type { RemoteOptions } from '../../search/backends/remote.js';
import { OptionReader, optionKeys } from '../shared/options.js';

/** The `kb-search` bot's options, as written in wecombot.config. */
export interface KbSearchConfigInput {
  /**
   * The knowledge base: an index file from `wecombot kb index`, a `postgres://…` URL, or
   * `{ remote: { url, hits, title, link, snippet } }` for an existing search API.
   */
  source: string | { remote: RemoteOptions };
  /** Results per answer, 1–10 (default 5). */
  limit?: number;
  /** How keywords are highlighted (default `warning`); AI bot answers always use bold. */
  highlight?: 'bold' | 'warning';
  /** Example queries shown in the usage text and when nothing matches. */
  examples?: string[];
  /** Heading of the usage text (default 知识库搜索). */
  title?: string;
}

export type KbSearchConfig = Required<KbSearchConfigInput>;

const OPTIONS = optionKeys<KbSearchConfigInput>({ source: true, limit: true, highlight: true, examples: true, title: true });
const REMOTE = optionKeys<RemoteOptions>({
  url: true,
  method: true,
  body: true,
  headers: true,
  hits: true,
  title: true,
  link: true,
  snippet: true,
  section: true,
  score: true,
  timeoutMs: true,
});

function remoteOptions(r: OptionReader): RemoteOptions {
  const options: RemoteOptions = {
    url: r.requiredString('url'),
    hits:
      typeof r.raw('hits') === 'string'
        ? (r.raw('hits') as string)
        : r.fail('hits', "is required: the JSON path of the hits array ('' for the root)"),
    title: r.requiredString('title'),
    link: r.requiredString('link'),
  };
  const method = r.oneOf('method', ['GET', 'POST'] as const);
  if (method) options.method = method;
  for (const key of ['body', 'snippet', 'section', 'score'] as const) {
    const v = r.string(key);
    if (v !== undefined) options[key] = v;
  }
  const headers = r.stringRecord('headers');
  if (headers) options.headers = headers;
  const timeoutMs = r.number('timeoutMs', { min: 100, integer: true });
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  return options;
}

/** Validates the options once, at start-up; errors name the field. */
export function parseKbSearchConfig(input: KbSearchConfigInput): KbSearchConfig {
  const r = OptionReader.root('kb-search', input, OPTIONS);
  let source: KbSearchConfig['source'];
  if (typeof r.raw('source') === 'object' && r.raw('source') !== null) {
    const remote = r.object('source', ['remote'])!;
    const inner = remote.object('remote', REMOTE) ?? remote.fail('remote', 'is required when source is an object');
    source = { remote: remoteOptions(inner) };
  } else {
    if (!r.has('source') || r.raw('source') === '') r.fail('source', 'must name an index file, a postgres:// URL or a remote API');
    source = r.requiredString('source');
  }
  return {
    source,
    limit: r.number('limit', { default: 5, min: 1, max: 10, integer: true })!,
    highlight: r.oneOf('highlight', ['bold', 'warning'] as const, 'warning')!,
    examples: r.strings('examples'),
    title: r.string('title', { default: '知识库搜索' })!,
  };
}
