/** Knowledge-base search: ingest, engines (embedded, PostgreSQL, remote), rendering for WeCom. */
export type { Page, Range, SearchEngine, SearchHit, SearchOptions, SearchSource, Section, SourceDocument } from './types.js';
export { SearchError, type SearchErrorCode } from './errors.js';
export { openKnowledgeBase, type KnowledgeBase, type KnowledgeBaseSpec } from './open.js';
export { EmbeddedEngine, type EmbeddedOptions } from './backends/embedded.js';
export { PostgresEngine, type PostgresOptions } from './backends/postgres.js';
export { RemoteSearch, type RemoteOptions } from './backends/remote.js';
export { renderHitsMarkdown, escapeMarkdownText, type RenderOptions } from './render-markdown.js';
export { parseDocument, publicUrl, type UrlOptions } from './ingest/document.js';
export { listDocuments, readDocument } from './ingest/walk.js';
export { parseSynonyms } from './text/synonyms.js';
export { DEFAULT_PARAMS, type RankingParams } from './core/fields.js';
export type { EngineOptions } from './core/config.js';
export {
  createEmbedder,
  type EmbedFunction,
  type Embedder,
  type EmbeddingsEndpoint,
  type EmbeddingsOption,
} from './embeddings/embedder.js';
export type { FusionOptions } from './embeddings/fusion.js';
export {
  evaluate,
  evaluateAll,
  parseQueries,
  scoreRanks,
  type EvalOptions,
  type EvalQuery,
  type EvalResult,
  type EvalScores,
} from './eval.js';
export { formatEval } from './eval-report.js';
export { CUSTOMER_WORDS } from './text/customer-words.js';
export { learnAliases, type LearnedAliases } from './text/learn-aliases.js';
