import { WecombotError } from '../errors.js';

/** Stable codes of knowledge-base search errors. */
export type SearchErrorCode =
  | 'KB_INDEX_FORMAT'
  | 'KB_INDEX_READ'
  | 'KB_INGEST'
  | 'KB_SPEC'
  | 'KB_REMOTE'
  | 'KB_POSTGRES'
  | 'KB_QUERIES';

/** Any failure of the knowledge-base engine: a bad index file, an unreachable backend, bad input. */
export class SearchError extends WecombotError {
  declare readonly code: SearchErrorCode;

  constructor(code: SearchErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
