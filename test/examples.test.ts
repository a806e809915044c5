import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

describe("examples run as documented", () => {
  it("generate/openai-compatible talks to a server through the real SDK", async () => {
    const { main } = await import("../examples/generate/openai-compatible.js");
    expect(await main()).toBe("Paris is the capital of France.");
  });

  it("testing/mock-model scripts a reply and inspects the call", async () => {
    const { main } = await import("../examples/testing/mock-model.js");
    expect(await main()).toEqual({
      summary: "Cats sleep most of the day.",
      sentSystem: { role: "system", content: "Summarise in five words." },
    });
  });

  it("tracing/trace-calls stores one trace per call", async () => {
    const { main } = await import("../examples/tracing/trace-calls.js");
    const traces = await main();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ provider: "openai", modelId: "gpt-4o-mini", error: null });
    expect(traces[0]?.costUsd).toBeGreaterThan(0);
  });

  it("generate/generate-text continues a story with the bundled model", async () => {
    const { main } = await import("../examples/generate/generate-text.js");
    const text = await main();
    expect(text).toMatch(/Lily/);
  });

  it("generate/stream-text streams the same greedy text generate would", async () => {
    const { main } = await import("../examples/generate/stream-text.js");
    const text = await main();
    expect(text.length).toBeGreaterThan(20);
  });

  it("generate/generate-object returns an object that matches the schema", async () => {
    const { main } = await import("../examples/generate/generate-object.js");
    const object = await main();
    expect(["happy", "sad", "curious"]).toContain(object.mood);
    expect(object.name.length).toBeLessThanOrEqual(12);
  });
});
