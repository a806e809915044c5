import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { SearchResult } from "../../src/memory/search-result.js";
import type { ChunkRecord, Store } from "../../src/spec/store.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";

/** A fresh folder under the system temp dir. */
export function tempDir(prefix = "weft-memory-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `files` (relative path → content) under `root`, creating folders. */
export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** A real SQLite store in a temp folder; close it when done. */
export async function tempStore(): Promise<Store> {
  return openSqliteStore({ path: join(tempDir("weft-store-"), "weft.db") });
}

/**
 * Puts passages straight into the store, as the indexer would, without loaders: `docs` maps a
 * source path to its chunks (text plus optional metadata and vector).
 */
export async function putPassages(
  store: Store,
  docs: Record<
    string,
    Array<{
      text: string;
      headingPath?: string[];
      lineStart?: number;
      lineEnd?: number;
      page?: number;
      embedding?: number[];
    }>
  >,
  extra: { tags?: Record<string, string[]> } = {},
): Promise<void> {
  for (const [source, passages] of Object.entries(docs)) {
    const chunks: ChunkRecord[] = passages.map((p, ordinal) => {
      const { text, embedding, ...meta } = p;
      const chunk: ChunkRecord = {
        id: `${source}#${ordinal}`,
        documentId: source,
        ordinal,
        text,
        metadata: { source, headingPath: meta.headingPath ?? [], ...meta },
      };
      if (embedding) chunk.embedding = embedding;
      return chunk;
    });
    const tags = extra.tags?.[source];
    await store.documents.put(
      { id: source, source, contentHash: `h-${source}`, metadata: tags ? { tags } : {} },
      chunks,
    );
  }
}

/** A search result built by hand, for prompt and packing tests. */
export function result(source: string, text: string, extra: Partial<SearchResult> = {}): SearchResult {
  return {
    id: `${source}#0`,
    documentId: source,
    source,
    score: 1,
    scores: {},
    text,
    headingPath: [],
    metadata: {},
    ...extra,
  };
}
