/**
 * Documents and chunks in the PostgreSQL store. Vectors live in a `vector` column without a fixed
 * dimension (searched exactly with cosine distance `<=>`); full text in a generated `tsvector`
 * column (english configuration) with a GIN index, ranked with `ts_rank_cd`.
 */
import { InvalidArgumentError } from "../spec/errors.js";
import type { ChunkHit, ChunkRecord, ChunkSearchOptions, DocumentStore } from "../spec/store.js";
import type { PostgresQueryable, TransactionalClient } from "./postgres-client.js";
import {
  type ChunkRow,
  checkChunks,
  checkQueryVector,
  chunkFromRow,
  DEFAULT_SEARCH_LIMIT,
  type DocumentRow,
  documentFromRow,
  guard,
  nowIso,
  toJson,
  toLimit,
} from "./records.js";
import { tsQuery } from "./search-terms.js";

type VectorConfig = { embedder: string; dimensions: number };

/** Rows per multi-row chunk INSERT (6 parameters each). */
const CHUNK_BATCH = 500;

interface PostgresChunkRow extends Omit<ChunkRow, "embedding"> {
  embedding: string | null;
}

interface PostgresHitRow extends PostgresChunkRow {
  doc_source: string;
  doc_content_hash: string;
  doc_title: string | null;
  doc_metadata: unknown;
  doc_updated_at: string;
  score: number | string;
}

const CHUNK_COLUMNS = "c.id, c.document_id, c.ordinal, c.text, c.metadata, c.embedding::text AS embedding";
const HIT_COLUMNS = `${CHUNK_COLUMNS}, d.source AS doc_source, d.content_hash AS doc_content_hash,
  d.title AS doc_title, d.metadata AS doc_metadata, d.updated_at AS doc_updated_at`;

/** pgvector's text form, `[1,2,3]`. */
function vectorLiteral(vector: number[]): string {
  return `[${vector.join(",")}]`;
}

function chunkFromPostgres(row: PostgresChunkRow): ChunkRecord {
  // pgvector prints vectors as `[1,0.5,1e-07]`, which is valid JSON.
  return chunkFromRow({ ...row, embedding: row.embedding === null ? null : (JSON.parse(row.embedding) as number[]) });
}

function hitFromPostgres(row: PostgresHitRow): ChunkHit {
  return {
    chunk: chunkFromPostgres(row),
    document: documentFromRow({
      id: row.document_id,
      source: row.doc_source,
      content_hash: row.doc_content_hash,
      title: row.doc_title,
      metadata: row.doc_metadata,
      updated_at: row.doc_updated_at,
    }),
    score: Number(row.score),
  };
}

/** A `document_id IN (...)` filter taking the ids as one JSON parameter. */
function documentFilter(options: ChunkSearchOptions, params: unknown[]): string {
  if (options.documentIds === undefined) return "";
  params.push(JSON.stringify(options.documentIds));
  return `AND c.document_id IN (SELECT jsonb_array_elements_text($${params.length}::jsonb))`;
}

