export { WecombotError } from './errors.js';
export { ErrorCode, isErrorCode } from './error-codes.js';
export { redactSecrets, redactUrl, redactKey, REDACTED, SECRET_URL_PARAMS } from './redact.js';
export * from './protocol/crypto/index.js';
export * from './protocol/index.js';
export * from './client/index.js';
export * from './bot/index.js';
export * from './config/index.js';
export * from './store/index.js';
export * from './identity/index.js';
export * from './corp/index.js';
export {
  openKnowledgeBase,
  renderHitsMarkdown,
  escapeMarkdownText,
  EmbeddedEngine,
  PostgresEngine,
  RemoteSearch,
  SearchError,
  parseDocument,
  parseSynonyms,
  type KnowledgeBase,
  type KnowledgeBaseSpec,
  type SearchHit,
  type SearchEngine,
  type SearchSource,
  type SearchOptions,
  type RenderOptions,
  type RemoteOptions,
  type EmbeddedOptions,
  type PostgresOptions,
} from './search/index.js';
export * from './bots/index.js';
