// The storage layer's public surface. Only light modules are imported here: every driver
// (and with it kysely, better-sqlite3, pg, ioredis) loads on demand inside openStore().
export type {
  AnyTables,
  ClaimOptions,
  ClaimState,
  CompleteClaimOptions,
  CounterOptions,
  LockOptions,
  Migration,
  SlotOptions,
  SlotResult,
  SqlDialect,
  Store,
  StoreConfig,
  StoreDriverName,
  TtlOptions,
} from './store.js';
export { openStore, openStoreFromEnv } from './open.js';
export { getJson, setJson } from './json.js';
export { StoreArgumentError, StoreConfigError, StoreConnectionError, StoreMigrationError, StoreUnsupportedError } from './errors.js';
export { DATABASE_URL_VAR, DEFAULT_DATABASE_URL, REDIS_URL_VAR } from './url.js';