async function insertChunks(tx: PostgresQueryable, s: string, documentId: string, chunks: ChunkRecord[]) {
  for (let start = 0; start < chunks.length; start += CHUNK_BATCH) {
    const params: unknown[] = [];
    const values = chunks.slice(start, start + CHUNK_BATCH).map((chunk) => {
      const n = params.length;
      params.push(
        chunk.id,
        documentId,
        chunk.ordinal,
        chunk.text,
        toJson(chunk.metadata ?? {}, "chunk.metadata"),
        chunk.embedding === undefined ? null : vectorLiteral(chunk.embedding),
      );
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::jsonb, $${n + 6}::vector)`;
    });
    await tx.query(
      `INSERT INTO ${s}.chunks (id, document_id, ordinal, text, metadata, embedding) VALUES ${values.join(", ")}`,
      params,
    );
  }
}

/** The document part of a PostgreSQL store; `s` is the quoted schema name. */
export function createPostgresDocuments(db: TransactionalClient, s: string, location: string): DocumentStore {
  const vectorConfig = async (): Promise<VectorConfig | undefined> => {
    const { rows } = await db.query(`SELECT value FROM ${s}.settings WHERE key = 'vector'`);
    return (rows[0] as { value: VectorConfig } | undefined)?.value;
  };
  return {
    getVectorConfig: () => guard(location, "read the vector config", vectorConfig),
    setVectorConfig: (config) =>
      guard(location, "save the vector config", async () => {
        if (!config.embedder || !Number.isInteger(config.dimensions) || config.dimensions <= 0) {
          throw new InvalidArgumentError({
            argument: "config",
            message: `The vector config needs an embedder name and a positive integer dimension, got ${JSON.stringify(config)}.`,
          });
        }
        await db.query(
          `INSERT INTO ${s}.settings (key, value) VALUES ('vector', $1::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [JSON.stringify({ embedder: config.embedder, dimensions: config.dimensions })],
        );
      }),
    put: (document, chunks) =>
      guard(location, `save document '${document.id}'`, async () => {
        // Only a put with vectors needs the stored dimension; the lookup scans chunks, so skip it otherwise.
        const hasVectors = chunks.some((c) => c.embedding !== undefined);
        const known = hasVectors ? (await vectorConfig())?.dimensions : undefined;
        let existing: number | undefined;
        if (hasVectors && known === undefined) {
          const { rows } = await db.query(
            `SELECT vector_dims(embedding) AS dimensions FROM ${s}.chunks
             WHERE embedding IS NOT NULL AND document_id <> $1 LIMIT 1`,
            [document.id],
          );
          existing = (rows[0] as { dimensions: number } | undefined)?.dimensions;
        }
        checkChunks(document, chunks, known ?? existing);
        await db.transaction(async (tx) => {
          await tx.query(`DELETE FROM ${s}.chunks WHERE document_id = $1`, [document.id]);
          await tx.query(
            `INSERT INTO ${s}.documents (id, source, content_hash, title, metadata, updated_at)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6)
             ON CONFLICT (id) DO UPDATE SET source = excluded.source, content_hash = excluded.content_hash,
               title = excluded.title, metadata = excluded.metadata, updated_at = excluded.updated_at`,
            [
              document.id,
              document.source,
              document.contentHash,
              document.title ?? null,
              toJson(document.metadata ?? {}, "document.metadata"),
              document.updatedAt ?? nowIso(),
            ],
          );
          await insertChunks(tx, s, document.id, chunks);
        });
      }),
    get: (id) =>
      guard(location, `read document '${id}'`, async () => {
        const { rows } = await db.query(`SELECT * FROM ${s}.documents WHERE id = $1`, [id]);
        return rows[0] === undefined ? undefined : documentFromRow(rows[0] as DocumentRow);
      }),
    list: () =>
      guard(location, "list documents", async () => {
        const { rows } = await db.query(`SELECT * FROM ${s}.documents ORDER BY id COLLATE "C"`);
        return (rows as DocumentRow[]).map(documentFromRow);
      }),
    delete: (id) =>
      guard(location, `delete document '${id}'`, async () => {
        const { rows } = await db.query(
          `WITH removed AS (DELETE FROM ${s}.documents WHERE id = $1 RETURNING 1) SELECT count(*)::int AS n FROM removed`,
          [id],
        );
        return (rows[0] as { n: number }).n > 0;
      }),
    chunks: (documentId) =>
      guard(location, `read the chunks of '${documentId}'`, async () => {
        const { rows } = await db.query(
          `SELECT ${CHUNK_COLUMNS} FROM ${s}.chunks c WHERE c.document_id = $1 ORDER BY c.ordinal, c.seq`,
          [documentId],
        );
        return (rows as PostgresChunkRow[]).map(chunkFromPostgres);
      }),
    searchText: (query, options = {}) =>
      guard(location, "search text", async () => {
        const tsquery = tsQuery(query);
        const limit = toLimit(options.limit, DEFAULT_SEARCH_LIMIT);
        if (tsquery === undefined || limit === 0 || options.documentIds?.length === 0) return [];
        const params: unknown[] = [tsquery];
        const filter = documentFilter(options, params);
        params.push(limit);
        // Normalisation 1 divides by 1 + log(length), so long chunks do not win on length alone.
        const { rows } = await db.query(
          `SELECT ${HIT_COLUMNS}, ts_rank_cd(c.tsv, q, 1) AS score
           FROM ${s}.chunks c JOIN ${s}.documents d ON d.id = c.document_id, to_tsquery('english', $1) q
           WHERE c.tsv @@ q ${filter} ORDER BY score DESC, c.seq LIMIT $${params.length}`,
          params,
        );
        return (rows as PostgresHitRow[]).map(hitFromPostgres);
      }),
    searchVector: (vector, options = {}) =>
      guard(location, "search vectors", async () => {
        checkQueryVector(vector, (await vectorConfig())?.dimensions);
        const limit = toLimit(options.limit, DEFAULT_SEARCH_LIMIT);
        if (limit === 0 || options.documentIds?.length === 0) return [];
        const params: unknown[] = [vectorLiteral(vector), vector.length];
        const filter = documentFilter(options, params);
        params.push(limit);
        // Zero vectors have no cosine distance (NaN); they never match.
        const { rows } = await db.query(
          `SELECT ${HIT_COLUMNS}, 1 - (c.embedding <=> $1::vector) AS score
           FROM ${s}.chunks c JOIN ${s}.documents d ON d.id = c.document_id
           WHERE c.embedding IS NOT NULL AND vector_dims(c.embedding) = $2
             AND (c.embedding <=> $1::vector) <> 'NaN'::float8 ${filter}
           ORDER BY score DESC, c.seq LIMIT $${params.length}`,
          params,
        );
        return (rows as PostgresHitRow[]).map(hitFromPostgres);
      }),
    count: () =>
      guard(location, "count documents", async () => {
        const { rows } = await db.query(
          `SELECT (SELECT count(*) FROM ${s}.documents)::int AS documents, (SELECT count(*) FROM ${s}.chunks)::int AS chunks`,
        );
        return rows[0] as { documents: number; chunks: number };
      }),
  };
}
