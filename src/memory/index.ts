/**
 * Memory: load documents, index them incrementally into the store, search them (full text,
 * vectors, hybrid) and answer questions from them with checked citations.
 */

export {
  type AskCitation,
  type AskOptions,
  type AskResult,
  type AskSource,
  ask,
  DEFAULT_ANSWER_TOKENS,
  DEFAULT_CONTEXT_WINDOW,
} from "./ask.js";
export {
  ASK_SYSTEM_PROMPT,
  askMessages,
  formatSource,
  isNotFoundAnswer,
  NOT_FOUND_ANSWER,
} from "./ask-prompt.js";
export { type ChunkOptions, chunkDocument, estimateTokens } from "./chunking/index.js";
export { type CitationCheck, checkCitations } from "./citations.js";
export { type CollectedFiles, collectFiles, IGNORED_FOLDERS, type IndexRoot } from "./collect-files.js";
export { contentHash, documentIdFor, INDEX_FORMAT, type IndexSettings } from "./content-hash.js";
export { type PackedContext, type PackedSource, packContext, type TokenCounter } from "./context-packing.js";
export type { Chunk, DocumentBlock, DocumentFormat, LoadedDocument } from "./document.js";
export { checkEmbedder, embedderId, type VectorConfig } from "./embedder-config.js";
export { excerpt, extractiveAnswer, NO_MODEL_HINT } from "./extractive.js";
export {
  type ChunkingOptions,
  type IndexFailure,
  type IndexPathsOptions,
  type IndexProgress,
  type IndexSummary,
  indexPaths,
} from "./index-paths.js";
export { type LoadDocumentOptions, LoaderError, loadDocument, SUPPORTED_EXTENSIONS } from "./loaders/index.js";
export { cosineSimilarity, type MmrCandidate, maximalMarginalRelevance } from "./mmr.js";
export { createIndexProgressBar, type IndexProgressBar } from "./progress-bar.js";
export { type ExpansionOptions, hypotheticalAnswer, rewriteQuery } from "./query-expansion.js";
export { type FusedItem, RRF_K, reciprocalRankFusion } from "./rank-fusion.js";
export { createLlmReranker, type LlmRerankerOptions, type Reranker } from "./rerank.js";
export { resolveEmbedder } from "./resolve-embedder.js";
export { type SearchMode, type SearchOptions, type SearchResponse, search } from "./search.js";
export { filterDocuments, type SearchFilters } from "./search-filters.js";
export { formatLocation, resultFromHit, type SearchResult } from "./search-result.js";
