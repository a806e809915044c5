import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { embedMany } from "../generate/embed.js";
import { AbortError, InvalidArgumentError } from "../spec/errors.js";
import type { EmbeddingModel } from "../spec/language-model.js";
import type { ChunkRecord, DocumentRecord, Store } from "../spec/store.js";
import { chunkDocument } from "./chunking/index.js";
import { collectFiles } from "./collect-files.js";
import { contentHash, documentIdFor, type IndexSettings } from "./content-hash.js";
import type { Chunk, LoadedDocument } from "./document.js";
import { checkEmbedder, embedderId } from "./embedder-config.js";
import { loadDocument, SUPPORTED_EXTENSIONS } from "./loaders/index.js";

/** Files larger than this fail unless `maxBytes` says otherwise (the loaders' own default). */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** How documents are cut into chunks; part of the content hash except `countTokens`. */
export interface ChunkingOptions {
  /** Largest chunk, in tokens (the chunker's default when omitted). */
  maxTokens?: number;
  /** Tokens repeated between neighbouring chunks. */
  overlapTokens?: number;
  /** Custom token counter; name it in `tokenizer` so a change re-indexes. */
  countTokens?: (text: string) => number;
  tokenizer?: string;
}

/** A progress report, sent after the scan and after each file. */
export interface IndexProgress {
  phase: "scanned" | "file" | "removed" | "done";
  /** Files found under the roots. */
  total: number;
  /** Files handled so far, whatever the outcome. */
  processed: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  failed: number;
  /** Bytes read so far. */
  bytes: number;
  /** The file just handled. */
  source?: string;
}

/** A file that could not be indexed, and why; the rest of the run goes on. */
export interface IndexFailure {
  source: string;
  /** What is wrong, e.g. "the file is empty". */
  reason: string;
  /** The full message, with what to do about it. */
  message: string;
}

export interface IndexSummary {
  /** Sources indexed for the first time. */
  added: string[];
  /** Sources whose content (or index settings) changed. */
  updated: string[];
  unchanged: string[];
  /** Sources whose files are gone from the indexed roots. */
  removed: string[];
  failed: IndexFailure[];
  /** Files that loaded with problems worth knowing (e.g. bad bytes replaced), one entry per problem. */
  warnings: Array<{ source: string; message: string }>;
  /** Chunks written by this run. */
  chunks: number;
  /** `provider:model` of the embedder, or undefined for full text only. */
  embedder?: string;
  /** Totals in the store after the run. */
  totals: { documents: number; chunks: number };
  durationMs: number;
}

export interface IndexPathsOptions {
  store: Pick<Store, "documents" | "location">;
  /** Files, folders and glob patterns, relative to `cwd`. */
  paths: string[];
  /** Folder that relative paths and document ids are resolved against; default `process.cwd()`. */
  cwd?: string;
  /** Embeds every chunk; omit for a full-text-only index. */
  embedder?: EmbeddingModel;
  chunking?: ChunkingOptions;
  /** Tags recorded on every document of this run, for `search({ filters: { tags } })`. */
  tags?: string[];
  /** Files larger than this fail with a clear reason instead of being loaded (default 50 MB). */
  maxBytes?: number;
  /** Delete every document (and the embedder choice) first, e.g. to switch embedders. */
  rebuild?: boolean;
  /** Files processed at once (default 4). */
  concurrency?: number;
  /** Retries of failed embedding calls (default 2). */
  maxRetries?: number;
  onProgress?: (progress: IndexProgress) => void;
  abortSignal?: AbortSignal;
}

