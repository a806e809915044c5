import type { EmbeddingModel } from "../spec/language-model.js";
import type { DocumentStore } from "../spec/store.js";

/**
 * The embedder to use with an index: the one asked for (an explicit id, else the config file's
 * `embeddingModel`), else the one the index was built with, else none (full text only). A request
 * that differs from the index's embedder is returned as is, so indexing and search refuse it with
 * a message saying how to rebuild.
 *
 * @example
 * const embedder = await resolveEmbedder({ explicit: "ollama:nomic-embed-text", documents: store.documents, registry });
 */
export async function resolveEmbedder(options: {
  explicit?: string;
  configured?: string;
  documents: Pick<DocumentStore, "getVectorConfig">;
  registry: { embeddingModel(id: string): Promise<EmbeddingModel> };
}): Promise<EmbeddingModel | undefined> {
  const id = options.explicit ?? options.configured ?? (await options.documents.getVectorConfig())?.embedder;
  return id ? options.registry.embeddingModel(id) : undefined;
}
