import { describe, expect, it } from "vitest";
import { createExampleSelector, selectExamples } from "../../../src/programs/techniques/index.js";
import { cosineSimilarity, maximalMarginalRelevance } from "../../../src/programs/techniques/mmr.js";
import { estimateTokens } from "../../../src/programs/techniques/token-count.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";
import { createMockEmbeddingModel, createMockLanguageModel } from "../../../src/testing/index.js";

const examples = [
  { input: "How do I reset my password?", output: "Open Settings, choose Security, then Reset password." },
  { input: "How can I reset my password?", output: "Go to Settings, then Security, then Reset password." }, // near-duplicate of 0
  { input: "How do I change my email address?", output: "Open Settings, choose Account, then Email." },
  { input: "What are your opening hours?", output: "We are open 9:00 to 17:00, Monday to Friday." },
  { input: "How do I delete my account?", output: "Open Settings, choose Account, then Delete account." },
  { input: "My password reset email never arrived.", output: "Check your spam folder, then ask for a new reset link." },
];
const input = "I forgot my password. How do I reset it?";
const words = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

describe("selectExamples with BM25 (no embedder)", () => {
  const question = "The reset email for my password did not arrive";

  it("orders by relevance when lambda is 1", async () => {
    const r = await selectExamples({ examples, input: question, k: 6, lambda: 1 });
    expect(r.method).toBe("bm25");
    expect(r.indices).toEqual([5, 0, 1, 2, 3, 4]);
    const relevance = r.scores.map((s) => s.relevance);
    expect(relevance[0]).toBe(1);
    expect(relevance).toEqual([...relevance].sort((a, b) => b - a));
    expect(relevance[3]).toBeGreaterThan(0); // "email"
    expect(relevance.slice(4)).toEqual([0, 0]); // share no term with the input
    expect(r.examples[0]).toBe(examples[5]);
  });

  it("does not pick a near-duplicate of an example already picked (MMR)", async () => {
    // 0 and 1 differ only in stopwords; 5 is as relevant and says something else.
    const relevanceOnly = await selectExamples({ examples, input, k: 2, lambda: 1 });
    expect(relevanceOnly.indices).toEqual([0, 1]);
    const diverse = await selectExamples({ examples, input, k: 2 });
    expect(diverse.indices).toEqual([0, 5]);
    expect(diverse.scores[1]?.mmr).toBeLessThan(diverse.scores[1]?.relevance as number);
    // The duplicate still beats examples that share no term with the input.
    expect((await selectExamples({ examples, input, k: 3 })).indices).toEqual([0, 5, 1]);
  });

  it("picks examples that share no term with the input only when the others are used up", async () => {
    const r = await selectExamples({ examples, input: question, k: 5, lambda: 0.5 });
    expect(r.indices.slice(0, 4).sort()).toEqual([0, 1, 2, 5]);
    expect(r.indices[4]).toBe(3); // relevance 0: after every match, then by pool order
  });

  it("formats with the template and separator, and can put the most relevant example last", async () => {
    const r = await selectExamples({
      examples,
      input,
      k: 2,
      template: "Q: {{input}}\nA: {{output}}",
      separator: "\n---\n",
      mostRelevantLast: true,
    });
    expect(r.indices).toEqual([5, 0]);
    expect(r.text).toBe(
      "Q: My password reset email never arrived.\nA: Check your spam folder, then ask for a new reset link.\n---\n" +
        "Q: How do I reset my password?\nA: Open Settings, choose Security, then Reset password.",
    );
    const fn = await selectExamples({ examples, input, k: 1, template: (e) => `${e.input} => ${e.output}` });
    expect(fn.text).toBe("How do I reset my password? => Open Settings, choose Security, then Reset password.");
  });

  it("is deterministic and breaks ties by position in the pool", async () => {
    const twins = [
      { input: "other topic", output: "x" },
      { input: "reset password", output: "a" },
      { input: "reset password", output: "a" },
    ];
    const first = await selectExamples({ examples: twins, input: "reset password", k: 3, lambda: 1 });
    expect(first.indices).toEqual([1, 2, 0]);
    const again = await selectExamples({ examples: twins, input: "reset password", k: 3, lambda: 1 });
    expect(again).toEqual(first);
  });

  it("names a template field the examples lack", async () => {
    const run = selectExamples({ examples, input, template: "{{question}} -> {{output}}" });
    await expect(run).rejects.toThrow(InvalidArgumentError);
    await expect(run).rejects.toThrow(/no 'question' field/);
  });
});

