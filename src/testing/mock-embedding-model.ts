import type { EmbeddingModel } from "../spec/language-model.js";

export interface MockEmbeddingModelOptions {
  provider?: string;
  modelId?: string;
  dimensions?: number;
  maxBatchSize?: number;
  /** Custom vectors; default is a deterministic bag-of-words hash embedding (similar texts → similar vectors). */
  embed?: (value: string) => number[];
}

export interface MockEmbeddingModel extends EmbeddingModel {
  /** The values of every call, in order. */
  readonly calls: string[][];
}

function hashEmbedding(value: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of value.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    vector[(h >>> 0) % dimensions] = (vector[(h >>> 0) % dimensions] ?? 0) + 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

/**
 * Creates a deterministic embedding model double that records every call.
 *
 * @example
 * const embedder = createMockEmbeddingModel({ dimensions: 16 });
 * const { embedding } = await embed({ model: embedder, value: "hello" }); // 16 numbers
 */
export function createMockEmbeddingModel(options: MockEmbeddingModelOptions = {}): MockEmbeddingModel {
  const dimensions = options.dimensions ?? 32;
  const calls: string[][] = [];
  const embed = options.embed ?? ((v: string) => hashEmbedding(v, dimensions));
  return {
    specificationVersion: "weft-em-1",
    provider: options.provider ?? "mock",
    modelId: options.modelId ?? "mock-embedding",
    dimensions,
    maxBatchSize: options.maxBatchSize,
    calls,
    async doEmbed({ values }) {
      calls.push(values);
      const tokens = values.reduce((n, v) => n + (v.match(/\S+/g)?.length ?? 0), 0);
      return { embeddings: values.map(embed), usage: { tokens } };
    },
  };
}
