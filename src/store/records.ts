/**
 * Conversions and checks shared by both stores: rows to records, JSON, timestamps, argument
 * validation and error wrapping. Dialect files turn their driver's rows into these neutral row
 * shapes (JSON columns already parsed) and call the functions here.
 */
import { InvalidArgumentError, StoreError, WeftError } from "../spec/errors.js";
import type { ChunkRecord, DocumentRecord, SessionInfo, TraceRecord } from "../spec/store.js";

export const DEFAULT_TRACE_LIMIT = 20;
export const DEFAULT_SEARCH_LIMIT = 10;

export interface TraceRow {
  id: string;
  started_at: string;
  operation: string;
  provider: string;
  model_id: string;
  parameters: unknown;
  input: unknown;
  output: unknown;
  usage: unknown;
  cost_usd: number | null;
  latency_ms: number;
  error: unknown;
  session_id: string | null;
  parent_id: string | null;
  cached: boolean | number;
}

export interface DocumentRow {
  id: string;
  source: string;
  content_hash: string;
  title: string | null;
  metadata: unknown;
  updated_at: string;
}

export interface ChunkRow {
  id: string;
  document_id: string;
  ordinal: number;
  text: string;
  metadata: unknown;
  embedding: number[] | null;
}

export interface SessionRow {
  name: string;
  created_at: string;
  updated_at: string;
  metadata: unknown;
  message_count: number | string;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Milliseconds since the epoch of an ISO time, for ordering and `since` filters. */
export function timeMs(value: string, argument: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError({ argument, message: `${argument} must be an ISO 8601 time, got '${value}'.` });
  }
  return ms;
}

/** JSON text of a value; `undefined` is stored as `null`. */
export function toJson(value: unknown, argument: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value ?? null);
  } catch (cause) {
    throw new InvalidArgumentError({
      argument,
      message: `${argument} must be JSON-serialisable (${(cause as Error).message}).`,
    });
  }
  return text ?? "null";
}

export function toLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isFinite(limit) || limit < 0) {
    throw new InvalidArgumentError({ argument: "limit", message: `limit must be a number >= 0, got ${limit}.` });
  }
  return Math.floor(limit);
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function traceFromRow(row: TraceRow): TraceRecord {
  return {
    id: row.id,
    startedAt: row.started_at,
    operation: row.operation,
    provider: row.provider,
    modelId: row.model_id,
    parameters: asObject(row.parameters),
    input: row.input,
    output: row.output,
    usage: asObject(row.usage),
    costUsd: row.cost_usd === null ? null : Number(row.cost_usd),
    latencyMs: Number(row.latency_ms),
    error: (row.error ?? null) as TraceRecord["error"],
    sessionId: row.session_id,
    parentId: row.parent_id,
    cached: Boolean(row.cached),
  };
}

/** The values of a trace in `TRACE_COLUMNS` order, JSON columns as text. */
export function traceValues(trace: TraceRecord): unknown[] {
  return [
    trace.id,
    trace.startedAt,
    timeMs(trace.startedAt, "trace.startedAt"),
    trace.operation,
    trace.provider,
    trace.modelId,
    toJson(trace.parameters ?? {}, "trace.parameters"),
    toJson(trace.input, "trace.input"),
    toJson(trace.output, "trace.output"),
    toJson(trace.usage ?? {}, "trace.usage"),
    trace.costUsd ?? null,
    trace.latencyMs,
    trace.error ? toJson(trace.error, "trace.error") : null,
    trace.sessionId ?? null,
    trace.parentId ?? null,
    trace.cached ?? false,
  ];
}

export const TRACE_COLUMNS =
  "id, started_at, started_ms, operation, provider, model_id, parameters, input, output, usage, cost_usd, latency_ms, error, session_id, parent_id, cached";

export function documentFromRow(row: DocumentRow): DocumentRecord {
  const document: DocumentRecord = {
    id: row.id,
    source: row.source,
    contentHash: row.content_hash,
    metadata: asObject(row.metadata),
    updatedAt: row.updated_at,
  };
  if (row.title !== null) document.title = row.title;
  return document;
}

export function chunkFromRow(row: ChunkRow): ChunkRecord {
  const chunk: ChunkRecord = {
    id: row.id,
    documentId: row.document_id,
    ordinal: Number(row.ordinal),
    text: row.text,
    metadata: asObject(row.metadata),
  };
  if (row.embedding !== null) chunk.embedding = row.embedding;
  return chunk;
}

export function sessionFromRow(row: SessionRow): SessionInfo {
  return {
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: Number(row.message_count),
    metadata: asObject(row.metadata),
  };
}

/**
 * Refuses chunks that cannot be stored consistently, before any write: wrong document id,
 * non-finite vector values, or vectors whose dimension differs from the store's vector config
 * or from each other.
 */
export function checkChunks(document: DocumentRecord, chunks: ChunkRecord[], dimensions: number | undefined): void {
  let expected = dimensions;
  for (const chunk of chunks) {
    if (chunk.documentId !== document.id) {
      throw new InvalidArgumentError({
        argument: "chunks",
        message: `Chunk '${chunk.id}' belongs to document '${chunk.documentId}', not '${document.id}'.`,
      });
    }
    if (chunk.embedding === undefined) continue;
    if (chunk.embedding.length === 0 || !chunk.embedding.every(Number.isFinite)) {
      throw new InvalidArgumentError({
        argument: "chunks",
        message: `Chunk '${chunk.id}' has an empty embedding or one with non-finite values.`,
      });
    }
    expected ??= chunk.embedding.length;
    if (chunk.embedding.length !== expected) {
      throw new InvalidArgumentError({
        argument: "chunks",
        message: `Chunk '${chunk.id}' has a ${chunk.embedding.length}-dimensional embedding, but the store's vectors have ${expected} dimensions. Re-embed with the index's embedder or rebuild the index.`,
      });
    }
  }
}

/** Refuses a query vector that has no direction or the wrong dimension. */
export function checkQueryVector(vector: number[], dimensions: number | undefined): void {
  if (vector.length === 0 || !vector.every(Number.isFinite) || vector.every((value) => value === 0)) {
    throw new InvalidArgumentError({
      argument: "vector",
      message: "The query vector must be non-empty, finite and not all zeros.",
    });
  }
  if (dimensions !== undefined && vector.length !== dimensions) {
    throw new InvalidArgumentError({
      argument: "vector",
      message: `The query vector has ${vector.length} dimensions, but the index was built with ${dimensions}. Embed the query with the same embedder as the index.`,
    });
  }
}

/**
 * Runs a store operation, turning driver failures into a StoreError that names the store and
 * the action. weft's own errors pass through unchanged.
 */
export async function guard<T>(location: string, action: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (cause) {
    if (WeftError.isInstance(cause)) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError({ message: `Could not ${action} in the store at ${location}: ${detail}`, cause });
  }
}

/** The error for a database written by a newer weft. */
export function newerSchemaError(location: string, found: number, known: number): StoreError {
  return new StoreError({
    message: `The store at ${location} has schema version ${found}, but this version of weft knows only up to ${known}. Upgrade weft (npm install weft@latest) to open it.`,
  });
}