describe("selectExamples with an embedding model", () => {
  it("orders by cosine similarity and embeds the pool only once", async () => {
    const embeddingModel = createMockEmbeddingModel({ dimensions: 64 });
    const selector = createExampleSelector({ examples, embeddingModel });
    const r = await selector.select(input, { k: 6, lambda: 1 });
    expect(r.method).toBe("embeddings");
    const relevance = r.scores.map((s) => s.relevance);
    expect(relevance).toEqual([...relevance].sort((a, b) => b - a));
    expect(r.indices[0]).toBe(0);
    const [pool, query] = await Promise.all([
      embeddingModel.doEmbed({ values: examples.map((e) => e.input) }),
      embeddingModel.doEmbed({ values: [input] }),
    ]);
    expect(relevance[0]).toBeCloseTo(
      cosineSimilarity(pool.embeddings[0] as number[], query.embeddings[0] as number[]),
      12,
    );

    expect(r.usage.tokens).toBe(examples.reduce((n, e) => n + words(e.input), 0) + words(input));
    const second = await selector.select("How do I delete my account?", { k: 1 });
    expect(second.indices).toEqual([4]);
    expect(second.usage.tokens).toBe(6); // the query only
    // calls: pool + query, our two checks above, then the second query alone
    expect(embeddingModel.calls.map((c) => c.length)).toEqual([6, 1, 6, 1, 1]);
  });

  it("skips near-duplicates with the default lambda", async () => {
    // Hand-set vectors: 1 is a near-copy of 0 (cosine 0.9995); 5 is less relevant but different.
    const vectors: Record<string, number[]> = {
      [input]: [1, 0, 0],
      [examples[0]?.input as string]: [0.95, 0.31, 0],
      [examples[1]?.input as string]: [0.94, 0.34, 0],
      [examples[2]?.input as string]: [0, 1, 0],
      [examples[3]?.input as string]: [0, 0, 1],
      [examples[4]?.input as string]: [0.1, 0.99, 0],
      [examples[5]?.input as string]: [0.8, 0, 0.6],
    };
    const embeddingModel = createMockEmbeddingModel({ dimensions: 3, embed: (text) => vectors[text] ?? [0, 0, 0] });
    expect((await selectExamples({ examples, input, embeddingModel, k: 3, lambda: 1 })).indices).toEqual([0, 1, 5]);
    const r = await selectExamples({ examples, input, embeddingModel, k: 2 });
    expect(r.indices).toEqual([0, 5]);
  });
});

describe("token budget", () => {
  it("counts with the model's tokenizer and never exceeds the budget", async () => {
    const model = createMockLanguageModel(); // counts whitespace-separated words
    for (const maxTokens of [0, 10, 14, 30, 45, 1000]) {
      const r = await selectExamples({ examples, input, k: 6, maxTokens, model });
      expect(r.tokenCounter).toBe("model");
      expect(r.tokens).toBe(words(r.text));
      expect(r.tokens).toBeLessThanOrEqual(maxTokens);
    }
    const none = await selectExamples({ examples, input, maxTokens: 0, model });
    expect(none).toMatchObject({ examples: [], text: "", tokens: 0 });
  });

  it("passes over an example that does not fit and takes the next best that does", async () => {
    const long = { input: "How do I reset my password?", output: `${"First, ".repeat(40)}reset it.` };
    const pool = [long, ...examples.slice(2)];
    const model = createMockLanguageModel();
    const r = await selectExamples({ examples: pool, input, k: 1, maxTokens: 20, model });
    expect(r.examples[0]).not.toBe(long);
    expect(r.indices).toEqual([4]); // "My password reset email never arrived." (13 words)
    const unbounded = await selectExamples({ examples: pool, input, k: 1, model });
    expect(unbounded.examples[0]).toBe(long);
  });

  it("falls back to ceil(characters / 4) and documents it", async () => {
    const r = await selectExamples({ examples, input, k: 6, maxTokens: 40 });
    expect(r.tokenCounter).toBe("estimate");
    expect(r.tokens).toBe(estimateTokens(r.text));
    expect(r.tokens).toBe(Math.ceil(r.text.length / 4));
    expect(r.tokens).toBeLessThanOrEqual(40);
    expect(r.examples.length).toBeGreaterThan(0);
  });

  it("recounts the joined text when a tokenizer is not additive", async () => {
    // A counter that charges 10 extra tokens whenever two examples are joined.
    const countTokens = (text: string) => words(text) + (text.includes("\n\nInput:") ? 10 : 0);
    const r = await selectExamples({ examples, input, k: 3, maxTokens: 30, countTokens });
    expect(r.tokenCounter).toBe("custom");
    expect(r.tokens).toBe(countTokens(r.text));
    expect(r.tokens).toBeLessThanOrEqual(30);
    expect(r.indices).toEqual([0]);
  });
});

describe("maximalMarginalRelevance", () => {
  it("trades relevance for novelty", () => {
    const similarity = (a: number, b: number) => (a + b === 1 ? 0.99 : 0.1);
    const relevance = [0.9, 0.89, 0.5];
    expect(maximalMarginalRelevance({ relevance, similarity, k: 2, lambda: 1 }).map((p) => p.index)).toEqual([0, 1]);
    expect(maximalMarginalRelevance({ relevance, similarity, k: 2, lambda: 0.5 }).map((p) => p.index)).toEqual([0, 2]);
    expect(
      maximalMarginalRelevance({ relevance, similarity, k: 3, lambda: 0.5, fits: (i) => i !== 0 }).map((p) => p.index),
    ).toEqual([1, 2]);
  });
});

describe("createExampleSelector failures", () => {
  it("does not cache a failed embedding call", async () => {
    const embeddingModel = createMockEmbeddingModel({ dimensions: 8 });
    let fail = true;
    const flaky = {
      ...embeddingModel,
      async doEmbed(options: { values: string[] }) {
        if (fail) throw new InvalidArgumentError({ argument: "values", message: "scripted failure" });
        return embeddingModel.doEmbed(options);
      },
    };
    const selector = createExampleSelector({ examples, embeddingModel: flaky, maxRetries: 0 });
    await expect(selector.select(input)).rejects.toThrow(/scripted failure/);
    fail = false;
    const r = await selector.select(input, { k: 1 });
    expect(r.indices).toHaveLength(1);
    expect(r.usage.tokens).toBeGreaterThan(words(input));
  });
});