function failure(source: string, error: unknown): IndexFailure {
  const e = error as { reason?: unknown; code?: unknown; message?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  let reason = message;
  if (typeof e?.reason === "string") reason = e.reason;
  else if (e?.code === "ENOENT") reason = "the file disappeared while indexing";
  else if (e?.code === "EACCES" || e?.code === "EPERM") reason = "permission denied";
  return { source, reason, message };
}

function embeddingInput(chunk: Chunk): string {
  // The headings place a passage ("Pricing > Refunds"), which its own text often does not repeat.
  const context = [chunk.metadata.title, ...chunk.metadata.headingPath].filter(
    (part, i, all): part is string => Boolean(part) && part !== all[i - 1],
  );
  return context.length ? `${context.join(" > ")}\n\n${chunk.text}` : chunk.text;
}

/**
 * Indexes files, folders and globs into the store, incrementally: a file whose bytes and index
 * settings hash to the stored `contentHash` is skipped, a changed one is re-indexed, and documents
 * whose files are gone from the named roots are removed. Each document is written with one atomic
 * `documents.put`, so an interrupted run (even a killed process) leaves every document either old
 * or new, and the next run finishes the job with no duplicates. A file that fails to load is
 * reported in `failed` and skipped (its previous version, if any, stays); embedding and store
 * failures stop the run.
 *
 * @example
 * const store = await openStore({});
 * const summary = await indexPaths({ store, paths: ["docs", "notes/**\/*.md"] });
 * console.log(summary.added.length, summary.failed);
 */
export async function indexPaths(options: IndexPathsOptions): Promise<IndexSummary> {
  const started = performance.now();
  const { store, embedder } = options;
  const documents = store.documents;
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (options.paths.length === 0) {
    throw new InvalidArgumentError({ argument: "paths", message: "No paths to index: name files, folders or globs." });
  }
  const aborted = () => {
    if (options.abortSignal?.aborted) throw new AbortError({ cause: options.abortSignal.reason });
  };
  const wanted = embedder ? embedderId(embedder) : undefined;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  if (options.rebuild) {
    const config = await documents.getVectorConfig();
    if (config && !embedder) {
      throw new InvalidArgumentError({
        argument: "embedder",
        message: `The index in ${store.location} holds vectors from ${config.embedder}; rebuilding it without an embedder would leave that choice behind. Rebuild with an embedder (--embedder <id>), or index into a new store (--store <file>).`,
      });
    }
    for (const doc of await documents.list()) {
      aborted();
      await documents.delete(doc.id);
    }
  } else {
    await checkEmbedder({ documents, embedder, location: store.location, purpose: "index" });
  }
  const recorded = options.rebuild ? undefined : await documents.getVectorConfig();

  const { roots, files } = await collectFiles({ paths: options.paths, cwd, extensions: SUPPORTED_EXTENSIONS });
  const stored = new Map((await documents.list()).map((d) => [d.id, d]));
  const absoluteOf = (d: DocumentRecord) =>
    typeof d.metadata.path === "string" ? d.metadata.path : path.resolve(cwd, d.source);
  for (const root of roots) {
    if (root.kind === "missing" && ![...stored.values()].some((d) => root.contains(absoluteOf(d)))) {
      throw new InvalidArgumentError({
        argument: "paths",
        message: `Nothing to index at '${root.input}': no such file or folder, and no glob characters. Check the path (relative to ${cwd}).`,
      });
    }
  }

  const settings: IndexSettings = {
    maxTokens: options.chunking?.maxTokens,
    overlapTokens: options.chunking?.overlapTokens,
    tokenizer: options.chunking?.tokenizer ?? (options.chunking?.countTokens ? "custom" : undefined),
    embedder: wanted,
    tags: options.tags,
  };
  const summary: IndexSummary = {
    added: [],
    updated: [],
    unchanged: [],
    removed: [],
    failed: [],
    warnings: [],
    chunks: 0,
    embedder: wanted,
    totals: { documents: 0, chunks: 0 },
    durationMs: 0,
  };
  let processed = 0;
  let bytes = 0;
  const report = (phase: IndexProgress["phase"], source?: string) =>
    options.onProgress?.({
      phase,
      total: files.length,
      processed,
      added: summary.added.length,
      updated: summary.updated.length,
      unchanged: summary.unchanged.length,
      removed: summary.removed.length,
      failed: summary.failed.length,
      bytes,
      source,
    });
  report("scanned");

  // The first embedded document records the embedder; the others wait for that write.
  let configWrite: Promise<void> | undefined;
  const recordEmbedder = async (dimensions: number): Promise<void> => {
    if (recorded) {
      if (recorded.dimensions === dimensions) return;
      throw new InvalidArgumentError({
        argument: "embedder",
        message: `${wanted} produced ${dimensions}-dimensional vectors, but the index in ${store.location} holds ${recorded.dimensions}-dimensional ones. Rebuild the index (--rebuild).`,
      });
    }
    configWrite ??= documents.setVectorConfig({ embedder: wanted as string, dimensions });
    await configWrite;
  };

  async function indexFile(absolute: string): Promise<void> {
    const id = documentIdFor(absolute, cwd);
    const previous = stored.get(id);
    let content: Buffer;
    let loaded: LoadedDocument;
    let chunks: Chunk[];
    let hash: string;
    try {
      // Too large: the loader refuses it by its size alone, without reading it for a hash.
      if ((await stat(absolute)).size > maxBytes) await loadDocument(absolute, { maxBytes });
      content = await readFile(absolute);
      bytes += content.length;
      hash = contentHash(content, settings);
      if (previous?.contentHash === hash) {
        summary.unchanged.push(id);
        return;
      }
      loaded = await loadDocument(absolute, { maxBytes });
      chunks = chunkDocument(loaded, {
        maxTokens: options.chunking?.maxTokens,
        overlapTokens: options.chunking?.overlapTokens,
        countTokens: options.chunking?.countTokens,
      });
    } catch (error) {
      summary.failed.push(failure(id, error));
      return;
    }
    const loadWarnings = loaded.metadata.warnings;
    if (Array.isArray(loadWarnings))
      for (const w of loadWarnings) summary.warnings.push({ source: id, message: String(w) });
    let vectors: number[][] | undefined;
    if (embedder && chunks.length > 0) {
      ({ embeddings: vectors } = await embedMany({
        model: embedder,
        values: chunks.map(embeddingInput),
        abortSignal: options.abortSignal,
        maxRetries: options.maxRetries,
      }));
      await recordEmbedder(vectors[0]?.length ?? 0);
    }
    aborted();
    const document: DocumentRecord = {
      id,
      source: id,
      contentHash: hash,
      metadata: {
        ...loaded.metadata,
        path: absolute,
        format: loaded.format,
        bytes: content.length,
        ...(options.tags?.length ? { tags: options.tags } : {}),
      },
    };
    if (loaded.title) document.title = loaded.title;
    const records: ChunkRecord[] = chunks.map((chunk, i) => {
      const record: ChunkRecord = {
        id: `${id}#${chunk.ordinal}`,
        documentId: id,
        ordinal: chunk.ordinal,
        text: chunk.text,
        metadata: { ...chunk.metadata, source: id, tokens: chunk.tokens },
      };
      const vector = vectors?.[i];
      if (vector) record.embedding = vector;
      return record;
    });
    await documents.put(document, records);
    summary.chunks += records.length;
    (previous ? summary.updated : summary.added).push(id);
  }

  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      aborted();
      const file = files[next++] as string;
      await indexFile(file);
      processed++;
      report("file", documentIdFor(file, cwd));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, files.length)) }, worker));

  const present = new Set(files);
  for (const doc of stored.values()) {
    const absolute = absoluteOf(doc);
    if (present.has(absolute) || !roots.some((root) => root.contains(absolute))) continue;
    aborted();
    if (await documents.delete(doc.id)) summary.removed.push(doc.id);
    report("removed", doc.id);
  }

  for (const list of [summary.added, summary.updated, summary.unchanged, summary.removed]) list.sort();
  summary.failed.sort((a, b) => a.source.localeCompare(b.source));
  summary.totals = await documents.count();
  summary.durationMs = performance.now() - started;
  report("done");
  return summary;
}
