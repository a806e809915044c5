import { AbortError, ContextLengthError, InvalidArgumentError } from "../../spec/errors.js";
import type { DoEmbedResult, EmbeddingModel } from "../../spec/language-model.js";
import type { LocalModelHandle } from "./local-language-model.js";
import { toGenerationError } from "./run-completion.js";

/**
 * Embeddings from a GGUF model's hidden state (node-llama-cpp's embedding context). `dimensions`
 * is known once the model has loaded.
 *
 * @example
 * const embedder = createLocalEmbeddingModel({ modelId: "nomic-embed.gguf", engine, locate });
 * const { embeddings } = await embedder.doEmbed({ values: ["hello"] });
 */
export function createLocalEmbeddingModel(handle: LocalModelHandle): EmbeddingModel {
  const { modelId, engine } = handle;
  let dimensions: number | undefined;

  return {
    specificationVersion: "weft-em-1",
    provider: "local",
    modelId,
    get dimensions() {
      return dimensions;
    },

    async doEmbed({ values, abortSignal }): Promise<DoEmbedResult> {
      const { model, context, contextSize } = await engine.embedding(modelId, await handle.locate());
      dimensions = model.embeddingVectorSize;
      const embeddings: number[][] = [];
      let tokens = 0;
      for (const [index, value] of values.entries()) {
        if (abortSignal?.aborted) throw new AbortError({ cause: abortSignal.reason });
        if (value === "") {
          throw new InvalidArgumentError({
            argument: "values",
            message: `values[${index}] is an empty string; a local model cannot embed empty text. Drop empty inputs first.`,
          });
        }
        const length = context.calculateInputLength(value);
        if (length >= contextSize) {
          throw new ContextLengthError({
            provider: "local",
            modelId,
            contextSize,
            detail: `values[${index}] is ${length} tokens; split long texts into chunks before embedding`,
          });
        }
        try {
          const { vector } = await context.getEmbeddingFor(value);
          embeddings.push(Array.from(vector));
        } catch (error) {
          throw toGenerationError(error, modelId, abortSignal);
        }
        tokens += length;
      }
      return { embeddings, usage: { tokens } };
    },

    async dispose() {
      const path = await handle.locate().catch(() => undefined);
      if (path) await engine.release(path, "embedding");
    },
  };
}
