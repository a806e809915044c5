/**
 * `openDataSource`: one entry point from "where the data is" to a read-only DataSource. Files are
 * loaded into a cached DuckDB database; SQLite and DuckDB files and PostgreSQL URLs are queried in
 * place.
 */

import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { basename, extname, resolve } from "node:path";
import { DataLoadError, InvalidArgumentError } from "../spec/errors.js";
import type { LoadedDatabase, LoadFilesOptions } from "./load/load-files.js";
import { openDuckDbSource } from "./sources/duckdb-source.js";
import { openPostgresSource } from "./sources/postgres-source.js";
import { isSqliteFile, openSqliteSource } from "./sources/sqlite-source.js";
import type { DataLocation, DataSource } from "./types.js";

export interface OpenDataSourceOptions {
  /** Where loaded files are cached (default: `defaultDataCacheDir()`, i.e. `.weft/data-cache` or `$WEFT_DATA_CACHE`). */
  cacheDir?: string;
  /** Base for relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Replaces the file loader (default: `loadFiles`). */
  loadFiles?: (options: LoadFilesOptions) => Promise<LoadedDatabase>;
  abortSignal?: AbortSignal;
}

/** A DataSource plus what loading had to say (renamed tables, skipped sheets); empty for databases. */
export type OpenedDataSource = DataSource & { readonly warnings: string[] };

const DATA_FILE = /\.(csv|tsv|txt|xlsx|xls|parquet|json|jsonl|ndjson)$/i;

/**
 * Opens `{ file }` (loaded into DuckDB, cached by content) or `{ db }` (a SQLite or DuckDB file, or
 * a `postgres://` / `postgresql://` URL) for read-only SQL.
 *
 * @example
 * const source = await openDataSource({ file: ["sales.xlsx", "regions.csv"] });
 * const result = await source.run("SELECT * FROM sales LIMIT 5");
 * await source.close();
 */
export async function openDataSource(
  location: DataLocation,
  options: OpenDataSourceOptions = {},
): Promise<OpenedDataSource> {
  const cwd = options.cwd ?? process.cwd();
  if (location && typeof location === "object" && "file" in location) {
    const files = Array.isArray(location.file) ? location.file : [location.file];
    const load = options.loadFiles ?? (await import("./load/load-files.js")).loadFiles;
    const cacheDir = options.cacheDir ?? (await import("./load/data-cache.js")).defaultDataCacheDir({ cwd });
    const loaded = await load({ files, cacheDir, cwd, abortSignal: options.abortSignal });
    const source = await openDuckDbSource({
      databasePath: loaded.databasePath,
      label: files.map((file) => basename(file)).join(", "),
    });
    return withWarnings(source, loaded.warnings);
  }
  if (location && typeof location === "object" && "db" in location && typeof location.db === "string") {
    return withWarnings(await openDatabase(location.db.trim(), cwd), []);
  }
  throw new InvalidArgumentError({
    argument: "location",
    message:
      'Say where the data is: { file: "sales.xlsx" } (or a list of files), or { db: "shop.sqlite" / "postgres://..." }.',
  });
}

async function openDatabase(db: string, cwd: string): Promise<DataSource> {
  if (/^postgres(ql)?:\/\//i.test(db)) return openPostgresSource({ url: db });
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new InvalidArgumentError({
      argument: "db",
      message: `Cannot open ${db.split("://")[0]}:// databases; pass a SQLite or DuckDB file path or a postgres:// URL.`,
    });
  }
  const path = resolve(cwd, db);
  if (!existsSync(path)) {
    throw new DataLoadError({ path, message: `There is no file at ${path}. Check the path to the database file.` });
  }
  if (!statSync(path).isFile()) {
    throw new DataLoadError({ path, message: `${path} is a directory, not a database file. Pass a SQLite file.` });
  }
  if (isSqliteFile(path)) return openSqliteSource({ path });
  if (isDuckDbFile(path)) return openDuckDbSource({ databasePath: path });
  const hint = DATA_FILE.test(path)
    ? ` It looks like a ${extname(path).slice(1)} file: pass it as { file } (--file) to load it.`
    : " Pass a SQLite or DuckDB database file or a postgres:// URL.";
  throw new DataLoadError({ path, message: `${path} is not a SQLite or DuckDB database.${hint}` });
}

/** DuckDB files carry "DUCK" at byte 8. */
function isDuckDbFile(path: string): boolean {
  try {
    const fd = openSync(path, "r");
    try {
      const header = Buffer.alloc(12);
      return readSync(fd, header, 0, 12, 0) === 12 && header.toString("latin1", 8, 12) === "DUCK";
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function withWarnings(source: DataSource, warnings: string[]): OpenedDataSource {
  return Object.assign(source, { warnings });
}
