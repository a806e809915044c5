/**
 * The default store: one SQLite file (better-sqlite3) with FTS5 for full text and sqlite-vec for
 * exact cosine search. WAL mode lets readers run while one writer commits; busy_timeout makes
 * writers from other processes wait instead of failing.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type Database from "better-sqlite3";
import { StoreError } from "../spec/errors.js";
import type { Message } from "../spec/language-model.js";
import type { CacheStore, SessionStore, Store, TraceQuery, TraceStore } from "../spec/store.js";
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
import { createSqliteDocuments } from "./sqlite-documents.js";
import { migrateSqlite } from "./sqlite-migrations.js";
import { createSqliteVectorIndex, type VectorIndexOptions } from "./vector-index.js";

/** Where the store lives when neither `--store` nor config names one, relative to the project folder. */
export const DEFAULT_STORE_PATH = ".weft/weft.db";

export interface SqliteStoreOptions {
  /** The database file; created with its parent folders when missing. `:memory:` for a throwaway store. */
  path: string;
  /** How long a write waits for another process's lock before failing; default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * The approximate (HNSW) vector index used from `threshold` vectors (default 20,000) when the
   * optional package `usearch` is installed; kept in `<path>.hnsw`. `false` keeps search exact.
   */
  vectorIndex?: VectorIndexOptions | false;
}

type Db = Database.Database;

// Required when a store opens rather than imported, so that `import("weft")` does not load the native modules.
const require = createRequire(import.meta.url);
const sqlite = (): typeof Database => require("better-sqlite3");
const sqliteVec = (): typeof import("sqlite-vec") => require("sqlite-vec");

const JSON_TRACE_COLUMNS = ["parameters", "input", "output", "usage", "error"] as const;

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function toSqlite(value: unknown): unknown {
  return typeof value === "boolean" ? Number(value) : value;
}

function openFailure(location: string, cause: unknown): StoreError {
  const code = (cause as { code?: string }).code ?? "";
  const detail = cause instanceof Error ? cause.message : String(cause);
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return new StoreError({
      message: `The file ${location} is not a usable weft store: it is not an SQLite database or it is corrupt (${detail}). Move it aside (weft then creates a new store there) or choose another file with --store.`,
      cause,
    });
  }
  return new StoreError({
    message: `Could not open the store at ${location}: ${detail}. Check that the folder exists and is writable, or choose another file with --store.`,
    cause,
  });
}

function connect(location: string, busyTimeoutMs: number): Db {
  if (location !== ":memory:") {
    try {
      mkdirSync(path.dirname(location), { recursive: true });
    } catch (cause) {
      throw openFailure(location, cause);
    }
  }
  let db: Db | undefined;
  try {
    db = new (sqlite())(location);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // The first statement that reads the file: a non-SQLite file fails here.
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
  } catch (cause) {
    db?.close();
    throw openFailure(location, cause);
  }
  try {
    sqliteVec().load(db);
  } catch (cause) {
    db.close();
    throw new StoreError({
      message: `The sqlite-vec extension could not be loaded (${(cause as Error).message}). Reinstall weft's dependencies on this machine (npm install) so that the build for this platform is present.`,
      cause,
    });
  }
  return db;
}

function createTraces(db: Db, location: string): TraceStore {
  const insert = db.prepare(`INSERT INTO traces (${TRACE_COLUMNS}) VALUES (${TRACE_COLUMNS.split(",").fill("?")})`);
  const selectOne = db.prepare("SELECT * FROM traces WHERE id = ?");
  const fromRow = (row: Record<string, unknown>) => {
    const parsed: Record<string, unknown> = { ...row };
    for (const column of JSON_TRACE_COLUMNS) parsed[column] = parseJson(row[column] as string | null);
    return traceFromRow(parsed as unknown as TraceRow);
  };
  return {
    insert: (trace) =>
      guard(location, `save trace '${trace.id}'`, () => {
        insert.run(traceValues(trace).map(toSqlite));
      }),
    get: (id) =>
      guard(location, "read a trace", () => {
        const row = selectOne.get(id) as Record<string, unknown> | undefined;
        return row && fromRow(row);
      }),
    list: (query: TraceQuery = {}) =>
      guard(location, "list traces", () => {
        const where: string[] = [];
        const params: unknown[] = [];
        if (query.since !== undefined) {
          where.push("started_ms >= ?");
          params.push(timeMs(query.since, "since"));
        }
        if (query.sessionId !== undefined) {
          where.push("session_id = ?");
          params.push(query.sessionId);
        }
        if (query.parentId !== undefined) {
          where.push("parent_id = ?");
          params.push(query.parentId);
        }
        params.push(toLimit(query.limit, DEFAULT_TRACE_LIMIT));
        const sql = `SELECT * FROM traces ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY started_ms DESC, rowid DESC LIMIT ?`;
        return (db.prepare(sql).all(params) as Record<string, unknown>[]).map(fromRow);
      }),
  };
}

