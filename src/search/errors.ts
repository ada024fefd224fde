import { WecombotError } from '../errors.js';

/** Stable codes of knowledge-base search errors. */
export type SearchErrorCode =
  'kb_index_format' | 'kb_index_read' | 'kb_ingest' | 'kb_spec' | 'kb_remote' | 'kb_postgres' | 'kb_queries' | 'kb_embeddings';

/** Any failure of the knowledge-base engine: a bad index file, an unreachable backend, bad input. */
export class SearchError extends WecombotError {
  declare readonly code: SearchErrorCode;

  constructor(code: SearchErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
