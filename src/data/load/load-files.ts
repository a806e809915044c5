/** `loadFiles`: data files in, one cached DuckDB database out. */
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AbortError, DataLoadError, InvalidArgumentError, WeftError } from "../../spec/errors.js";
import {
  type CacheManifest,
  cachePaths,
  dataCacheKey,
  LOADER_FORMAT_VERSION,
  readCachedManifest,
  removeAbandonedTemporaries,
  temporaryPaths,
} from "./data-cache.js";
import { DUCKDB_LOAD_CONFIG, importDuckDB } from "./engines.js";
import { type InputFile, inspectInputFile } from "./input-file.js";
import { type LoadContext, reservedKeywords } from "./load-context.js";
import { loadWithReader } from "./load-with-reader.js";
import type { LoadedTable } from "./loaded-table.js";
import { loadXlsx } from "./xlsx/load-xlsx.js";

export interface LoadFilesOptions {
  /** Paths of .csv, .tsv, .parquet, .json, .jsonl, .ndjson or .xlsx files, relative to `cwd`. */
  files: string[];
  /** Directory for the database files (see `defaultDataCacheDir`); created when missing. */
  cacheDir: string;
  abortSignal?: AbortSignal;
  /** Base for relative paths; default `process.cwd()`. */
  cwd?: string;
}

export interface LoadedDatabase {
  /** The DuckDB file holding every table. Open it read-only; it is shared by every load of the same files. */
  databasePath: string;
  tables: LoadedTable[];
  /** Things worth telling the user: skipped sheets, renamed tables, text in numeric columns, ... */
  warnings: string[];
  /** True when an earlier load of byte-identical files was reused without reading them again. */
  cached: boolean;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError({ cause: signal.reason });
}

async function loadOne(context: LoadContext, file: InputFile): Promise<LoadedTable[]> {
  try {
    return file.format === "xlsx" ? await loadXlsx(context, file) : [await loadWithReader(context, file)];
  } catch (error) {
    if (WeftError.isInstance(error)) throw error;
    throw new DataLoadError({
      path: file.path,
      message: `Loading ${file.name} failed: ${(error as Error).message?.split("\n")[0] ?? String(error)}`,
      cause: error,
    });
  }
}

async function buildDatabase(
  path: string,
  files: InputFile[],
  abortSignal: AbortSignal | undefined,
): Promise<{ tables: LoadedTable[]; warnings: string[] }> {
  const duckdb = await importDuckDB();
  const instance = await duckdb.DuckDBInstance.create(path, DUCKDB_LOAD_CONFIG);
  try {
    const connection = await instance.connect();
    try {
      const context: LoadContext = {
        duckdb,
        connection,
        takenTables: new Set(),
        tableOrigins: new Map(),
        reserved: await reservedKeywords(connection),
        warnings: [],
        abortSignal,
      };
      const tables: LoadedTable[] = [];
      for (const file of files) {
        throwIfAborted(abortSignal);
        tables.push(...(await loadOne(context, file)));
      }
      // Folds the write-ahead log into the file, so the database is one self-contained file to rename.
      await connection.run("CHECKPOINT");
      return { tables, warnings: context.warnings };
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Loads data files into one DuckDB database file under `cacheDir`: each CSV/TSV/JSON/NDJSON/Parquet
 * file becomes a table named after the file, each non-empty .xlsx sheet a table named after the sheet.
 * The database is keyed by the files' names and bytes, so loading unchanged files again returns the
 * same database (`cached: true`) without parsing them. Bad input throws DataLoadError naming the file.
 *
 * @example
 * const db = await loadFiles({ files: ["sales.xlsx", "orders.csv"], cacheDir: defaultDataCacheDir() });
 * db.tables.map((t) => `${t.name} (${t.rowCount} rows) from ${t.origin}`);
 */
export async function loadFiles(options: LoadFilesOptions): Promise<LoadedDatabase> {
  const { abortSignal } = options;
  if (!Array.isArray(options.files) || options.files.length === 0) {
    throw new InvalidArgumentError({
      argument: "files",
      message: "loadFiles needs at least one data file (.csv, .tsv, .parquet, .json, .jsonl, .ndjson or .xlsx).",
    });
  }
  throwIfAborted(abortSignal);
  const cwd = options.cwd ?? process.cwd();
  const files: InputFile[] = [];
  for (const file of options.files) files.push(await inspectInputFile(file, cwd));
  const key = await dataCacheKey(files);
  const cacheDir = resolve(cwd, options.cacheDir);
  const paths = cachePaths(cacheDir, key);
  const cached = await readCachedManifest(paths, key);
  if (cached) return { databasePath: paths.database, tables: cached.tables, warnings: cached.warnings, cached: true };

  throwIfAborted(abortSignal);
  await mkdir(cacheDir, { recursive: true }).catch((error: Error) => {
    throw new DataLoadError({
      path: cacheDir,
      message: `Cannot create the data cache directory ${cacheDir} (${error.message}). Pass another cacheDir or set WEFT_DATA_CACHE.`,
      cause: error,
    });
  });
  await removeAbandonedTemporaries(cacheDir);
  const temporary = temporaryPaths(cacheDir, key);
  try {
    const { tables, warnings } = await buildDatabase(temporary.database, files, abortSignal);
    const manifest: CacheManifest = {
      version: LOADER_FORMAT_VERSION,
      key,
      files: files.map((file) => file.name),
      tables,
      warnings,
    };
    await writeFile(temporary.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
    throwIfAborted(abortSignal);
    await rename(temporary.manifest, paths.manifest);
    await rename(temporary.database, paths.database);
    return { databasePath: paths.database, tables, warnings, cached: false };
  } finally {
    // `.tmp` is the folder DuckDB spills to when a load outgrows memory.
    const leftovers = [
      temporary.database,
      `${temporary.database}.wal`,
      `${temporary.database}.tmp`,
      temporary.manifest,
    ];
    await Promise.all(leftovers.map((path) => rm(path, { force: true, recursive: true })));
  }
}