function createSessions(db: Db, location: string): SessionStore {
  const select = `SELECT s.name, s.created_at, s.updated_at, s.metadata,
    (SELECT count(*) FROM session_messages m WHERE m.session_name = s.name) AS message_count FROM sessions s`;
  const selectOne = db.prepare(`${select} WHERE s.name = ?`);
  const selectAll = db.prepare(`${select} ORDER BY s.name`);
  const ensure = db.prepare(
    "INSERT INTO sessions (name, created_at, updated_at, metadata) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
  );
  const upsertMetadata = db.prepare(
    `INSERT INTO sessions (name, created_at, updated_at, metadata) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET metadata = excluded.metadata, updated_at = excluded.updated_at`,
  );
  const touch = db.prepare("UPDATE sessions SET updated_at = ? WHERE name = ?");
  const lastSeq = db.prepare("SELECT coalesce(max(seq), -1) AS seq FROM session_messages WHERE session_name = ?");
  const insertMessage = db.prepare("INSERT INTO session_messages (session_name, seq, message) VALUES (?, ?, ?)");
  const selectMessages = db.prepare("SELECT message FROM session_messages WHERE session_name = ? ORDER BY seq");
  const clearMessages = db.prepare("DELETE FROM session_messages WHERE session_name = ?");
  const remove = db.prepare("DELETE FROM sessions WHERE name = ?");

  const info = (name: string) => {
    const row = selectOne.get(name) as Record<string, unknown> | undefined;
    return row && sessionFromRow({ ...row, metadata: parseJson(row.metadata as string) } as SessionRow);
  };
  const append = db.transaction((name: string, messages: string[]) => {
    const now = nowIso();
    ensure.run(name, now, now, "{}");
    let seq = (lastSeq.get(name) as { seq: number }).seq;
    for (const message of messages) insertMessage.run(name, ++seq, message);
    touch.run(now, name);
  });

  return {
    open: (name, metadata = {}) =>
      guard(location, `open session '${name}'`, () => {
        const now = nowIso();
        ensure.run(name, now, now, toJson(metadata, "metadata"));
        return info(name) as NonNullable<ReturnType<typeof info>>;
      }),
    get: (name) => guard(location, `read session '${name}'`, () => info(name)),
    list: () =>
      guard(location, "list sessions", () =>
        (selectAll.all() as Record<string, unknown>[]).map((row) =>
          sessionFromRow({ ...row, metadata: parseJson(row.metadata as string) } as SessionRow),
        ),
      ),
    append: (name, messages: Message[]) =>
      guard(location, `append to session '${name}'`, () => {
        append(
          name,
          messages.map((message) => toJson(message, "messages")),
        );
      }),
    messages: (name) =>
      guard(location, `read session '${name}'`, () =>
        (selectMessages.all(name) as Array<{ message: string }>).map((row) => JSON.parse(row.message) as Message),
      ),
    setMetadata: (name, metadata) =>
      guard(location, `update session '${name}'`, () => {
        const now = nowIso();
        upsertMetadata.run(name, now, now, toJson(metadata, "metadata"));
      }),
    clear: (name) =>
      guard(location, `clear session '${name}'`, () => {
        db.transaction(() => {
          clearMessages.run(name);
          touch.run(nowIso(), name);
        })();
      }),
    delete: (name) =>
      guard(location, `delete session '${name}'`, () => {
        remove.run(name);
      }),
  };
}

function createCache(db: Db, location: string): CacheStore {
  const select = db.prepare("SELECT value FROM cache WHERE namespace = ? AND key = ?");
  const upsert = db.prepare(
    `INSERT INTO cache (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  );
  const clearOne = db.prepare("DELETE FROM cache WHERE namespace = ?");
  const clearAll = db.prepare("DELETE FROM cache");
  return {
    get: (namespace, key) =>
      guard(location, "read the cache", () => {
        const row = select.get(namespace, key) as { value: string } | undefined;
        return row === undefined ? undefined : JSON.parse(row.value);
      }),
    set: (namespace, key, value) =>
      guard(location, "write the cache", () => {
        upsert.run(namespace, key, toJson(value, "value"), nowIso());
      }),
    clear: (namespace) =>
      guard(location, "clear the cache", () =>
        namespace === undefined ? clearAll.run().changes : clearOne.run(namespace).changes,
      ),
  };
}

/**
 * Opens (creating when missing) the SQLite store at `path` and applies pending migrations.
 *
 * @example
 * const store = await openSqliteStore({ path: DEFAULT_STORE_PATH });
 * await store.cache.set("gen", "key", { text: "hi" });
 * await store.close();
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const location = options.path === ":memory:" ? ":memory:" : path.resolve(options.path);
  const db = connect(location, options.busyTimeoutMs ?? 5000);
  try {
    migrateSqlite(db, location);
  } catch (cause) {
    db.close();
    if (StoreError.isInstance(cause)) throw cause;
    throw openFailure(location, cause);
  }
  const vectorIndex =
    options.vectorIndex === false
      ? undefined
      : createSqliteVectorIndex({
          ...options.vectorIndex,
          db,
          file: location === ":memory:" ? undefined : `${location}.hnsw`,
        });
  return {
    specificationVersion: "weft-store-1",
    kind: "sqlite",
    location,
    traces: createTraces(db, location),
    sessions: createSessions(db, location),
    cache: createCache(db, location),
    documents: createSqliteDocuments(db, location, vectorIndex),
    schemaVersion: () =>
      guard(location, "read the schema version", () => {
        const row = db.prepare("SELECT max(version) AS version FROM weft_migrations").get() as { version: number };
        return row.version;
      }),
    close: async () => {
      if (!db.open) return;
      vectorIndex?.close();
      db.close();
    },
  };
}
