/**
 * Where loaded databases live and how they are found again: one DuckDB file per set of inputs, named
 * by a sha256 over the loader's format version and each file's name and bytes, plus a small JSON
 * manifest beside it. Both are written under temporary names and renamed into place, the database
 * last, so a file under its final name is always complete.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { InputFile } from "./input-file.js";
import type { LoadedTable } from "./loaded-table.js";

/**
 * Bumped whenever the loader would build a different database from the same files (naming, type
 * inference, header detection), so older cached databases are not reused.
 */
export const LOADER_FORMAT_VERSION = 1;

/** Store location shared with the default store `.weft/weft.db`. */
const DEFAULT_DIR = join(".weft", "data-cache");

/**
 * The cache directory for loaded data: `$WEFT_DATA_CACHE` when set (relative to `cwd`), otherwise
 * `.weft/data-cache` under `cwd`, next to the default store `.weft/weft.db`.
 *
 * @example defaultDataCacheDir({ cwd: "/project", env: {} }) // "/project/.weft/data-cache"
 */
export function defaultDataCacheDir(options: { cwd?: string; env?: Record<string, string | undefined> } = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const configured = (options.env ?? process.env).WEFT_DATA_CACHE;
  return resolve(cwd, configured && configured.trim() !== "" ? configured : DEFAULT_DIR);
}

/** sha256 hex over the format version and, per file in order, its base name, size and bytes. */
export async function dataCacheKey(files: InputFile[]): Promise<string> {
  const hash = createHash("sha256");
  hash.update(`weft-data-load\0${LOADER_FORMAT_VERSION}\0${files.length}\0`);
  for (const file of files) {
    hash.update(`${file.name}\0${file.size}\0`);
    for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer);
  }
  return hash.digest("hex");
}

export interface CacheManifest {
  version: number;
  key: string;
  files: string[];
  tables: LoadedTable[];
  warnings: string[];
}

export interface CachePaths {
  database: string;
  manifest: string;
}

/** Final paths for a key; a shortened key keeps names readable and is still 128 bits. */
export function cachePaths(cacheDir: string, key: string): CachePaths {
  const stem = join(cacheDir, key.slice(0, 32));
  return { database: `${stem}.duckdb`, manifest: `${stem}.json` };
}

/** Temporary paths for one load attempt, unique per process and attempt. */
export function temporaryPaths(cacheDir: string, key: string): CachePaths {
  const tag = `tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const stem = join(cacheDir, `${key.slice(0, 32)}.${tag}`);
  return { database: `${stem}.duckdb`, manifest: `${stem}.json` };
}

/** The manifest of a complete cached database, or undefined when either file is missing or unreadable. */
export async function readCachedManifest(paths: CachePaths, key: string): Promise<CacheManifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(paths.manifest, "utf8")) as CacheManifest;
    if (manifest.version !== LOADER_FORMAT_VERSION || manifest.key !== key || !Array.isArray(manifest.tables)) {
      return undefined;
    }
    return (await stat(paths.database)).isFile() ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes temporary files left by loads whose process is gone (a crash or a kill mid-load). */
export async function removeAbandonedTemporaries(cacheDir: string): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const pattern = /^[0-9a-f]{32}\.tmp-(\d+)-[a-z0-9]+\.(duckdb|json)(\.wal|\.tmp)?$/;
  await Promise.all(
    names.map(async (name) => {
      const pid = pattern.exec(name)?.[1];
      if (pid !== undefined && !isAlive(Number(pid))) await rm(join(cacheDir, name), { force: true, recursive: true });
    }),
  );
}
