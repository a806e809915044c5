/**
 * The scale-out store: PostgreSQL with pgvector and tsvector, through any client that fits
 * `PostgresClient` (`pg.Pool` via `openPostgresStore`, PGlite directly).
 */
import { InvalidArgumentError, MissingDependencyError, StoreError, WeftError } from "../spec/errors.js";
import type { Message } from "../spec/language-model.js";
import type { CacheStore, SessionStore, Store, TraceQuery, TraceStore } from "../spec/store.js";
import {
  type PgPoolLike,
  type PostgresClient,
  pgPoolClient,
  redactUrl,
  serialClient,
  type TransactionalClient,
} from "./postgres-client.js";
import { createPostgresDocuments } from "./postgres-documents.js";
import { migratePostgres, quoteIdentifier } from "./postgres-migrations.js";
import {
  DEFAULT_TRACE_LIMIT,
  guard,
  nowIso,
  type SessionRow,
  sessionFromRow,
  TRACE_COLUMNS,
  type TraceRow,
  timeMs,
  toJson,
  toLimit,
  traceFromRow,
  traceValues,
} from "./records.js";

export interface PostgresStoreOptions {
  /**
   * A `pg.Pool` (transactions check out one connection), a PGlite instance (its `transaction` is
   * used), or any `PostgresClient`; one without `transaction` is treated as a single connection.
   * The store does not close it.
   */
  client: PostgresClient;
  /** Schema holding weft's tables, created when missing; default `public`. */
  schema?: string;
  /** Shown in messages and `store.location`; never put credentials here. */
  location?: string;
  /** Called once by `close()`, e.g. to end a pool the caller created for this store. */
  onClose?: () => Promise<void>;
}

