import type { EmbeddingModelV2, EmbeddingModelV3 } from "@ai-sdk/provider";
import { InvalidArgumentError, InvalidResponseError } from "../../spec/errors.js";
import type { DoEmbedResult, EmbeddingModel } from "../../spec/language-model.js";
import { fromAISDKError } from "./ai-sdk-errors.js";

/** Any Vercel AI SDK text embedding model: specification v3 (AI SDK 6) or v2 (AI SDK 5). */
export type AISDKEmbeddingModel = EmbeddingModelV3 | EmbeddingModelV2<string>;

export interface FromAISDKEmbeddingOptions {
  /** weft provider name; defaults to the AI SDK provider string up to the first '.'. */
  provider?: string;
  /** Vector length, when known, so stores can be created before the first call. */
  dimensions?: number;
}

/**
 * Wraps a Vercel AI SDK embedding model as a weft `EmbeddingModel`.
 *
 * @example
 * import { openai } from "@ai-sdk/openai";
 * const embedder = fromAISDKEmbedding(openai.embedding("text-embedding-3-small"), { dimensions: 1536 });
 * const { embeddings } = await embedder.doEmbed({ values: ["hello", "world"] });
 */
export function fromAISDKEmbedding(
  model: AISDKEmbeddingModel,
  options: FromAISDKEmbeddingOptions = {},
): EmbeddingModel {
  const version = (model as { specificationVersion?: unknown } | null)?.specificationVersion;
  if (version !== "v3" && version !== "v2") {
    throw new InvalidArgumentError({
      argument: "model",
      message: `fromAISDKEmbedding expects an AI SDK embedding model with specificationVersion "v3" or "v2"; got ${JSON.stringify(version)}.`,
    });
  }
  const provider = options.provider ?? model.provider.split(".")[0] ?? model.provider;
  const modelId = model.modelId;
  // A promised limit cannot be read synchronously; embedMany then uses its own batch size.
  const maxBatchSize = typeof model.maxEmbeddingsPerCall === "number" ? model.maxEmbeddingsPerCall : undefined;
  const target = model as EmbeddingModelV3;

  return {
    specificationVersion: "weft-em-1",
    provider,
    modelId,
    ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
    ...(maxBatchSize !== undefined ? { maxBatchSize } : {}),

    async doEmbed({ values, abortSignal, headers }): Promise<DoEmbedResult> {
      let result: Awaited<ReturnType<EmbeddingModelV3["doEmbed"]>>;
      try {
        result = await target.doEmbed({
          values,
          ...(abortSignal ? { abortSignal } : {}),
          ...(headers ? { headers } : {}),
        });
      } catch (error) {
        throw fromAISDKError(error, { provider, modelId, abortSignal });
      }
      if (!Array.isArray(result?.embeddings) || result.embeddings.length !== values.length) {
        throw new InvalidResponseError({
          provider,
          detail: `${values.length} text(s) were sent but ${Array.isArray(result?.embeddings) ? result.embeddings.length : "no"} embedding(s) came back`,
        });
      }
      return {
        embeddings: result.embeddings,
        ...(typeof result.usage?.tokens === "number" ? { usage: { tokens: result.usage.tokens } } : {}),
      };
    },
  };
}
