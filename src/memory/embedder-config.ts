import { InvalidArgumentError } from "../spec/errors.js";
import type { EmbeddingModel } from "../spec/language-model.js";
import type { DocumentStore } from "../spec/store.js";

/** What an index records about its vectors. */
export interface VectorConfig {
  embedder: string;
  dimensions: number;
}

/**
 * The id an index records for an embedder: `provider:modelId`.
 *
 * @example
 * embedderId(createOpenAI().embeddingModel("text-embedding-3-small")); // "openai:text-embedding-3-small"
 */
export function embedderId(model: Pick<EmbeddingModel, "provider" | "modelId">): string {
  return `${model.provider}:${model.modelId}`;
}

function mismatch(message: string): InvalidArgumentError {
  return new InvalidArgumentError({ argument: "embedder", message });
}

/**
 * Refuses to use `embedder` with an index built by another one (or by none). Returns the index's
 * vector config, if any.
 *
 * @example
 * await checkEmbedder({ documents: store.documents, embedder, location: store.location, purpose: "search" });
 */
export async function checkEmbedder(options: {
  documents: Pick<DocumentStore, "getVectorConfig">;
  embedder: EmbeddingModel | undefined;
  location: string;
  purpose: "index" | "search";
}): Promise<VectorConfig | undefined> {
  const config = await options.documents.getVectorConfig();
  const wanted = options.embedder ? embedderId(options.embedder) : undefined;
  const rebuild = `or rebuild the index with the new one (weft index <paths> --embedder <id> --rebuild, or rebuild: true in indexPaths)`;
  if (!config) return undefined;
  if (wanted === undefined) {
    if (options.purpose === "search") return config;
    throw mismatch(
      `The index in ${options.location} holds vectors from ${config.embedder} (${config.dimensions} dimensions), but no embedder was given. Index with the same embedder (--embedder ${config.embedder}), ${rebuild}.`,
    );
  }
  if (wanted !== config.embedder) {
    throw mismatch(
      `The index in ${options.location} was built with ${config.embedder} (${config.dimensions} dimensions), not ${wanted}; vectors of different embedders cannot be compared. Use --embedder ${config.embedder}, ${rebuild}.`,
    );
  }
  // Declared dimensions can be wrong (a server may shorten vectors); the vectors themselves are
  // checked against `config.dimensions` where they are made.
  return config;
}
