/**
 * Documents and chunks in the SQLite store. Vectors are float32 BLOBs in the chunk rows, searched
 * exactly with sqlite-vec's `vec_distance_cosine`; full text lives in an external-content FTS5
 * table that triggers keep in step with the chunk rows.
 */
import type { Database } from "better-sqlite3";
import { InvalidArgumentError } from "../spec/errors.js";
import type { ChunkHit, ChunkRecord, ChunkSearchOptions, DocumentRecord, DocumentStore } from "../spec/store.js";
import {
  checkChunks,
  checkQueryVector,
  chunkFromRow,
  DEFAULT_SEARCH_LIMIT,
  documentFromRow,
  guard,
  nowIso,
  toJson,
  toLimit,
} from "./records.js";
import { fts5Query } from "./search-terms.js";
import type { SqliteVectorIndex } from "./vector-index.js";

type VectorConfig = { embedder: string; dimensions: number };

const HIT_COLUMNS = `c.id, c.document_id, c.ordinal, c.text, c.metadata, c.embedding,
  d.source AS doc_source, d.content_hash AS doc_content_hash, d.title AS doc_title,
  d.metadata AS doc_metadata, d.updated_at AS doc_updated_at`;

interface SqliteChunkRow {
  id: string;
  document_id: string;
  ordinal: number;
  text: string;
  metadata: string;
  embedding: Buffer | null;
}

interface SqliteHitRow extends SqliteChunkRow {
  doc_source: string;
  doc_content_hash: string;
  doc_title: string | null;
  doc_metadata: string;
  doc_updated_at: string;
  score: number;
}

/** Float32 BLOB of a vector. */
export function encodeVector(vector: number[]): Buffer {
  return Buffer.from(new Float32Array(vector).buffer);
}

/** The vector in a float32 BLOB (copied, since a Buffer's offset may not be 4-byte aligned). */
export function decodeVector(blob: Buffer): number[] {
  return Array.from(new Float32Array(new Uint8Array(blob).buffer));
}

interface SqliteDocumentRow {
  id: string;
  source: string;
  content_hash: string;
  title: string | null;
  metadata: string;
  updated_at: string;
}

function documentFromSqlite(row: SqliteDocumentRow): DocumentRecord {
  return documentFromRow({ ...row, metadata: JSON.parse(row.metadata) });
}

function chunkFromSqlite(row: SqliteChunkRow): ChunkRecord {
  return chunkFromRow({
    ...row,
    metadata: JSON.parse(row.metadata),
    embedding: row.embedding === null ? null : decodeVector(row.embedding),
  });
}

function hitFromSqlite(row: SqliteHitRow): ChunkHit {
  return {
    chunk: chunkFromSqlite(row),
    document: documentFromRow({
      id: row.document_id,
      source: row.doc_source,
      content_hash: row.doc_content_hash,
      title: row.doc_title,
      metadata: JSON.parse(row.doc_metadata),
      updated_at: row.doc_updated_at,
    }),
    score: row.score,
  };
}

/** A `document_id IN (...)` filter taking the ids as one JSON parameter. */
function documentFilter(options: ChunkSearchOptions): { sql: string; params: unknown[] } {
  if (options.documentIds === undefined) return { sql: "", params: [] };
  return {
    sql: "AND c.document_id IN (SELECT value FROM json_each(?))",
    params: [JSON.stringify(options.documentIds)],
  };
}

/**
 * Nearest chunks by exact cosine similarity, over all chunks or only the candidate rows (`seq`s
 * as one JSON parameter) an approximate index proposed. Zero vectors have no cosine distance
 * (NULL); they never match.
 */
function nearestSql(candidates: boolean, filterSql: string): string {
  return `SELECT * FROM (
      SELECT ${HIT_COLUMNS}, c.seq, 1 - vec_distance_cosine(c.embedding, ?) AS score
      FROM chunks c JOIN documents d ON d.id = c.document_id
      WHERE ${candidates ? "c.seq IN (SELECT value FROM json_each(?)) AND" : ""}
        c.embedding IS NOT NULL AND length(c.embedding) = ? ${filterSql}
    ) WHERE score IS NOT NULL ORDER BY score DESC, seq LIMIT ?`;
}

/**
 * The document part of a SQLite store; with `vectorIndex`, large stores answer vector queries
 * from the approximate index.
 */
