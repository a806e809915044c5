/**
 * The PostgreSQL store's schema, as numbered migrations over a schema name. Add a migration at
 * the end; never edit one that has shipped. Each runs in its own transaction that first takes a
 * transaction-scoped advisory lock, so concurrent opens apply every migration exactly once.
 */
import { StoreError } from "../spec/errors.js";
import type { PostgresQueryable, TransactionalClient } from "./postgres-client.js";
import { newerSchemaError } from "./records.js";

export interface PostgresMigration {
  version: number;
  name: string;
  /** SQL statements; `schema` is the quoted schema name to qualify tables with. */
  statements(schema: string): string[];
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "initial",
    statements: (s) => [
      `CREATE TABLE ${s}.traces (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        started_at text NOT NULL,
        started_ms double precision NOT NULL,
        operation text NOT NULL,
        provider text NOT NULL,
        model_id text NOT NULL,
        parameters jsonb NOT NULL,
        input jsonb NOT NULL,
        output jsonb NOT NULL,
        usage jsonb NOT NULL,
        cost_usd double precision,
        latency_ms double precision NOT NULL,
        error jsonb,
        session_id text,
        parent_id text,
        cached boolean NOT NULL DEFAULT false
      )`,
      `CREATE INDEX traces_started ON ${s}.traces (started_ms)`,
      `CREATE INDEX traces_session ON ${s}.traces (session_id, started_ms)`,
      `CREATE INDEX traces_parent ON ${s}.traces (parent_id, started_ms)`,
      `CREATE TABLE ${s}.sessions (
        name text PRIMARY KEY,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        metadata jsonb NOT NULL
      )`,
      `CREATE TABLE ${s}.session_messages (
        session_name text NOT NULL REFERENCES ${s}.sessions (name) ON DELETE CASCADE,
        seq integer NOT NULL,
        message jsonb NOT NULL,
        PRIMARY KEY (session_name, seq)
      )`,
      `CREATE TABLE ${s}.cache (
        namespace text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (namespace, key)
      )`,
      `CREATE TABLE ${s}.settings (key text PRIMARY KEY, value jsonb NOT NULL)`,
      `CREATE TABLE ${s}.documents (
        id text PRIMARY KEY,
        source text NOT NULL,
        content_hash text NOT NULL,
        title text,
        metadata jsonb NOT NULL,
        updated_at text NOT NULL
      )`,
      `CREATE TABLE ${s}.chunks (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        document_id text NOT NULL REFERENCES ${s}.documents (id) ON DELETE CASCADE,
        ordinal integer NOT NULL,
        text text NOT NULL,
        metadata jsonb NOT NULL,
        embedding vector,
        tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
      )`,
      `CREATE INDEX chunks_document ON ${s}.chunks (document_id, ordinal)`,
      `CREATE INDEX chunks_tsv ON ${s}.chunks USING gin (tsv)`,
    ],
  },
];

/** `"name"`, with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

async function currentVersion(db: PostgresQueryable, schema: string): Promise<number> {
  const { rows } = await db.query(
    `SELECT coalesce(max(version), 0)::int AS version FROM ${quoteIdentifier(schema)}.weft_migrations`,
  );
  return (rows[0] as { version: number }).version;
}

async function prepare(tx: PostgresQueryable, schema: string, location: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`weft_migrations:${schema}`]);
  // Checked first: CREATE needs privileges even when the object exists.
  const { rows } = await tx.query(
    "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'vector')::int AS vector, (SELECT count(*) FROM pg_namespace WHERE nspname = $1)::int AS schema",
    [schema],
  );
  const existing = rows[0] as { vector: number; schema: number };
  try {
    if (!existing.vector) await tx.query("CREATE EXTENSION IF NOT EXISTS vector");
  } catch (cause) {
    throw new StoreError({
      message: `The PostgreSQL database at ${location} has no pgvector extension (${(cause as Error).message}). Install pgvector on the server (https://github.com/pgvector/pgvector) or ask its administrator to run CREATE EXTENSION vector.`,
      cause,
    });
  }
  const s = quoteIdentifier(schema);
  if (!existing.schema) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await tx.query(
    `CREATE TABLE IF NOT EXISTS ${s}.weft_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
}

/**
 * Brings `schema` up to the latest version and returns it. Refuses a schema written by a newer
 * weft before changing anything.
 *
 * @example
 * await migratePostgres({ client, schema: "public", location: "postgres://db/app" }); // 1
 */
export async function migratePostgres(options: {
  client: TransactionalClient;
  schema: string;
  location: string;
  migrations?: readonly PostgresMigration[];
}): Promise<number> {
  const { client, schema, location } = options;
  const migrations = [...(options.migrations ?? POSTGRES_MIGRATIONS)].sort((a, b) => a.version - b.version);
  const latest = migrations.at(-1)?.version ?? 0;
  const found = await client.transaction(async (tx) => {
    await prepare(tx, schema, location);
    return currentVersion(tx, schema);
  });
  if (found > latest) throw newerSchemaError(location, found, latest);
  for (const migration of migrations) {
    if (migration.version <= found) continue;
    await client.transaction(async (tx) => {
      await prepare(tx, schema, location);
      // Another connection may have applied it while this one waited for the lock.
      if ((await currentVersion(tx, schema)) >= migration.version) return;
      for (const statement of migration.statements(quoteIdentifier(schema))) await tx.query(statement);
      await tx.query(`INSERT INTO ${quoteIdentifier(schema)}.weft_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    });
  }
  return currentVersion(client, schema);
}
