/**
 * An approximate (HNSW, usearch) index over the chunk vectors of the SQLite store. SQLite stays
 * the source of truth: the index only proposes candidate rows, which SQLite then filters (deleted
 * rows, `documentIds`) and scores exactly, so a stale index can cost recall but never return a
 * deleted chunk or a wrong score. Below `threshold` vectors, or without usearch installed, the
 * caller's exact search answers.
 */
import type { Database } from "better-sqlite3";
import {
  type AnnIndex,
  changeLogId,
  changesSince,
  currentGeneration,
  installChangeLog,
  loadIndexFile,
  pruneChangeLog,
  removeIndexFile,
  saveIndexFile,
} from "./vector-index-cache.js";

/** Default number of vectors from which the approximate index is used. */
export const DEFAULT_VECTOR_INDEX_THRESHOLD = 20_000;

/** What the index reports, for logs and tests. */
export type VectorIndexEvent =
  | { type: "rebuild"; vectors: number; generation: number; ms: number }
  | { type: "load"; vectors: number; generation: number }
  | { type: "catch-up"; changed: number; generation: number }
  | { type: "save"; vectors: number; generation: number }
  | { type: "save-failed"; message: string }
  | { type: "unavailable"; message: string };

interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: "cos";
    quantization: "f32";
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => AnnIndex;
}

export interface VectorIndexOptions {
  /** Use the approximate index once the store holds this many vectors; default 20,000. `Infinity` turns it off. */
  threshold?: number;
  /** HNSW graph degree; default 16. */
  connectivity?: number;
  /** Candidate list size while building; default 128. */
  expansionAdd?: number;
  /** Candidate list size while searching; default 128 (raised to the number of candidates fetched). */
  expansionSearch?: number;
  /** Loads usearch; default `import("usearch")`. */
  loadUsearch?: () => Promise<unknown>;
  /** Called when the index is rebuilt, loaded, caught up or saved, or when usearch is missing (once). */
  onEvent?: (event: VectorIndexEvent) => void;
}

export interface VectorIndexSearch<T> {
  limit: number;
  documentIds?: string[];
  /** Scores the candidate chunk rows exactly and drops deleted or filtered ones; best first, at most `limit`. */
  rank: (seqs: number[], limit: number) => T[];
}

export interface SqliteVectorIndex {
  /** The ranked hits, or undefined when the exact search should answer. */
  search<T>(query: number[], options: VectorIndexSearch<T>): Promise<T[] | undefined>;
  /** Saves the index file when it lags behind the store. */
  close(): void;
}

interface Loaded {
  index: AnnIndex;
  storeId: string;
  dimensions: number;
  generation: number;
  savedGeneration: number;
}

/** usearch pads missing results with -1 as an unsigned key. */
const NO_KEY = 0xffff_ffff_ffff_ffffn;

function isZero(vectors: Float32Array, start: number, dimensions: number): boolean {
  for (let i = start; i < start + dimensions; i++) if (vectors[i] !== 0) return false;
  return true;
}

/**
 * Creates the approximate index of a SQLite store; `file` (e.g. `<db>.hnsw`) keeps it across
 * opens, with a `.stamp` next to it. Used by `openSqliteStore`.
 *
 * @example
 * const index = createSqliteVectorIndex({ db, file: "/project/.weft/weft.db.hnsw", threshold: 20_000 });
 * const hits = await index.search(vector, { limit: 10, rank: (seqs, limit) => scoreRows(seqs, limit) });
 * index.close();
 */
