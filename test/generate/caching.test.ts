import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  cacheKeyOf,
  cachingMiddleware,
  generateText,
  streamText,
  tracingMiddleware,
  wrapModel,
} from "../../src/generate/index.js";
import type { ScoreOptions, ScoreResult } from "../../src/spec/language-model.js";
import type { Store } from "../../src/spec/store.js";
import { openSqliteStore } from "../../src/store/index.js";
import { createMockLanguageModel, type MockLanguageModel } from "../../src/testing/index.js";

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "weft-cache-"));
  store = await openSqliteStore({ path: join(dir, "weft.db") });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A priced mock model that answers with the call number, so a repeated answer can only come from the cache. */
function counting(): MockLanguageModel {
  return createMockLanguageModel({
    provider: "openai",
    modelId: "gpt-4o-mini",
    reply: (_options, index) => `answer number ${index + 1}`,
    capabilities: { grammar: true },
  });
}

describe("cachingMiddleware with the SQLite store", () => {
  it("serves a repeated deterministic call from the cache: same text and usage, cost 0, cached flag", async () => {
    const base = counting();
    const model = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    const first = await generateText({ model, prompt: "hi", temperature: 0 });
    const second = await generateText({ model, prompt: "hi", temperature: 0 });
    expect(base.calls).toHaveLength(1);
    expect(first).toMatchObject({ text: "answer number 1", cached: false });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(second).toMatchObject({ text: "answer number 1", cached: true, costUsd: 0 });
    expect(second.usage).toEqual(first.usage);
  });

  it("survives reopening the store file", async () => {
    const call = async (s: Store) =>
      generateText({ model: wrapModel(counting(), [cachingMiddleware({ cache: s.cache })]), prompt: "hi", seed: 3 });
    await call(store);
    await store.close();
    store = await openSqliteStore({ path: join(dir, "weft.db") });
    expect(await call(store)).toMatchObject({ text: "answer number 1", cached: true });
  });

  it("misses when anything that affects the output changes", async () => {
    const base = counting();
    const model = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    await generateText({ model, prompt: "hi", temperature: 0 });
    const variants = [
      await generateText({ model, prompt: "hi", temperature: 0.7, seed: 1 }),
      await generateText({ model, prompt: "hi", temperature: 0.7, seed: 2 }),
      await generateText({ model, prompt: "hi!", temperature: 0 }),
      await generateText({ model, prompt: "hi", system: "Be brief.", temperature: 0 }),
      await generateText({ model, prompt: "hi", temperature: 0, maxTokens: 5 }),
      await generateText({ model, prompt: "hi", temperature: 0, grammar: 'root ::= "a"' }),
      await generateText({ model, prompt: "hi", temperature: 0, responseFormat: { type: "json" } }),
      await generateText({ model, rawPrompt: "hi", temperature: 0 }),
    ];
    expect(variants.every((v) => !v.cached)).toBe(true);
    expect(base.calls).toHaveLength(1 + variants.length);
    // A different model is a different key too.
    const other = wrapModel(createMockLanguageModel({ provider: "openai", modelId: "gpt-4o" }), [
      cachingMiddleware({ cache: store.cache }),
    ]);
    expect((await generateText({ model: other, prompt: "hi", temperature: 0 })).cached).toBe(false);
  });

  it("ignores headers, the abort signal and the order of keys", () => {
    const model = { provider: "openai", modelId: "gpt-4o-mini" };
    const messages = [{ role: "user" as const, content: "hi" }];
    const key = cacheKeyOf(model, { messages, temperature: 0, maxTokens: 5 });
    expect(cacheKeyOf(model, { maxTokens: 5, temperature: 0, messages, headers: { "x-trace": "1" } })).toBe(key);
    expect(
      cacheKeyOf(model, { messages, temperature: 0, maxTokens: 5, abortSignal: new AbortController().signal }),
    ).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("does not cache sampled calls unless cacheSampled is set", async () => {
    const base = counting();
    const model = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    await generateText({ model, prompt: "hi" });
    const again = await generateText({ model, prompt: "hi", temperature: 0.9 });
    expect(again).toMatchObject({ text: "answer number 2", cached: false });

    const all = wrapModel(base, [cachingMiddleware({ cache: store.cache, cacheSampled: true })]);
    await generateText({ model: all, prompt: "hi", temperature: 0.9 });
    expect(await generateText({ model: all, prompt: "hi", temperature: 0.9 })).toMatchObject({
      text: "answer number 3",
      cached: true,
    });
  });

  it("keeps namespaces apart and clears one of them", async () => {
    const base = counting();
    const gen = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    const other = wrapModel(base, [cachingMiddleware({ cache: store.cache, namespace: "experiment" })]);
    await generateText({ model: gen, prompt: "a", temperature: 0 });
    await generateText({ model: gen, prompt: "b", temperature: 0 });
    await generateText({ model: other, prompt: "a", temperature: 0 });
    expect(base.calls).toHaveLength(3);
    expect(await store.cache.clear("experiment")).toBe(1);
    expect((await generateText({ model: gen, prompt: "a", temperature: 0 })).cached).toBe(true);
    expect(await store.cache.clear()).toBe(2);
  });

  it("records a hit in the trace with cached: true and cost 0 when tracing wraps caching", async () => {
    const model = wrapModel(counting(), [
      tracingMiddleware({ traces: store.traces }),
      cachingMiddleware({ cache: store.cache }),
    ]);
    await generateText({ model, prompt: "hi", temperature: 0 });
    await generateText({ model, prompt: "hi", temperature: 0 });
    const [hit, miss] = await store.traces.list();
    expect(miss?.cached).toBe(false);
    expect(miss?.costUsd).toBeGreaterThan(0);
    expect(hit?.cached).toBe(true);
    expect(hit?.costUsd).toBe(0);
    expect(hit?.usage).toEqual(miss?.usage);
    expect(JSON.stringify(hit?.output)).toContain("answer number 1");
  });

  it("records a stream when it has been read to the end and replays it as a stream", async () => {
    const base = counting();
    const model = wrapModel(base, [
      tracingMiddleware({ traces: store.traces }),
      cachingMiddleware({ cache: store.cache }),
    ]);
    const first = streamText({ model, prompt: "tell", temperature: 0 });
    const deltas: string[] = [];
    for await (const delta of first.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(1);

    const second = streamText({ model, prompt: "tell", temperature: 0 });
    const replayed = await second.text;
    expect(replayed).toBe("answer number 1");
    expect(base.calls).toHaveLength(1);
    // Generate and stream share keys.
    expect(await generateText({ model, prompt: "tell", temperature: 0 })).toMatchObject({ cached: true });
    const traces = await store.traces.list();
    expect(traces.map((t) => [t.operation, t.cached])).toEqual([
      ["generate", true],
      ["stream", true],
      ["stream", false],
    ]);
    expect(traces[1]?.costUsd).toBe(0);
  });

  it("does not store a stream the reader abandoned", async () => {
    const base = counting();
    const model = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    const result = await model.doStream({ messages: [{ role: "user", content: "x" }], temperature: 0 });
    for await (const part of result.stream) {
      expect(part.type).toBe("text-delta");
      break;
    }
    expect((await generateText({ model, prompt: "x", temperature: 0 })).cached).toBe(false);
  });

  it("caches scores through wrapScore", async () => {
    let calls = 0;
    const next = async (): Promise<ScoreResult> => {
      calls++;
      return {
        continuations: [{ logprob: -0.5, tokens: [{ token: " a", logprob: -0.5 }] }],
        usage: { inputTokens: 3 },
      };
    };
    const middleware = cachingMiddleware({ cache: store.cache });
    const model = createMockLanguageModel();
    const options: ScoreOptions = { messages: [], rawPrompt: "x", continuations: [" a"] };
    const first = await middleware.wrapScore({ model, options, next });
    const second = await middleware.wrapScore({ model, options, next });
    expect(calls).toBe(1);
    expect(first.cached === true).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.continuations).toEqual(first.continuations);
  });

  it("keeps calls working when the cache fails, and says so", async () => {
    const errors: unknown[] = [];
    const broken = {
      get: async () => {
        throw new Error("disk on fire");
      },
      set: async () => {
        throw new Error("disk on fire");
      },
    };
    const model = wrapModel(counting(), [cachingMiddleware({ cache: broken, onCacheError: (e) => errors.push(e) })]);
    expect((await generateText({ model, prompt: "hi", temperature: 0 })).text).toBe("answer number 1");
    expect(errors).toHaveLength(2);
  });

  it("treats an entry it does not recognise as a miss", async () => {
    const base = counting();
    const model = wrapModel(base, [cachingMiddleware({ cache: store.cache })]);
    const key = cacheKeyOf(base, { messages: [{ role: "user", content: "hi" }], temperature: 0 });
    await store.cache.set("gen", key, { something: "else" });
    expect((await generateText({ model, prompt: "hi", temperature: 0 })).cached).toBe(false);
  });
});
