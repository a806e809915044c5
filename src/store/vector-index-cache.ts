/**
 * The bookkeeping that keeps the HNSW file a derived cache of SQLite: a change log filled by
 * triggers in the same transaction as every chunk write (its AUTOINCREMENT counter is the store's
 * vector generation), and the index file with a stamp naming the store, the generation it reflects
 * and a checksum (usearch crashes the process on a damaged file, so it only ever loads a file whose
 * checksum matches).
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { Database } from "better-sqlite3";

/** The part of a usearch `Index` this store uses. */
export interface AnnIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  remove(keys: BigUint64Array): number | number[];
  dimensions(): number;
  size(): number;
  save(path: string): void;
  load(path: string): void;
}

/** What the stamp file next to the index records. */
export interface IndexStamp {
  format: 1;
  /** Random id of the store's change log: an index built for another database never matches. */
  storeId: string;
  generation: number;
  dimensions: number;
  bytes: number;
  sha256: string;
}

const LOG_SETTING = "vector_log_id";

/**
 * Installs the change log and its triggers when missing (only stores that use the approximate
 * index pay for the log) and returns the log's id. Runs inside the caller's transaction.
 *
 * @example
 * const storeId = installChangeLog(db); // "3f0c…"
 */
export function installChangeLog(db: Database): string {
  db.exec(`
    CREATE TABLE IF NOT EXISTS weft_vector_log (
      generation INTEGER PRIMARY KEY AUTOINCREMENT,
      chunk_seq INTEGER NOT NULL
    );
    CREATE TRIGGER IF NOT EXISTS weft_vector_log_insert AFTER INSERT ON chunks
      WHEN new.embedding IS NOT NULL BEGIN
        INSERT INTO weft_vector_log (chunk_seq) VALUES (new.seq);
      END;
    CREATE TRIGGER IF NOT EXISTS weft_vector_log_delete AFTER DELETE ON chunks
      WHEN old.embedding IS NOT NULL BEGIN
        INSERT INTO weft_vector_log (chunk_seq) VALUES (old.seq);
      END;
    CREATE TRIGGER IF NOT EXISTS weft_vector_log_update AFTER UPDATE OF embedding, seq ON chunks BEGIN
      INSERT INTO weft_vector_log (chunk_seq) VALUES (old.seq);
      INSERT INTO weft_vector_log (chunk_seq) VALUES (new.seq);
    END;
  `);
  db.prepare(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`).run(
    LOG_SETTING,
    JSON.stringify(randomUUID()),
  );
  const row = db.prepare("SELECT value FROM settings WHERE key = ?").get(LOG_SETTING) as { value: string };
  return JSON.parse(row.value) as string;
}

/** The change log's id, or undefined when the store has no log yet. */
export function changeLogId(db: Database): string | undefined {
  const hasLog = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'weft_vector_log'").get();
  if (!hasLog) return undefined;
  const row = db.prepare("SELECT value FROM settings WHERE key = ?").get(LOG_SETTING) as { value: string } | undefined;
  return row && (JSON.parse(row.value) as string);
}

/** The store's vector generation: how many chunk-vector changes were ever logged. */
export function currentGeneration(db: Database): number {
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'weft_vector_log'").get() as
    | { seq: number }
    | undefined;
  return row?.seq ?? 0;
}

/**
 * The chunk rows changed after `generation`, or undefined when the log no longer holds all of
 * them (pruned after a newer save), in which case the caller rebuilds.
 */
export function changesSince(db: Database, generation: number, current: number): number[] | undefined {
  if (current === generation) return [];
  const row = db.prepare("SELECT count(*) AS n FROM weft_vector_log WHERE generation > ?").get(generation) as {
    n: number;
  };
  if (generation > current || row.n !== current - generation) return undefined;
  const rows = db
    .prepare("SELECT DISTINCT chunk_seq FROM weft_vector_log WHERE generation > ?")
    .pluck()
    .all(generation) as number[];
  return rows;
}

function fileDigest(file: string): { bytes: number; sha256: string } {
  const content = readFileSync(file);
  return { bytes: content.length, sha256: createHash("sha256").update(content).digest("hex") };
}

/**
 * Loads the index file into `index` when its stamp matches the store and the file's checksum;
 * returns the stamp, or undefined when the file is missing, foreign or damaged.
 */
export function loadIndexFile(
  index: AnnIndex,
  file: string,
  storeId: string,
  dimensions: number,
): IndexStamp | undefined {
  const stampFile = `${file}.stamp`;
  if (!existsSync(file) || !existsSync(stampFile)) return undefined;
  let stamp: IndexStamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8")) as IndexStamp;
  } catch {
    return undefined;
  }
  if (stamp.format !== 1 || stamp.storeId !== storeId || stamp.dimensions !== dimensions) return undefined;
  const digest = fileDigest(file);
  if (digest.bytes !== stamp.bytes || digest.sha256 !== stamp.sha256) return undefined;
  index.load(file);
  return index.dimensions() === dimensions ? stamp : undefined;
}

/**
 * Writes the index and then its stamp, each through a temporary file and a rename. A crash (or
 * another process saving) in between leaves a stamp whose checksum does not match the file, which
 * is then rebuilt rather than trusted.
 */
export function saveIndexFile(
  index: AnnIndex,
  file: string,
  stamp: Omit<IndexStamp, "bytes" | "sha256" | "format">,
): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    index.save(temporary);
    const digest = fileDigest(temporary);
    renameSync(temporary, file);
    const full: IndexStamp = { format: 1, ...stamp, ...digest };
    writeFileSync(`${temporary}.stamp`, JSON.stringify(full));
    renameSync(`${temporary}.stamp`, `${file}.stamp`);
  } finally {
    rmSync(temporary, { force: true });
    rmSync(`${temporary}.stamp`, { force: true });
  }
}

/** Drops log entries the saved file already reflects. */
export function pruneChangeLog(db: Database, generation: number): void {
  db.prepare("DELETE FROM weft_vector_log WHERE generation <= ?").run(generation);
}

/** Deletes the index file and its stamp (missing files are fine). */
export function removeIndexFile(file: string): void {
  rmSync(`${file}.stamp`, { force: true });
  rmSync(file, { force: true });
}