export function createSqliteDocuments(db: Database, location: string, vectorIndex?: SqliteVectorIndex): DocumentStore {
  const selectConfig = db.prepare("SELECT value FROM settings WHERE key = 'vector'");
  const upsertConfig = db.prepare(
    "INSERT INTO settings (key, value) VALUES ('vector', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const otherDimensions = db.prepare(
    "SELECT length(embedding) / 4 AS dimensions FROM chunks WHERE embedding IS NOT NULL AND document_id <> ? LIMIT 1",
  );
  const upsertDocument = db.prepare(
    `INSERT INTO documents (id, source, content_hash, title, metadata, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET source = excluded.source, content_hash = excluded.content_hash,
       title = excluded.title, metadata = excluded.metadata, updated_at = excluded.updated_at`,
  );
  const deleteChunks = db.prepare("DELETE FROM chunks WHERE document_id = ?");
  const insertChunk = db.prepare(
    "INSERT INTO chunks (id, document_id, ordinal, text, metadata, embedding) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const selectDocument = db.prepare("SELECT * FROM documents WHERE id = ?");
  const selectDocuments = db.prepare("SELECT * FROM documents ORDER BY id");
  const deleteDocument = db.prepare("DELETE FROM documents WHERE id = ?");
  const selectChunks = db.prepare(
    "SELECT id, document_id, ordinal, text, metadata, embedding FROM chunks WHERE document_id = ? ORDER BY ordinal, seq",
  );
  const selectCount = db.prepare(
    "SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM chunks) AS chunks",
  );

  const vectorConfig = (): VectorConfig | undefined => {
    const row = selectConfig.get() as { value: string } | undefined;
    return row && (JSON.parse(row.value) as VectorConfig);
  };
  const replace = db.transaction((document: DocumentRecord, chunks: ChunkRecord[]) => {
    deleteChunks.run(document.id);
    upsertDocument.run(
      document.id,
      document.source,
      document.contentHash,
      document.title ?? null,
      toJson(document.metadata ?? {}, "document.metadata"),
      document.updatedAt ?? nowIso(),
    );
    for (const chunk of chunks) {
      insertChunk.run(
        chunk.id,
        document.id,
        chunk.ordinal,
        chunk.text,
        toJson(chunk.metadata ?? {}, "chunk.metadata"),
        chunk.embedding === undefined ? null : encodeVector(chunk.embedding),
      );
    }
  });

  return {
    getVectorConfig: () => guard(location, "read the vector config", vectorConfig),
    setVectorConfig: (config) =>
      guard(location, "save the vector config", () => {
        if (!config.embedder || !Number.isInteger(config.dimensions) || config.dimensions <= 0) {
          throw new InvalidArgumentError({
            argument: "config",
            message: `The vector config needs an embedder name and a positive integer dimension, got ${JSON.stringify(config)}.`,
          });
        }
        upsertConfig.run(JSON.stringify({ embedder: config.embedder, dimensions: config.dimensions }));
      }),
    put: (document, chunks) =>
      guard(location, `save document '${document.id}'`, () => {
        // Only a put with vectors needs the stored dimension; the lookup scans chunks, so skip it otherwise.
        const hasVectors = chunks.some((c) => c.embedding !== undefined);
        const known = hasVectors ? vectorConfig()?.dimensions : undefined;
        const existing =
          hasVectors && known === undefined
            ? (otherDimensions.get(document.id) as { dimensions: number } | undefined)
            : undefined;
        checkChunks(document, chunks, known ?? existing?.dimensions);
        replace(document, chunks);
      }),
    get: (id) =>
      guard(location, `read document '${id}'`, () => {
        const row = selectDocument.get(id) as SqliteDocumentRow | undefined;
        return row && documentFromSqlite(row);
      }),
    list: () =>
      guard(location, "list documents", () => (selectDocuments.all() as SqliteDocumentRow[]).map(documentFromSqlite)),
    delete: (id) =>
      guard(location, `delete document '${id}'`, () =>
        db.transaction(() => {
          deleteChunks.run(id);
          return deleteDocument.run(id).changes > 0;
        })(),
      ),
    chunks: (documentId) =>
      guard(location, `read the chunks of '${documentId}'`, () =>
        (selectChunks.all(documentId) as SqliteChunkRow[]).map(chunkFromSqlite),
      ),
    searchText: (query, options = {}) =>
      guard(location, "search text", () => {
        const match = fts5Query(query);
        const limit = toLimit(options.limit, DEFAULT_SEARCH_LIMIT);
        if (match === undefined || limit === 0 || options.documentIds?.length === 0) return [];
        const filter = documentFilter(options);
        // Rank and cut inside FTS5 first, then read text and document columns for the top rows only:
        // joining first read the text of every matching row before sorting.
        const inner = filter.sql ? "AND rowid IN (SELECT seq FROM chunks c WHERE 1 " + filter.sql + ")" : "";
        const sql = `SELECT ${HIT_COLUMNS}, -top.score_rank AS score FROM (
            SELECT rowid, bm25(chunks_fts) AS score_rank FROM chunks_fts
            WHERE chunks_fts MATCH ? ${inner} ORDER BY score_rank, rowid LIMIT ?
          ) top JOIN chunks c ON c.seq = top.rowid JOIN documents d ON d.id = c.document_id
          ORDER BY top.score_rank, c.seq`;
        return (db.prepare(sql).all(match, ...filter.params, limit) as SqliteHitRow[]).map(hitFromSqlite);
      }),
    searchVector: (vector, options = {}) =>
      guard(location, "search vectors", async () => {
        checkQueryVector(vector, vectorConfig()?.dimensions);
        const limit = toLimit(options.limit, DEFAULT_SEARCH_LIMIT);
        if (limit === 0 || options.documentIds?.length === 0) return [];
        const filter = documentFilter(options);
        const query = encodeVector(vector);
        const nearest = (candidates: number[] | undefined, max: number) => {
          const params = candidates === undefined ? [] : [JSON.stringify(candidates)];
          const sql = nearestSql(candidates !== undefined, filter.sql);
          const rows = db.prepare(sql).all(query, ...params, vector.length * 4, ...filter.params, max);
          return (rows as SqliteHitRow[]).map(hitFromSqlite);
        };
        const approximate = await vectorIndex?.search(vector, {
          limit,
          documentIds: options.documentIds,
          rank: (seqs, max) => nearest(seqs, max),
        });
        return approximate ?? nearest(undefined, limit);
      }),
    count: () => guard(location, "count documents", () => selectCount.get() as { documents: number; chunks: number }),
  };
}
