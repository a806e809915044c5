/**
 * The persistence contract (version `weft-store-1`). Everything weft keeps — traces, chat
 * sessions, cached results, documents, chunks with their vectors and full-text index — goes
 * through this interface. SQLite (default, one file) and PostgreSQL implement it and pass the
 * same conformance suite (`test/store/conformance.ts`).
 */
import type { Message, Usage } from "./language-model.js";

/** One model call as persisted. Never holds API keys or auth headers. */
export interface TraceRecord {
  id: string;
  /** ISO 8601 time the call started. */
  startedAt: string;
  /** `generate` | `stream` | `embed` or a higher-level operation name. */
  operation: string;
  provider: string;
  modelId: string;
  /** Call settings (temperature, maxTokens, tools, ...), JSON-serialisable. */
  parameters: Record<string, unknown>;
  /** Input messages (or embedded values for `embed`). */
  input: unknown;
  /** Output text, tool calls, choices — whatever the call produced. Null on error. */
  output: unknown;
  usage: Usage;
  /** US dollars; null when the price of the model is unknown. */
  costUsd: number | null;
  latencyMs: number;
  /** Set when the call failed. */
  error: { name: string; code?: string; message: string } | null;
  /** Optional grouping: chat session, parent program run, tags. */
  sessionId?: string | null;
  parentId?: string | null;
  cached?: boolean;
}

export interface TraceQuery {
  /** Newest first; default 20. */
  limit?: number;
  /** Only traces started at or after this ISO time. */
  since?: string;
  sessionId?: string;
  parentId?: string;
}

export interface SessionInfo {
  name: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  metadata: Record<string, unknown>;
}

export interface TraceStore {
  insert(trace: TraceRecord): Promise<void>;
  get(id: string): Promise<TraceRecord | undefined>;
  list(query?: TraceQuery): Promise<TraceRecord[]>;
}

/** Named chat sessions: an ordered list of messages plus free metadata (e.g. system prompt, model). */
export interface SessionStore {
  /** Creates the session when missing; returns its info. */
  open(name: string, metadata?: Record<string, unknown>): Promise<SessionInfo>;
  get(name: string): Promise<SessionInfo | undefined>;
  list(): Promise<SessionInfo[]>;
  /** Appends atomically (all or none), creating the session when missing. */
  append(name: string, messages: Message[]): Promise<void>;
  messages(name: string): Promise<Message[]>;
  setMetadata(name: string, metadata: Record<string, unknown>): Promise<void>;
  /** Deletes the messages but keeps the session and its metadata. */
  clear(name: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** A key/value cache for model results (namespaced, e.g. `gen`, `select`, `embed`). */
export interface CacheStore {
  get(namespace: string, key: string): Promise<unknown | undefined>;
  set(namespace: string, key: string, value: unknown): Promise<void>;
  /** Deletes one namespace, or everything when omitted; returns the number of entries removed. */
  clear(namespace?: string): Promise<number>;
}

export interface DocumentRecord {
  /** Stable id, e.g. the normalised source path. */
  id: string;
  source: string;
  /** Hash of the content the chunks were made from; unchanged hash means nothing to re-index. */
  contentHash: string;
  title?: string;
  metadata: Record<string, unknown>;
  updatedAt?: string;
}

export interface ChunkRecord {
  id: string;
  documentId: string;
  /** Position within the document, from 0. */
  ordinal: number;
  text: string;
  metadata: Record<string, unknown>;
  /** Optional vector; all vectors of one store share the dimension in `VectorConfig`. */
  embedding?: number[];
}

export interface ChunkHit {
  chunk: ChunkRecord;
  document: DocumentRecord;
  /** Higher is better. BM25-derived for text search, cosine similarity for vector search. */
  score: number;
}

export interface ChunkSearchOptions {
  limit?: number;
  /** Only chunks of these document ids. */
  documentIds?: string[];
}

/** Documents and their chunks, with full-text and vector search. */
export interface DocumentStore {
  /** The embedder the index was built with; set once, then a mismatch must be refused by callers. */
  getVectorConfig(): Promise<{ embedder: string; dimensions: number } | undefined>;
  setVectorConfig(config: { embedder: string; dimensions: number }): Promise<void>;
  /**
   * Replaces a document and all its chunks in one transaction: after a crash either the old or
   * the new version is present, never a mix.
   */
  put(document: DocumentRecord, chunks: ChunkRecord[]): Promise<void>;
  get(id: string): Promise<DocumentRecord | undefined>;
  list(): Promise<DocumentRecord[]>;
  /** Removes a document and its chunks; returns whether it existed. */
  delete(id: string): Promise<boolean>;
  chunks(documentId: string): Promise<ChunkRecord[]>;
  /** Full-text (BM25) search over chunk text. */
  searchText(query: string, options?: ChunkSearchOptions): Promise<ChunkHit[]>;
  /** Exact (or approximate) nearest neighbours by cosine similarity. */
  searchVector(vector: number[], options?: ChunkSearchOptions): Promise<ChunkHit[]>;
  count(): Promise<{ documents: number; chunks: number }>;
}

export interface Store {
  readonly specificationVersion: "weft-store-1";
  readonly kind: "sqlite" | "postgres";
  /** Where the data lives, without credentials (file path or redacted URL). */
  readonly location: string;
  readonly traces: TraceStore;
  readonly sessions: SessionStore;
  readonly cache: CacheStore;
  readonly documents: DocumentStore;
  /** Schema version after migrations. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}
