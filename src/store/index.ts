export { type OpenStoreOptions, openStore } from "./open-store.js";
export {
  type PgPoolLike,
  type PostgresClient,
  type PostgresQueryable,
  pgPoolClient,
  redactUrl,
} from "./postgres-client.js";
export {
  createPostgresStore,
  type OpenPostgresStoreOptions,
  openPostgresStore,
  type PostgresStoreOptions,
} from "./postgres-store.js";
export { searchTerms } from "./search-terms.js";
export { DEFAULT_STORE_PATH, openSqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
export { DEFAULT_VECTOR_INDEX_THRESHOLD, type VectorIndexEvent, type VectorIndexOptions } from "./vector-index.js";
