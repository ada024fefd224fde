import type { EmbeddedOptions } from './backends/embedded.js';
import type { PostgresOptions } from './backends/postgres.js';
import type { RemoteOptions } from './backends/remote.js';
import { SearchError } from './errors.js';
import type { SearchSource } from './types.js';

/**
 * Where a knowledge base lives:
 * - a file path: an embedded index built by `wecombot kb index`;
 * - `postgres://…` (optional `?kb=<table name>&schema=<schema>`): the PostgreSQL backend;
 * - `{ remote: {...} }`: an existing HTTP JSON search API.
 */
export type KnowledgeBaseSpec =
  | string
  | { file: string; options?: EmbeddedOptions }
  | { postgres: string; options?: Omit<PostgresOptions, 'connectionString'> }
  | { remote: RemoteOptions };

/** What the bot gets: search, and close when done. */
export interface KnowledgeBase extends SearchSource {
  close(): Promise<void>;
}

/** Splits the knowledge-base parameters (`kb`, `schema`) off a PostgreSQL URL. */
export function parsePostgresSpec(spec: string): { connectionString: string; name?: string; schema?: string } {
  let url: URL;
  try {
    url = new URL(spec);
  } catch (cause) {
    throw new SearchError('kb_spec', 'invalid PostgreSQL URL', { hint: 'e.g. postgres://user@host:5432/db?kb=docs', cause });
  }
  const name = url.searchParams.get('kb') ?? undefined;
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('kb');
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), ...(name ? { name } : {}), ...(schema ? { schema } : {}) };
}

/** True for `postgres://` and `postgresql://` specs. */
export function isPostgresSpec(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

/**
 * Opens a knowledge base for searching. The embedded path loads only the index reader (no
 * jieba, no pg); other backends load on demand.
 *
 * @example
 * const kb = await openKnowledgeBase('kb.idx');
 * const hits = await kb.search('函数计费', { limit: 5 });
 */
export async function openKnowledgeBase(spec: KnowledgeBaseSpec): Promise<KnowledgeBase> {
  if (typeof spec === 'string') {
    if (isPostgresSpec(spec)) return openKnowledgeBase({ postgres: spec });
    if (/^https?:\/\//i.test(spec)) {
      throw new SearchError('kb_spec', 'a remote search API needs JSON paths, not just a URL', {
        hint: 'pass { remote: { url, hits, title, link, snippet } }',
      });
    }
    return openKnowledgeBase({ file: spec });
  }
  if ('file' in spec) {
    const { EmbeddedEngine } = await import('./backends/embedded.js');
    return EmbeddedEngine.load(spec.file, spec.options);
  }
  if ('postgres' in spec) {
    const { PostgresEngine } = await import('./backends/postgres.js');
    const engine = new PostgresEngine({ ...spec.options, ...parsePostgresSpec(spec.postgres) });
    await engine.init();
    return engine;
  }
  if ('remote' in spec) {
    const { RemoteSearch } = await import('./backends/remote.js');
    const remote = new RemoteSearch(spec.remote);
    return { search: (q, o) => remote.search(q, o), close: async () => undefined };
  }
  throw new SearchError('kb_spec', 'unknown knowledge-base spec', { hint: 'a file path, a postgres:// URL or { remote: {...} }' });
}
