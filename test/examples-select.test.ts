import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("select, pattern and cache examples run as documented", () => {
  it("programs/select-local picks the most likely option by scoring each one", async () => {
    const { main } = await import("../examples/programs/select-local.js");
    const result = await main();
    expect(result).toMatchObject({ option: " girl", method: "score" });
    const values = result.logprobs as number[];
    expect(values.every(Number.isFinite)).toBe(true);
    expect(result.index).toBe(values.indexOf(Math.max(...values)));
  });

  it("programs/select-openai decides by logprobs, then falls back to a JSON schema enum", async () => {
    const { main } = await import("../examples/programs/select-openai.js");
    const { decided, fallback } = await main();
    expect(decided).toMatchObject({ method: "logprobs", option: " Yes", logprobs: [-0.02, null], calls: 1 });
    expect(fallback).toMatchObject({ method: "json-schema-enum", option: " Yes", calls: 2 });
  });

  it("programs/pattern-local generates text that matches the pattern", async () => {
    const { main } = await import("../examples/programs/pattern-local.js");
    const texts = await main();
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/^\d{3}-\d{4}$/);
    expect(texts[1]).toMatch(/^[A-Z][a-z]{2,6}$/);
    expect(["yes", "no"]).toContain(texts[2]);
  });

  it("programs/cache-results serves the second call from the cache at no cost", async () => {
    const { main } = await import("../examples/programs/cache-results.js");
    const { first, second, traces, requests, removed } = await main();
    expect(requests).toBe(1);
    expect(first.cached).toBe(false);
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ cached: true, costUsd: 0, text: first.text });
    expect(traces.map((t) => t.cached)).toEqual([true, false]);
    expect(removed).toBe(1);
  });
});
