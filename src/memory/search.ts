import { embedMany } from "../generate/embed.js";
import { InvalidArgumentError } from "../spec/errors.js";
import type { EmbeddingModel, LanguageModel } from "../spec/language-model.js";
import type { ChunkHit, Store } from "../spec/store.js";
import { checkEmbedder } from "./embedder-config.js";
import { maximalMarginalRelevance } from "./mmr.js";
import { hypotheticalAnswer, rewriteQuery } from "./query-expansion.js";
import { RRF_K, reciprocalRankFusion } from "./rank-fusion.js";
import { createLlmReranker, type Reranker } from "./rerank.js";
import { filterDocuments, type SearchFilters } from "./search-filters.js";
import { resultFromHit, type SearchResult } from "./search-result.js";

/** `text`: BM25 full text; `vector`: embeddings; `hybrid`: both, fused by reciprocal rank. */
export type SearchMode = "text" | "vector" | "hybrid";

export interface SearchOptions {
  store: Pick<Store, "documents" | "location">;
  query: string;
  /** Results to return (default 10). */
  k?: number;
  /** Default: `hybrid` when an embedder is given and the index has vectors, else `text`. */
  mode?: SearchMode;
  /** Must be the embedder the index was built with; needed for `vector` and `hybrid`. */
  embedder?: EmbeddingModel;
  filters?: SearchFilters;
  /** Diversify the results with maximal marginal relevance; `lambda` 0..1 (default 0.5), 1 = relevance only. */
  mmr?: boolean | { lambda?: number };
  /** HyDE: embed a hypothetical answer written by this model together with the query (vector modes). */
  hyde?: LanguageModel;
  /** Also search with model-written rewrites of the query, all fused by reciprocal rank. */
  rewrite?: LanguageModel | { model: LanguageModel; count?: number };
  /** Rescore the best candidates with a reranker (or a language model scoring each passage). */
  rerank?: Reranker | LanguageModel;
  /** How many fused candidates the reranker sees (default max(k, 20)). */
  rerankDepth?: number;
  /** Depth of each ranked list before fusion (default max(50, 4k)). */
  candidates?: number;
  /** The reciprocal rank fusion constant (default 60). */
  rrfK?: number;
  maxRetries?: number;
  abortSignal?: AbortSignal;
}

export interface SearchResponse {
  results: SearchResult[];
  mode: SearchMode;
  /** Every query searched: the original first, then rewrites. */
  queries: string[];
  /** The passage HyDE embedded, when used. */
  hypotheticalAnswer?: string;
  warnings: string[];
}

const isReranker = (r: Reranker | LanguageModel): r is Reranker => typeof (r as Reranker).rank === "function";