export function createSqliteVectorIndex(
  options: VectorIndexOptions & { db: Database; file?: string },
): SqliteVectorIndex {
  const { db, file } = options;
  const threshold = options.threshold ?? DEFAULT_VECTOR_INDEX_THRESHOLD;
  const expansionSearch = options.expansionSearch ?? 128;
  const emit = options.onEvent ?? (() => {});
  let module: Promise<UsearchModule | undefined> | undefined;
  let state: Loaded | undefined;

  const maxSeq = db.prepare("SELECT coalesce(max(seq), 0) FROM chunks").pluck();
  const countVectors = db
    .prepare("SELECT count(*) FROM chunks WHERE embedding IS NOT NULL AND length(embedding) = ?")
    .pluck();
  const countInDocuments = db
    .prepare(
      `SELECT count(*) FROM chunks WHERE document_id IN (SELECT value FROM json_each(?))
         AND embedding IS NOT NULL AND length(embedding) = ?`,
    )
    .pluck();
  const selectVectors = db
    .prepare("SELECT seq, embedding FROM chunks WHERE embedding IS NOT NULL AND length(embedding) = ?")
    .raw();
  const selectChanged = db
    .prepare(
      `SELECT seq, embedding FROM chunks WHERE seq IN (SELECT value FROM json_each(?))
         AND embedding IS NOT NULL AND length(embedding) = ?`,
    )
    .raw();

  const loadModule = () => {
    module ??= (options.loadUsearch ?? (() => import("usearch")))().then(
      (loaded) => {
        const candidate = (loaded as { default?: UsearchModule }).default ?? (loaded as UsearchModule);
        return typeof candidate.Index === "function" ? candidate : undefined;
      },
      (cause: unknown) => {
        emit({
          type: "unavailable",
          message: `Vector search stays exact: the optional package 'usearch' could not be loaded (${(cause as Error).message}). Install it with: npm install usearch@2.25.3`,
        });
        return undefined;
      },
    );
    return module;
  };

  const newIndex = (usearch: UsearchModule, dimensions: number) =>
    new usearch.Index({
      dimensions,
      metric: "cos",
      quantization: "f32",
      connectivity: options.connectivity ?? 16,
      expansion_add: options.expansionAdd ?? 128,
      expansion_search: expansionSearch,
      multi: false,
    });

  /** Copies rows of `[seq, blob]` into one matrix, skipping zero vectors (they have no cosine similarity). */
  const collect = (rows: Iterable<unknown[]>, count: number, dimensions: number) => {
    const vectors = new Float32Array(count * dimensions);
    const bytes = new Uint8Array(vectors.buffer);
    const keys = new BigUint64Array(count);
    let n = 0;
    for (const [seq, blob] of rows as Iterable<[number, Buffer]>) {
      if (n === count) break;
      bytes.set(blob, n * dimensions * 4);
      if (isZero(vectors, n * dimensions, dimensions)) continue;
      keys[n++] = BigInt(seq);
    }
    // usearch reads typed arrays from offset 0 of their buffer: hand it fresh copies, never views.
    return { keys: keys.slice(0, n), vectors: vectors.slice(0, n * dimensions) };
  };
  const add = (index: AnnIndex, batch: { keys: BigUint64Array; vectors: Float32Array }) => {
    if (batch.keys.length > 0) index.add(batch.keys, batch.vectors, 0);
  };

  const save = (loaded: Loaded) => {
    if (file === undefined || loaded.savedGeneration === loaded.generation) return;
    try {
      saveIndexFile(loaded.index, file, {
        storeId: loaded.storeId,
        generation: loaded.generation,
        dimensions: loaded.dimensions,
      });
      loaded.savedGeneration = loaded.generation;
      pruneChangeLog(db, loaded.generation);
      emit({ type: "save", vectors: loaded.index.size(), generation: loaded.generation });
    } catch (cause) {
      // The file is only a cache: the next open rebuilds it from SQLite.
      emit({ type: "save-failed", message: (cause as Error).message });
    }
  };

  /** Replays logged changes; false when there are too many to beat a rebuild. */
  const catchUp = (loaded: Loaded, current: number): boolean => {
    const changed = changesSince(db, loaded.generation, current);
    if (changed === undefined) return false;
    if (changed.length === 0) return true;
    if (changed.length > Math.max(1000, loaded.index.size() / 2)) return false;
    loaded.index.remove(BigUint64Array.from(changed, (seq) => BigInt(seq)));
    const rows = selectChanged.all(JSON.stringify(changed), loaded.dimensions * 4) as unknown[][];
    add(loaded.index, collect(rows, rows.length, loaded.dimensions));
    loaded.generation = current;
    emit({ type: "catch-up", changed: changed.length, generation: current });
    if (current - loaded.savedGeneration > Math.max(1000, loaded.index.size() / 10)) save(loaded);
    return true;
  };

  const rebuild = (usearch: UsearchModule, dimensions: number): Loaded => {
    const started = performance.now();
    const index = newIndex(usearch, dimensions);
    const read = db.transaction(() => {
      const storeId = installChangeLog(db);
      const generation = currentGeneration(db);
      const count = countVectors.get(dimensions * 4) as number;
      const batch = collect(selectVectors.iterate(dimensions * 4) as Iterable<unknown[]>, count, dimensions);
      return { storeId, generation, batch };
    });
    // Installing the log writes, so take the write lock first; afterwards a read transaction suffices.
    // The graph is built after the transaction so that no lock is held for that long.
    const { storeId, generation, batch } = changeLogId(db) === undefined ? read.immediate() : read();
    add(index, batch);
    const loaded: Loaded = { index, storeId, dimensions, generation, savedGeneration: -1 };
    emit({ type: "rebuild", vectors: index.size(), generation, ms: performance.now() - started });
    save(loaded);
    return loaded;
  };

  const fromFile = (usearch: UsearchModule, dimensions: number, current: number): Loaded | undefined => {
    const storeId = changeLogId(db);
    if (file === undefined || storeId === undefined) return undefined;
    const index = newIndex(usearch, dimensions);
    const stamp = loadIndexFile(index, file, storeId, dimensions);
    if (stamp === undefined) {
      removeIndexFile(file);
      return undefined;
    }
    const loaded: Loaded = {
      index,
      storeId,
      dimensions,
      generation: stamp.generation,
      savedGeneration: stamp.generation,
    };
    if (catchUp(loaded, current)) {
      emit({ type: "load", vectors: index.size(), generation: stamp.generation });
      return loaded;
    }
    // The log no longer reaches back to this file: it can never catch up again.
    removeIndexFile(file);
    return undefined;
  };

  /** The index reflecting the store's current generation, or undefined below the threshold. */
  const current = (usearch: UsearchModule, dimensions: number): Loaded | undefined => {
    if (state?.dimensions !== dimensions) state = undefined;
    const storeId = changeLogId(db);
    const generation = storeId === undefined ? 0 : currentGeneration(db);
    if (state && (state.storeId !== storeId || !catchUp(state, generation))) state = undefined;
    state ??= fromFile(usearch, dimensions, generation);
    if (state === undefined && (countVectors.get(dimensions * 4) as number) >= threshold) {
      state = rebuild(usearch, dimensions);
    }
    return state;
  };

  return {
    async search(query, { limit, documentIds, rank }) {
      if (!Number.isFinite(threshold)) return undefined;
      // Cheap exit for small stores: seq only grows past the number of rows.
      if (state === undefined && (maxSeq.get() as number) < threshold) return undefined;
      const usearch = await loadModule();
      if (usearch === undefined) return undefined;
      const loaded = current(usearch, query.length);
      const size = loaded?.index.size() ?? 0;
      if (loaded === undefined || size < threshold) return undefined;
      let share = 1;
      if (documentIds !== undefined) {
        const inDocuments = countInDocuments.get(JSON.stringify(documentIds), query.length * 4) as number;
        // A small subset is scanned exactly faster than it is fished out of the whole graph.
        if (inDocuments < threshold) return undefined;
        share = inDocuments / size;
      }
      const vector = Float32Array.from(query);
      let fetch = Math.max(Math.ceil((limit * 2) / share), expansionSearch);
      for (;;) {
        if (fetch > size / 2) return undefined;
        const matches = loaded.index.search(vector, fetch, 1);
        const seqs: number[] = [];
        for (const key of matches.keys) if (key !== NO_KEY) seqs.push(Number(key));
        const hits = rank(seqs, limit);
        if (hits.length >= limit) return hits;
        fetch *= 4;
      }
    },
    close() {
      if (state) save(state);
      state = undefined;
    },
  };
}