export interface OpenPostgresStoreOptions {
  /** `postgres://user:password@host:5432/database`; the password never appears in messages. */
  url: string;
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

const JSON_CASTS = new Set(["parameters", "input", "output", "usage", "error"]);

/** `$1, $2::jsonb, ...` for one row of `columns`, starting after `offset` parameters. */
function placeholders(columns: string[], offset: number, casts: Record<string, string> = {}): string {
  return columns.map((column, i) => `$${offset + i + 1}${casts[column] ? `::${casts[column]}` : ""}`).join(", ");
}

function createTraces(db: TransactionalClient, s: string, location: string): TraceStore {
  const columns = TRACE_COLUMNS.split(", ");
  const casts = Object.fromEntries([...JSON_CASTS].map((column) => [column, "jsonb"]));
  const insert = `INSERT INTO ${s}.traces (${TRACE_COLUMNS}) VALUES (${placeholders(columns, 0, casts)})`;
  return {
    insert: (trace) =>
      guard(location, `save trace '${trace.id}'`, async () => {
        await db.query(insert, traceValues(trace));
      }),
    get: (id) =>
      guard(location, "read a trace", async () => {
        const { rows } = await db.query(`SELECT ${TRACE_COLUMNS} FROM ${s}.traces WHERE id = $1`, [id]);
        return rows[0] === undefined ? undefined : traceFromRow(rows[0] as TraceRow);
      }),
    list: (query: TraceQuery = {}) =>
      guard(location, "list traces", async () => {
        const where: string[] = [];
        const params: unknown[] = [];
        const add = (condition: string, value: unknown) => {
          params.push(value);
          where.push(condition.replace("?", `$${params.length}`));
        };
        if (query.since !== undefined) add("started_ms >= ?", timeMs(query.since, "since"));
        if (query.sessionId !== undefined) add("session_id = ?", query.sessionId);
        if (query.parentId !== undefined) add("parent_id = ?", query.parentId);
        params.push(toLimit(query.limit, DEFAULT_TRACE_LIMIT));
        const { rows } = await db.query(
          `SELECT ${TRACE_COLUMNS} FROM ${s}.traces ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
           ORDER BY started_ms DESC, seq DESC LIMIT $${params.length}`,
          params,
        );
        return (rows as TraceRow[]).map(traceFromRow);
      }),
  };
}

/** Rows per multi-row INSERT, well under PostgreSQL's 65535 parameters per statement. */
export const INSERT_BATCH = 500;

function createSessions(db: TransactionalClient, s: string, location: string): SessionStore {
  const select = `SELECT s.name, s.created_at, s.updated_at, s.metadata,
    (SELECT count(*) FROM ${s}.session_messages m WHERE m.session_name = s.name)::int AS message_count
    FROM ${s}.sessions s`;
  const ensure = `INSERT INTO ${s}.sessions (name, created_at, updated_at, metadata) VALUES ($1, $2, $2, $3::jsonb)
    ON CONFLICT (name) DO NOTHING`;
  const info = async (name: string) => {
    const { rows } = await db.query(`${select} WHERE s.name = $1`, [name]);
    return rows[0] === undefined ? undefined : sessionFromRow(rows[0] as SessionRow);
  };
  return {
    open: (name, metadata = {}) =>
      guard(location, `open session '${name}'`, async () => {
        await db.query(ensure, [name, nowIso(), toJson(metadata, "metadata")]);
        return (await info(name)) as NonNullable<Awaited<ReturnType<typeof info>>>;
      }),
    get: (name) => guard(location, `read session '${name}'`, () => info(name)),
    list: () =>
      guard(location, "list sessions", async () => {
        const { rows } = await db.query(`${select} ORDER BY s.name COLLATE "C"`);
        return (rows as SessionRow[]).map(sessionFromRow);
      }),
    append: (name, messages: Message[]) =>
      guard(location, `append to session '${name}'`, async () => {
        const texts = messages.map((message) => toJson(message, "messages"));
        await db.transaction(async (tx) => {
          const now = nowIso();
          await tx.query(ensure, [name, now, "{}"]);
          // The row lock orders concurrent appends to one session.
          await tx.query(`SELECT name FROM ${s}.sessions WHERE name = $1 FOR UPDATE`, [name]);
          const { rows } = await tx.query(
            `SELECT coalesce(max(seq), -1)::int AS seq FROM ${s}.session_messages WHERE session_name = $1`,
            [name],
          );
          let seq = (rows[0] as { seq: number }).seq;
          for (let start = 0; start < texts.length; start += INSERT_BATCH) {
            const batch = texts.slice(start, start + INSERT_BATCH);
            const params: unknown[] = [name];
            const values = batch.map((text) => {
              params.push(++seq, text);
              return `($1, $${params.length - 1}, $${params.length}::jsonb)`;
            });
            await tx.query(
              `INSERT INTO ${s}.session_messages (session_name, seq, message) VALUES ${values.join(", ")}`,
              params,
            );
          }
          await tx.query(`UPDATE ${s}.sessions SET updated_at = $2 WHERE name = $1`, [name, now]);
        });
      }),
    messages: (name) =>
      guard(location, `read session '${name}'`, async () => {
        const { rows } = await db.query(
          `SELECT message FROM ${s}.session_messages WHERE session_name = $1 ORDER BY seq`,
          [name],
        );
        return (rows as Array<{ message: Message }>).map((row) => row.message);
      }),
    setMetadata: (name, metadata) =>
      guard(location, `update session '${name}'`, async () => {
        await db.query(
          `INSERT INTO ${s}.sessions (name, created_at, updated_at, metadata) VALUES ($1, $2, $2, $3::jsonb)
           ON CONFLICT (name) DO UPDATE SET metadata = excluded.metadata, updated_at = excluded.updated_at`,
          [name, nowIso(), toJson(metadata, "metadata")],
        );
      }),
    clear: (name) =>
      guard(location, `clear session '${name}'`, async () => {
        await db.transaction(async (tx) => {
          await tx.query(`DELETE FROM ${s}.session_messages WHERE session_name = $1`, [name]);
          await tx.query(`UPDATE ${s}.sessions SET updated_at = $2 WHERE name = $1`, [name, nowIso()]);
        });
      }),
    delete: (name) =>
      guard(location, `delete session '${name}'`, async () => {
        await db.query(`DELETE FROM ${s}.sessions WHERE name = $1`, [name]);
      }),
  };
}

function createCache(db: TransactionalClient, s: string, location: string): CacheStore {
  return {
    get: (namespace, key) =>
      guard(location, "read the cache", async () => {
        const { rows } = await db.query(`SELECT value FROM ${s}.cache WHERE namespace = $1 AND key = $2`, [
          namespace,
          key,
        ]);
        return rows[0] === undefined ? undefined : (rows[0] as { value: unknown }).value;
      }),
    set: (namespace, key, value) =>
      guard(location, "write the cache", async () => {
        await db.query(
          `INSERT INTO ${s}.cache (namespace, key, value, updated_at) VALUES ($1, $2, $3::jsonb, $4)
           ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
          [namespace, key, toJson(value, "value"), nowIso()],
        );
      }),
    clear: (namespace) =>
      guard(location, "clear the cache", async () => {
        const where = namespace === undefined ? "" : "WHERE namespace = $1";
        const { rows } = await db.query(
          `WITH removed AS (DELETE FROM ${s}.cache ${where} RETURNING 1) SELECT count(*)::int AS n FROM removed`,
          namespace === undefined ? [] : [namespace],
        );
        return (rows[0] as { n: number }).n;
      }),
  };
}

/** PGlite brings `transaction`; a `pg.Pool` gets one that checks out a connection; anything else is one connection. */
function transactional(client: PostgresClient): TransactionalClient {
  if (typeof client.transaction === "function") return client as TransactionalClient;
  const pool = client as Partial<PgPoolLike> & { idleCount?: unknown };
  if (typeof pool.connect === "function" && typeof pool.idleCount === "number") return pgPoolClient(pool as PgPoolLike);
  return serialClient(client);
}

/**
 * Opens the store in a PostgreSQL database through a client you provide, applying pending
 * migrations. The client stays yours: `close()` does not end it (pass `onClose` for that).
 *
 * @example
 * const db = new PGlite({ extensions: { vector } });
 * const store = await createPostgresStore({ client: db, schema: "weft" });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(schema)) {
    throw new InvalidArgumentError({
      argument: "schema",
      message: `'${schema}' is not a plain PostgreSQL schema name (letters, digits, _ and $, not starting with a digit).`,
    });
  }
  const location = options.location ?? (schema === "public" ? "postgres" : `postgres (schema ${schema})`);
  const db = transactional(options.client);
  try {
    await migratePostgres({ client: db, schema, location });
  } catch (cause) {
    if (WeftError.isInstance(cause)) throw cause;
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new StoreError({
      message: `Could not open the PostgreSQL store at ${location}: ${detail}. Check that the server is running and that the store URL (--store-url or store.url in the config) is right.`,
      cause,
    });
  }
  const s = quoteIdentifier(schema);
  let closed: Promise<void> | undefined;
  return {
    specificationVersion: "weft-store-1",
    kind: "postgres",
    location,
    traces: createTraces(db, s, location),
    sessions: createSessions(db, s, location),
    cache: createCache(db, s, location),
    documents: createPostgresDocuments(db, s, location),
    schemaVersion: () =>
      guard(location, "read the schema version", async () => {
        const { rows } = await db.query(`SELECT max(version)::int AS version FROM ${s}.weft_migrations`);
        return (rows[0] as { version: number }).version;
      }),
    close: () => {
      closed ??= options.onClose?.() ?? Promise.resolve();
      return closed;
    },
  };
}

interface PgModule {
  Pool: new (config: {
    connectionString: string;
    max?: number;
  }) => PgPoolLike & { end(): Promise<void>; on(event: "error", listener: (error: Error) => void): unknown };
}

/** Loaders and bundlers may wrap Node's error, so the causes are searched too. */
function isModuleNotFound(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as Error).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") return true;
  }
  return false;
}

async function importPg(): Promise<PgModule> {
  try {
    const mod = (await import("pg")) as unknown as PgModule & { default?: PgModule };
    return mod.default ?? mod;
  } catch (cause) {
    if (isModuleNotFound(cause)) {
      throw new MissingDependencyError({ packageName: "pg", feature: "The PostgreSQL store", cause });
    }
    throw cause;
  }
}

/**
 * Connects to PostgreSQL (with pgvector) through a `pg.Pool` and opens the store there.
 * `close()` ends the pool.
 *
 * @example
 * const store = await openPostgresStore({ url: "postgres://weft@localhost:5432/weft" });
 * console.log(store.location, await store.schemaVersion());
 */
export async function openPostgresStore(options: OpenPostgresStoreOptions): Promise<Store> {
  const { Pool } = await importPg();
  const location = redactUrl(options.url);
  const pool = new Pool({ connectionString: options.url, max: options.maxConnections ?? 10 });
  // An idle connection that drops is discarded by the pool; the next query reports any lasting
  // problem. Without a listener, Node would crash the process on this event.
  pool.on("error", () => undefined);
  try {
    return await createPostgresStore({
      client: pgPoolClient(pool),
      schema: options.schema,
      location,
      onClose: () => pool.end(),
    });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
