import { describe, expect, it } from "vitest";
import { generateText, streamText, tracingMiddleware, wrapModel } from "../../src/generate/index.js";
import { AuthenticationError } from "../../src/spec/errors.js";
import type { TraceRecord } from "../../src/spec/store.js";
import { createMockLanguageModel } from "../../src/testing/index.js";

function sink() {
  const records: TraceRecord[] = [];
  return { records, traces: { insert: async (t: TraceRecord) => void records.push(t) } };
}

describe("tracingMiddleware", () => {
  it("records model, parameters, input, output, usage, cost and latency; never headers or secrets", async () => {
    const { records, traces } = sink();
    const model = wrapModel(createMockLanguageModel({ provider: "openai", modelId: "gpt-4o-mini", reply: "hello" }), [
      tracingMiddleware({ traces, sessionId: "s1" }),
    ]);
    await generateText({
      model,
      prompt: "hi",
      temperature: 0.5,
      headers: { Authorization: "Bearer sk-secret-123" },
      providerOptions: { openai: { apiKey: "sk-secret-456", user: "u1" } },
    });
    expect(records).toHaveLength(1);
    const t = records[0] as TraceRecord;
    expect(t).toMatchObject({
      operation: "generate",
      provider: "openai",
      modelId: "gpt-4o-mini",
      sessionId: "s1",
      error: null,
      input: [{ role: "user", content: "hi" }],
    });
    expect(t.parameters.temperature).toBe(0.5);
    expect(t.usage.outputTokens).toBe(1);
    expect(t.costUsd).toBeGreaterThan(0);
    expect(t.latencyMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(t)).not.toContain("sk-secret");
    expect(JSON.stringify(t.output)).toContain("hello");
  });

  it("records failed calls with the error", async () => {
    const { records, traces } = sink();
    const model = wrapModel(createMockLanguageModel({ reply: new AuthenticationError({ provider: "mock" }) }), [
      tracingMiddleware({ traces }),
    ]);
    await expect(generateText({ model, prompt: "hi" })).rejects.toBeInstanceOf(AuthenticationError);
    expect(records[0]?.error).toMatchObject({ name: "AuthenticationError", code: "auth" });
    expect(records[0]?.costUsd).toBeNull();
  });

  it("records a stream once it ends, with the full text", async () => {
    const { records, traces } = sink();
    const model = wrapModel(createMockLanguageModel({ reply: "a b c" }), [tracingMiddleware({ traces })]);
    expect(await streamText({ model, prompt: "x" }).text).toBe("a b c");
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ operation: "stream", output: { text: "a b c", finishReason: "stop" } });
  });

  it("keeps the call working when the trace store fails, and reports it", async () => {
    const problems: unknown[] = [];
    const model = wrapModel(createMockLanguageModel({ reply: "fine" }), [
      tracingMiddleware({
        traces: { insert: async () => Promise.reject(new Error("disk full")) },
        onTraceError: (e) => problems.push(e),
      }),
    ]);
    expect((await generateText({ model, prompt: "x" })).text).toBe("fine");
    expect(String(problems[0])).toContain("disk full");
  });

  it("records scored continuations, as select uses them on local models", async () => {
    const { records, traces } = sink();
    const base = createMockLanguageModel({ provider: "local", modelId: "tiny.gguf" });
    const scored = {
      ...base,
      doScore: async () => ({ continuations: [{ logprob: -1.5, tokens: [] }], usage: { inputTokens: 4 } }),
    };
    const model = wrapModel(scored, [tracingMiddleware({ traces })]);
    const result = await model.doScore?.({ messages: [], rawPrompt: "Once", continuations: [" upon"] });
    expect(result?.continuations[0]?.logprob).toBe(-1.5);
    expect(records[0]).toMatchObject({
      operation: "score",
      parameters: { continuations: [" upon"] },
      input: { rawPrompt: "Once" },
      output: { logprobs: [-1.5] },
      costUsd: 0,
    });
  });
});
