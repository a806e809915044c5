import { z } from "zod";
import type { SearchOptions } from "../../memory/search.js";
import { formatLocation } from "../../memory/search-result.js";
import { type Tool, tool } from "../tool.js";

export interface DocsSearchToolOptions {
  /** The store holding the index (`weft index` writes `.weft/weft.db` by default). */
  store: SearchOptions["store"];
  /** The embedder the index was built with; without one the search is full text only. */
  embedder?: SearchOptions["embedder"];
  /** Passages returned per call at most (default 5). */
  k?: number;
  /** Characters of each passage shown to the model (default 1200). */
  maxPassageChars?: number;
}

export interface DocsSearchHit {
  source: string;
  location: string;
  text: string;
  score: number;
}

/**
 * `docs_search`: search the documents indexed with `weft index` (hybrid when an embedder is given).
 *
 * @example
 * const store = await openStore({ path: ".weft/weft.db" });
 * const tools = [docsSearchTool({ store })];
 */
export function docsSearchTool(options: DocsSearchToolOptions): Tool<{ query: string; k?: number }, DocsSearchHit[]> {
  const maxChars = options.maxPassageChars ?? 1200;
  return tool({
    name: "docs_search",
    description:
      "Search the user's indexed documents. Returns the most relevant passages with their source file and location; cite the source when you use a passage.",
    inputSchema: z.object({
      query: z.string().min(1).describe("What to look for, in words likely to appear in the documents"),
      k: z.number().int().min(1).max(20).optional().describe("How many passages to return (default 5)"),
    }),
    async execute({ query, k }, { abortSignal }) {
      const { search } = await import("../../memory/search.js");
      const response = await search({
        store: options.store,
        query,
        k: k ?? options.k ?? 5,
        embedder: options.embedder,
        abortSignal,
      });
      return response.results.map((r) => ({
        source: r.source,
        location: formatLocation(r),
        text: r.text.length > maxChars ? `${r.text.slice(0, maxChars)}…` : r.text,
        score: Number(r.score.toFixed(4)),
      }));
    },
  });
}
