import { createRequire } from "node:module";
import type { DocumentRecord, DocumentStore } from "../spec/store.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const picomatch = (...args: Parameters<typeof import("picomatch")>) =>
  (require("picomatch") as typeof import("picomatch"))(...args);

/** Which documents a search may return. */
export interface SearchFilters {
  /**
   * Glob(s) over the document's source path (picomatch syntax), e.g. `docs/**`, `**\/*.pdf`. A
   * pattern without `/` matches the file name anywhere (`*.csv`). Any pattern may match.
   */
  pathGlob?: string | string[];
  /** Only documents carrying every one of these tags (given at indexing time). */
  tags?: string[];
  /** Only these documents (ids as indexed, e.g. from an `indexPaths` summary). */
  documentIds?: string[];
}

function tagsOf(document: DocumentRecord): string[] {
  const tags = document.metadata.tags;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/**
 * The ids of the documents that pass the filters; undefined when there are no filters (everything
 * passes), an empty list when nothing does.
 *
 * @example
 * const ids = await filterDocuments(store.documents, { pathGlob: "guides/**", tags: ["public"] });
 */
export async function filterDocuments(
  documents: Pick<DocumentStore, "list">,
  filters: SearchFilters | undefined,
): Promise<string[] | undefined> {
  const globs = filters?.pathGlob === undefined ? [] : [filters.pathGlob].flat();
  const tags = filters?.tags ?? [];
  const only = filters?.documentIds ? new Set(filters.documentIds) : undefined;
  if (globs.length === 0 && tags.length === 0) return only && [...only];
  const matchers = globs.map((g) => picomatch(g.replaceAll("\\", "/"), { basename: !g.includes("/") }));
  const ids: string[] = [];
  for (const document of await documents.list()) {
    if (only && !only.has(document.id)) continue;
    const paths = [document.source];
    if (typeof document.metadata.path === "string") paths.push(document.metadata.path.replaceAll("\\", "/"));
    if (matchers.length && !matchers.some((m) => paths.some((p) => m(p)))) continue;
    const own = tagsOf(document);
    if (!tags.every((t) => own.includes(t))) continue;
    ids.push(document.id);
  }
  return ids;
}
