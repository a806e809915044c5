/**
 * The embedded store's schema, as numbered migrations. Add a migration at the end; never edit
 * one that has shipped. Each runs in its own `BEGIN IMMEDIATE` transaction, which takes the
 * write lock first, so two processes opening the same new file do not both apply it.
 */
import type { Database } from "better-sqlite3";
import { newerSchemaError, nowIso } from "./records.js";

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: "initial",
    sql: `
      CREATE TABLE traces (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        started_ms REAL NOT NULL,
        operation TEXT NOT NULL,
        provider TEXT NOT NULL,
        model_id TEXT NOT NULL,
        parameters TEXT NOT NULL,
        input TEXT NOT NULL,
        output TEXT NOT NULL,
        usage TEXT NOT NULL,
        cost_usd REAL,
        latency_ms REAL NOT NULL,
        error TEXT,
        session_id TEXT,
        parent_id TEXT,
        cached INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX traces_started ON traces (started_ms);
      CREATE INDEX traces_session ON traces (session_id, started_ms);
      CREATE INDEX traces_parent ON traces (parent_id, started_ms);

      CREATE TABLE sessions (
        name TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        metadata TEXT NOT NULL
      );
      CREATE TABLE session_messages (
        session_name TEXT NOT NULL REFERENCES sessions (name) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (session_name, seq)
      );

      CREATE TABLE cache (
        namespace TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (namespace, key)
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        title TEXT,
        metadata TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE chunks (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        metadata TEXT NOT NULL,
        embedding BLOB
      );
      CREATE INDEX chunks_document ON chunks (document_id, ordinal);

      CREATE VIRTUAL TABLE chunks_fts USING fts5 (
        text, content = 'chunks', content_rowid = 'seq', tokenize = 'porter unicode61'
      );
      CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN
        INSERT INTO chunks_fts (rowid, text) VALUES (new.seq, new.text);
      END;
      CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
      END;
      CREATE TRIGGER chunks_fts_update AFTER UPDATE OF text ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.seq, old.text);
        INSERT INTO chunks_fts (rowid, text) VALUES (new.seq, new.text);
      END;
    `,
  },
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

function currentVersion(db: Database): number {
  const row = db.prepare("SELECT coalesce(max(version), 0) AS version FROM weft_migrations").get() as {
    version: number;
  };
  return row.version;
}

/**
 * Brings the database up to the latest schema and returns its version. Refuses a database
 * written by a newer weft before changing anything.
 *
 * @example
 * const version = migrateSqlite(db, "/home/me/project/.weft/weft.db"); // 1
 */
export function migrateSqlite(
  db: Database,
  location: string,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  db.exec(
    "CREATE TABLE IF NOT EXISTS weft_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const found = currentVersion(db);
  if (found > latest) throw newerSchemaError(location, found, latest);
  const record = db.prepare("INSERT INTO weft_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= found) continue;
    db.transaction(() => {
      // Another process may have applied it while this one waited for the write lock.
      if (currentVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, nowIso());
    }).immediate();
  }
  return currentVersion(db);
}
