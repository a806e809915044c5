import { createHash } from "node:crypto";
import path from "node:path";

/** Bumped when loaders or chunking change what an index holds, so old indexes are rebuilt. */
export const INDEX_FORMAT = 1;

/** Everything besides the file's bytes that shapes its chunks and vectors. */
export interface IndexSettings {
  maxTokens?: number;
  overlapTokens?: number;
  /** Whether a custom token counter was used (functions cannot be hashed; name yours in `chunkingId`). */
  tokenizer?: string;
  /** `provider:model` of the embedder, or undefined for full text only. */
  embedder?: string;
  tags?: string[];
}

/**
 * sha256 of the file's bytes and of the settings that shape the index (chunk size, overlap,
 * tokenizer, embedder, tags, index format). A document whose stored hash equals this is unchanged.
 *
 * @example
 * contentHash(readFileSync("notes.md"), { maxTokens: 400, embedder: "openai:text-embedding-3-small" });
 */
export function contentHash(bytes: Uint8Array, settings: IndexSettings): string {
  const fingerprint = JSON.stringify({
    format: INDEX_FORMAT,
    maxTokens: settings.maxTokens ?? null,
    overlapTokens: settings.overlapTokens ?? null,
    tokenizer: settings.tokenizer ?? null,
    embedder: settings.embedder ?? null,
    tags: settings.tags ? [...settings.tags].sort() : [],
  });
  return createHash("sha256").update(bytes).update("\0").update(fingerprint).digest("hex");
}

/**
 * The id (and displayed source) of a file's document: its path relative to `baseDir` with `/`
 * separators when inside it, else the absolute path. Stable across runs from the same folder.
 *
 * @example
 * documentIdFor("/home/me/project/docs/a.md", "/home/me/project"); // "docs/a.md"
 */
export function documentIdFor(absolutePath: string, baseDir: string): string {
  const rel = path.relative(baseDir, absolutePath);
  if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
  return absolutePath.split(path.sep).join("/");
}
