import { describe, expect, it } from "vitest";
import { generateText } from "../../src/generate/index.js";
import {
  AbortError,
  APICallError,
  AuthenticationError,
  InvalidArgumentError,
  RateLimitError,
  TimeoutError,
} from "../../src/spec/errors.js";
import { createMockLanguageModel } from "../../src/testing/index.js";

describe("generateText", () => {
  it("sends system and prompt as messages and returns text, usage and a known cost", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: { text: "Blue light scatters.", usage: { inputTokens: 1000, outputTokens: 500 } },
    });
    const result = await generateText({ model, system: "Be brief.", prompt: "Why is the sky blue?", temperature: 0 });
    expect(result.text).toBe("Blue light scatters.");
    expect(result.model).toBe("openai:gpt-4o-mini");
    expect(result.usage).toEqual({ inputTokens: 1000, outputTokens: 500 });
    // 1000 × $0.15/M + 500 × $0.60/M
    expect(result.costUsd).toBeCloseTo(0.00045, 10);
    expect(model.calls[0]?.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Why is the sky blue?" },
    ]);
    expect(model.calls[0]?.temperature).toBe(0);
    expect(result.attempts).toBe(1);
  });

  it("reports an unknown model's cost as null, never 0", async () => {
    const model = createMockLanguageModel({ provider: "openai", modelId: "no-such-model", reply: "x" });
    expect((await generateText({ model, prompt: "hi" })).costUsd).toBeNull();
  });

  it("uses price overrides for models weft does not know", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "ft:my-model",
      reply: { text: "x", usage: { inputTokens: 2_000_000, outputTokens: 0 } },
    });
    const r = await generateText({
      model,
      prompt: "hi",
      modelFacts: { "openai:ft:my-model": { input: 1, output: 2 } },
    });
    expect(r.costUsd).toBeCloseTo(2, 10);
  });

  it("retries retryable failures, honouring Retry-After, then succeeds", async () => {
    const model = createMockLanguageModel({
      reply: [
        new RateLimitError({ provider: "mock", retryAfterMs: 5 }),
        new APICallError({ provider: "mock", status: 503, message: "busy", retryable: true }),
        "ok",
      ],
    });
    const result = await generateText({ model, prompt: "hi", maxRetries: 3, retryDelayMs: 1 });
    expect(result.text).toBe("ok");
    expect(result.attempts).toBe(3);
    expect(model.calls).toHaveLength(3);
  });

  it("does not retry non-retryable failures", async () => {
    const model = createMockLanguageModel({ reply: [new AuthenticationError({ provider: "mock" }), "never"] });
    await expect(generateText({ model, prompt: "hi", maxRetries: 5 })).rejects.toBeInstanceOf(AuthenticationError);
    expect(model.calls).toHaveLength(1);
  });

  it("gives up after maxRetries", async () => {
    const model = createMockLanguageModel({ reply: new RateLimitError({ provider: "mock", retryAfterMs: 1 }) });
    await expect(generateText({ model, prompt: "hi", maxRetries: 2 })).rejects.toBeInstanceOf(RateLimitError);
    expect(model.calls).toHaveLength(3);
  });

  it("times out a call that never answers, as a TimeoutError", async () => {
    const model = createMockLanguageModel({ reply: () => new Promise<string>(() => {}) });
    const error = await generateText({ model, prompt: "hi", timeoutMs: 30, maxRetries: 1, retryDelayMs: 1 }).catch(
      (e) => e,
    );
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(model.calls).toHaveLength(2); // a timeout is retryable
  });

  it("stops at once when aborted, without retrying", async () => {
    const controller = new AbortController();
    const model = createMockLanguageModel({ reply: () => new Promise<string>(() => {}) });
    const pending = generateText({ model, prompt: "hi", abortSignal: controller.signal, maxRetries: 3 });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    expect(model.calls).toHaveLength(1);
  });

  it("rejects settings the model cannot honour, naming the option", async () => {
    const model = createMockLanguageModel({ capabilities: { multipleChoices: false, grammar: false } });
    await expect(generateText({ model, prompt: "hi", n: 3 })).rejects.toThrow(/n=3/);
    await expect(generateText({ model, prompt: "hi", grammar: 'root ::= "a"' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(generateText({ model, prompt: "hi", maxTokens: 0 })).rejects.toThrow(/maxTokens/);
    await expect(generateText({ model, prompt: "hi", temperature: 7 })).rejects.toThrow(/temperature/);
    await expect(generateText({ model, system: "only a system prompt" })).rejects.toThrow(/Nothing to send/);
    expect(model.calls).toHaveLength(0);
  });

  it("returns every choice when n > 1", async () => {
    const model = createMockLanguageModel({
      reply: {
        choices: [
          { text: "a", toolCalls: [], finishReason: "stop" },
          { text: "b", toolCalls: [], finishReason: "length" },
        ],
      },
    });
    const r = await generateText({ model, prompt: "hi", n: 2 });
    expect(r.choices.map((c) => c.text)).toEqual(["a", "b"]);
    expect(r.text).toBe("a");
  });
});
