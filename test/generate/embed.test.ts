import { describe, expect, it } from "vitest";
import { embed, embedMany } from "../../src/generate/index.js";
import { InvalidResponseError, RateLimitError } from "../../src/spec/errors.js";
import type { EmbeddingModel } from "../../src/spec/language-model.js";
import { createMockEmbeddingModel } from "../../src/testing/index.js";

describe("embedMany", () => {
  it("splits by batch size and keeps input order", async () => {
    const model = createMockEmbeddingModel({ dimensions: 8, maxBatchSize: 3 });
    const values = ["a", "b", "c", "d", "e", "f", "g"];
    const { embeddings } = await embedMany({ model, values, maxParallelCalls: 3 });
    expect(model.calls.map((c) => c.length)).toEqual([3, 3, 1]);
    const single = await Promise.all(values.map(async (value) => (await embed({ model, value })).embedding));
    expect(embeddings).toEqual(single);
  });

  it("gives similar texts closer vectors with the mock embedder", async () => {
    const model = createMockEmbeddingModel({ dimensions: 64 });
    const { embeddings } = await embedMany({
      model,
      values: ["red apple pie", "apple pie recipe", "stock market crash"],
    });
    const [a, b, c] = embeddings as [number[], number[], number[]];
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * (y[i] ?? 0), 0);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it("retries retryable failures and refuses a wrong number of vectors", async () => {
    let calls = 0;
    const flaky: EmbeddingModel = {
      specificationVersion: "weft-em-1",
      provider: "openai",
      modelId: "text-embedding-3-small",
      async doEmbed({ values }) {
        calls++;
        if (calls === 1) throw new RateLimitError({ provider: "openai", retryAfterMs: 1 });
        return { embeddings: values.map(() => [1, 0]), usage: { tokens: 1_000_000 } };
      },
    };
    const r = await embedMany({ model: flaky, values: ["x"] });
    expect(calls).toBe(2);
    expect(r.costUsd).toBeCloseTo(0.02, 10);
    const short: EmbeddingModel = { ...flaky, doEmbed: async () => ({ embeddings: [] }) };
    await expect(embedMany({ model: short, values: ["x"] })).rejects.toBeInstanceOf(InvalidResponseError);
  });
});
