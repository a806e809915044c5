import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("memory examples run as documented", () => {
  it("memory/index-and-search indexes the corpus once and finds passages", async () => {
    const { main } = await import("../examples/memory/index-and-search.js");
    const result = await main();
    expect(result.added).toBeGreaterThanOrEqual(8);
    expect(result.unchangedOnRerun).toBe(result.added);
    expect(result.top).toMatch(/^corpus\//);
  });

  it("memory/ask-extractive answers with passages and citations when there is no model", async () => {
    const { main } = await import("../examples/memory/ask-extractive.js");
    const result = await main();
    expect(result.kind).toBe("extractive");
    expect(result.firstCitation).toMatch(/^corpus\/directions\.txt:\d+-\d+$/);
    expect(result.hint).toMatch(/No model is configured/);
  });

  it("memory/ask-with-citations maps the model's [n] to the right file", async () => {
    const { main } = await import("../examples/memory/ask-with-citations.js");
    const result = await main();
    expect(result.answer).toMatch(/600 mm across \[\d+\]\.$/);
    expect(result.cited).toEqual(["corpus/telescopes.md"]);
    expect(result.flagged).toBe(false);
    expect(result.sawSources).toBe(true);
  });

  it("memory/hybrid-local-embeddings builds a hybrid index with in-process GGUF embeddings", async () => {
    const { main } = await import("../examples/memory/hybrid-local-embeddings.js");
    const result = await main();
    expect(result.mode).toBe("hybrid");
    expect(result.dimensions).toBe(64);
    expect(result.sources.length).toBe(3);
  });
});
