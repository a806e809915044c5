import { InvalidResponseError } from "../../spec/errors.js";
import type { DoEmbedResult, EmbeddingModel } from "../../spec/language-model.js";
import type { Connection } from "./connection.js";
import { mapOpenAIError } from "./map-error.js";

/** Vector lengths of OpenAI's embedding models. */
export const OPENAI_EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  "text-embedding-3-small": 1536,
  "text-embedding-3-large": 3072,
  "text-embedding-ada-002": 1536,
};

/** The most inputs OpenAI accepts in one embeddings request. */
export const OPENAI_EMBEDDING_MAX_BATCH = 2048;

/**
 * An embedding model on the `/embeddings` endpoint (float vectors, returned in input order).
 *
 * @example
 * const model = createEmbeddingModel(connection, "text-embedding-3-small");
 * const { embeddings } = await model.doEmbed({ values: ["hello"] });
 */
export function createEmbeddingModel(connection: Connection, modelId: string): EmbeddingModel {
  const { provider } = connection;
  const dimensions = OPENAI_EMBEDDING_DIMENSIONS[modelId];

  async function doEmbed(options: {
    values: string[];
    abortSignal?: AbortSignal;
    headers?: Record<string, string>;
  }): Promise<DoEmbedResult> {
    if (options.values.length === 0) return { embeddings: [] };
    try {
      const response = await (await connection.client()).embeddings.create(
        { model: modelId, input: options.values, encoding_format: "float" },
        {
          ...(options.abortSignal ? { signal: options.abortSignal } : {}),
          ...(options.headers ? { headers: options.headers } : {}),
        },
      );
      const data = (response as { data?: unknown }).data;
      if (!Array.isArray(data) || data.length !== options.values.length) {
        const got = Array.isArray(data) ? `${data.length} embeddings` : "no data array";
        throw new InvalidResponseError({
          provider,
          detail: `expected ${options.values.length} embeddings, got ${got}`,
        });
      }
      const embeddings = [...data]
        .sort((a, b) => a.index - b.index)
        .map((item) => {
          const vector = item.embedding;
          if (!Array.isArray(vector) || vector.some((v) => typeof v !== "number")) {
            throw new InvalidResponseError({ provider, detail: "an embedding is not an array of numbers" });
          }
          return vector;
        });
      const tokens = response.usage?.prompt_tokens ?? response.usage?.total_tokens;
      return { embeddings, ...(typeof tokens === "number" ? { usage: { tokens } } : {}) };
    } catch (error) {
      throw mapOpenAIError(error, connection, modelId, options.abortSignal);
    }
  }

  return {
    specificationVersion: "weft-em-1",
    provider,
    modelId,
    ...(dimensions ? { dimensions } : {}),
    maxBatchSize: OPENAI_EMBEDDING_MAX_BATCH,
    doEmbed,
  };
}