function unit(vector: number[]): number[] {
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function chooseMode(options: SearchOptions, indexEmbedder: string | undefined): SearchMode {
  const { mode, embedder } = options;
  if (mode === undefined) return embedder && indexEmbedder ? "hybrid" : "text";
  if (mode === "text") return mode;
  if (!embedder) {
    const hint = indexEmbedder ? ` (this index was built with ${indexEmbedder}: --embedder ${indexEmbedder})` : "";
    throw new InvalidArgumentError({
      argument: "mode",
      message: `${mode} search needs the index's embedder${hint}; pass it, or search with mode "text".`,
    });
  }
  if (!indexEmbedder) {
    throw new InvalidArgumentError({
      argument: "mode",
      message: `The index in ${options.store.location} has no vectors, so ${mode} search finds nothing. Re-index with an embedder (weft index <paths> --embedder <id>) or search with mode "text".`,
    });
  }
  return mode;
}

/**
 * Searches the indexed chunks: BM25 full text, vectors, or both fused by reciprocal rank
 * (k = 60), with optional path and tag filters, query rewriting, HyDE, reranking and MMR
 * diversification, in that order.
 *
 * @example
 * const { results } = await search({ store, query: "refund policy", k: 5, embedder, filters: { pathGlob: "policies/**" } });
 * for (const r of results) console.log(r.score.toFixed(3), r.source, r.lines, r.text.slice(0, 80));
 */
export async function search(options: SearchOptions): Promise<SearchResponse> {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidArgumentError({ argument: "k", message: `k must be a positive integer, got ${k}.` });
  }
  const query = options.query.trim();
  if (!query) throw new InvalidArgumentError({ argument: "query", message: "The search query is empty." });
  const { documents } = options.store;
  const config = await checkEmbedder({
    documents,
    embedder: options.embedder,
    location: options.store.location,
    purpose: "search",
  });
  const mode = chooseMode(options, config?.embedder);
  const warnings: string[] = [];
  const run = { abortSignal: options.abortSignal, maxRetries: options.maxRetries };

  const documentIds = await filterDocuments(documents, options.filters);
  const response: SearchResponse = { results: [], mode, queries: [query], warnings };
  if (documentIds?.length === 0) return response;

  if (options.rewrite) {
    const r = "doGenerate" in options.rewrite ? { model: options.rewrite } : options.rewrite;
    response.queries.push(...(await rewriteQuery({ ...run, ...r, query })));
  }
  const queries = response.queries;
  const depth = options.candidates ?? Math.max(50, 4 * k);
  const lists: ChunkHit[][] = [];

  if (mode !== "vector") {
    const textLists = await Promise.all(queries.map((q) => documents.searchText(q, { limit: depth, documentIds })));
    lists.push(...textLists);
  }
  if (mode !== "text" && options.embedder) {
    if (options.hyde) response.hypotheticalAnswer = await hypotheticalAnswer({ ...run, model: options.hyde, query });
    const values = response.hypotheticalAnswer ? [...queries, response.hypotheticalAnswer] : queries;
    const { embeddings } = await embedMany({ ...run, model: options.embedder, values });
    const got = embeddings[0]?.length;
    if (config && got !== config.dimensions) {
      throw new InvalidArgumentError({
        argument: "embedder",
        message: `${config.embedder} now produces ${got}-dimensional vectors, but the index in ${options.store.location} holds ${config.dimensions}-dimensional ones. Rebuild the index (weft index <paths> --rebuild).`,
      });
    }
    if (response.hypotheticalAnswer) {
      // The mean of the two unit vectors: the question keeps its say next to the guessed answer.
      const hyde = unit(embeddings.pop() as number[]);
      const first = unit(embeddings[0] as number[]);
      embeddings[0] = unit(first.map((v, i) => v + (hyde[i] ?? 0)));
    }
    const vectorLists = await Promise.all(
      embeddings.map((vector) => documents.searchVector(vector, { limit: depth, documentIds })),
    );
    lists.push(...vectorLists);
  } else if (options.hyde) {
    warnings.push("HyDE only changes vector search; it was skipped because this search uses full text only.");
  }

  // Each passage keeps its best raw score per kind, for display and single-list ranking.
  const textLists = mode === "vector" ? 0 : queries.length;
  const byId = new Map<string, { result: SearchResult; embedding?: number[] }>();
  lists.forEach((list, listIndex) => {
    const kind = listIndex < textLists ? "text" : "vector";
    for (const hit of list) {
      let entry = byId.get(hit.chunk.id);
      if (!entry) {
        entry = { result: resultFromHit(hit), embedding: hit.chunk.embedding };
        byId.set(hit.chunk.id, entry);
      }
      const scores = entry.result.scores;
      scores[kind] = Math.max(scores[kind] ?? Number.NEGATIVE_INFINITY, hit.score);
    }
  });

  let ranked: SearchResult[];
  if (lists.length === 1) {
    ranked = (lists[0] as ChunkHit[]).map((hit) => byId.get(hit.chunk.id)?.result as SearchResult);
  } else {
    const fused = reciprocalRankFusion(lists, { id: (hit) => hit.chunk.id, k: options.rrfK ?? RRF_K });
    ranked = fused.map(({ item, score }) => {
      const result = byId.get(item.chunk.id)?.result as SearchResult;
      result.scores.fused = score;
      result.score = score;
      return result;
    });
  }

  if (options.rerank && ranked.length > 0) {
    const reranker = isReranker(options.rerank) ? options.rerank : createLlmReranker({ model: options.rerank, ...run });
    const head = ranked.slice(0, options.rerankDepth ?? Math.max(k, 20));
    const scores = await reranker.rank(
      query,
      head.map((r) => r.text),
      { abortSignal: options.abortSignal },
    );
    head.forEach((r, i) => {
      r.scores.rerank = scores[i] ?? -1;
      r.score = r.scores.rerank;
    });
    // Stable sort: equal rerank scores keep the fused order.
    ranked = head.sort((a, b) => (b.scores.rerank ?? -1) - (a.scores.rerank ?? -1));
  }

  if (options.mmr) {
    const lambda = options.mmr === true ? undefined : options.mmr.lambda;
    if (lambda !== undefined && !(lambda >= 0 && lambda <= 1)) {
      throw new InvalidArgumentError({
        argument: "mmr",
        message: `mmr.lambda must be between 0 and 1, got ${lambda}.`,
      });
    }
    const pool = ranked.slice(0, Math.max(4 * k, 20));
    const picked = maximalMarginalRelevance(
      pool.map((r) => ({ relevance: r.score, text: r.text, vector: byId.get(r.id)?.embedding })),
      { k, lambda },
    );
    ranked = picked.map((i) => pool[i] as SearchResult);
  }

  response.results = ranked.slice(0, k);
  return response;
}
