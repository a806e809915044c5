import { costOf } from "../models/model-facts.js";
import { InvalidResponseError } from "../spec/errors.js";
import type { EmbeddingModel } from "../spec/language-model.js";
import { attemptWithRetries, modelIdOf, type RunOptions } from "./call-settings.js";

export interface EmbedManyOptions extends RunOptions {
  model: EmbeddingModel;
  values: string[];
  /** Batches sent at once (default 2). */
  maxParallelCalls?: number;
}

export interface EmbedManyResult {
  /** One vector per value, in input order. */
  embeddings: number[][];
  usage: { tokens?: number };
  costUsd: number | null;
  model: string;
}

/**
 * Embeds many values, split into the model's batch size, with retries.
 *
 * @example
 * const { embeddings } = await embedMany({ model: openai.embeddingModel("text-embedding-3-small"), values: ["a", "b"] });
 */
export async function embedMany(options: EmbedManyOptions): Promise<EmbedManyResult> {
  const { model, values } = options;
  const size = Math.max(1, model.maxBatchSize ?? 256);
  const batches: string[][] = [];
  for (let i = 0; i < values.length; i += size) batches.push(values.slice(i, i + size));
  const results: number[][][] = new Array(batches.length);
  let tokens: number | undefined;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      const batch = batches[index] as string[];
      const { value } = await attemptWithRetries(options, (abortSignal) =>
        model.doEmbed({ values: batch, abortSignal }),
      );
      if (value.embeddings.length !== batch.length) {
        throw new InvalidResponseError({
          provider: model.provider,
          detail: `asked for ${batch.length} embeddings, got ${value.embeddings.length}`,
        });
      }
      results[index] = value.embeddings;
      if (value.usage?.tokens !== undefined) tokens = (tokens ?? 0) + value.usage.tokens;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.maxParallelCalls ?? 2, batches.length) }, worker));
  const usage = { tokens };
  return {
    embeddings: results.flat(),
    usage,
    costUsd:
      tokens === undefined && !values.length
        ? 0
        : costOf({
            provider: model.provider,
            modelId: model.modelId,
            usage: { inputTokens: tokens },
            overrides: options.modelFacts,
          }),
    model: modelIdOf(model),
  };
}

export interface EmbedResult {
  embedding: number[];
  usage: { tokens?: number };
  costUsd: number | null;
  model: string;
}

/**
 * Embeds one value.
 *
 * @example
 * const { embedding } = await embed({ model: embedder, value: "sunny day at the beach" });
 */
export async function embed(options: Omit<EmbedManyOptions, "values"> & { value: string }): Promise<EmbedResult> {
  const { value, ...rest } = options;
  const result = await embedMany({ ...rest, values: [value] });
  return {
    embedding: result.embeddings[0] as number[],
    usage: result.usage,
    costUsd: result.costUsd,
    model: result.model,
  };
}
