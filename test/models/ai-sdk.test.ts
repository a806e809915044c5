import type {
  LanguageModelV2,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { convertArrayToReadableStream, MockLanguageModelV3 } from "ai/test";
import { describe, expect, it } from "vitest";
import { fromAISDK } from "../../src/models/ai-sdk/index.js";
import { InvalidArgumentError, InvalidResponseError } from "../../src/spec/errors.js";
import type { CallOptions, StreamPart } from "../../src/spec/language-model.js";

const usage: LanguageModelV3Usage = {
  inputTokens: { total: 20, noCache: 15, cacheRead: 5, cacheWrite: 0 },
  outputTokens: { total: 8, text: 6, reasoning: 2 },
};

function result(overrides: Partial<LanguageModelV3GenerateResult> = {}): LanguageModelV3GenerateResult {
  return {
    content: [{ type: "text", text: "Hello" }],
    finishReason: { unified: "stop", raw: "stop" },
    usage,
    warnings: [],
    ...overrides,
  };
}

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe("fromAISDK: identity and options", () => {
  it("takes provider (up to the first '.') and modelId from the AI SDK model", () => {
    const model = fromAISDK(new MockLanguageModelV3({ provider: "openai.chat", modelId: "gpt-4o-mini" }));
    expect(model.specificationVersion).toBe("weft-lm-1");
    expect(model.provider).toBe("openai");
    expect(model.modelId).toBe("gpt-4o-mini");
    expect(model.capabilities).toMatchObject({
      tools: true,
      jsonSchema: true,
      logprobs: false,
      multipleChoices: false,
    });
    const renamed = fromAISDK(new MockLanguageModelV3(), { provider: "mine", capabilities: { jsonSchema: false } });
    expect(renamed.provider).toBe("mine");
    expect(renamed.capabilities.jsonSchema).toBe(false);
  });

  it("rejects objects that are not AI SDK models", () => {
    expect(() => fromAISDK({ specificationVersion: "v1" } as unknown as LanguageModelV2)).toThrow(InvalidArgumentError);
  });

  it("passes every call option through", async () => {
    const mock = new MockLanguageModelV3({ doGenerate: result() });
    const controller = new AbortController();
    const schema = { type: "object", properties: { city: { type: "string" } } };
    const options: CallOptions = {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "c1", toolName: "weather", output: { temp: 21 } },
            { type: "tool-result", toolCallId: "c2", toolName: "weather", output: "sunny" },
            { type: "tool-result", toolCallId: "c3", toolName: "weather", output: "boom", isError: true },
            { type: "tool-result", toolCallId: "c4", toolName: "weather", output: { code: 1 }, isError: true },
          ],
        },
        { role: "user", content: [{ type: "text", text: "Thanks" }] },
      ],
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.8,
      topK: 30,
      stop: ["END"],
      seed: 7,
      tools: [{ name: "weather", description: "Weather now", inputSchema: schema }],
      toolChoice: { type: "tool", toolName: "weather" },
      responseFormat: { type: "json", schema, name: "answer", description: "The answer" },
      abortSignal: controller.signal,
      headers: { "x-trace": "1" },
      providerOptions: { openai: { user: "u1" } },
    };
    await fromAISDK(mock).doGenerate(options);
    expect(mock.doGenerateCalls).toHaveLength(1);
    expect(mock.doGenerateCalls[0]).toEqual({
      prompt: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Weather in Paris?" }] },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool-call", toolCallId: "c1", toolName: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: "c1",
              toolName: "weather",
              output: { type: "json", value: { temp: 21 } },
            },
            { type: "tool-result", toolCallId: "c2", toolName: "weather", output: { type: "text", value: "sunny" } },
            {
              type: "tool-result",
              toolCallId: "c3",
              toolName: "weather",
              output: { type: "error-text", value: "boom" },
            },
            {
              type: "tool-result",
              toolCallId: "c4",
              toolName: "weather",
              output: { type: "error-json", value: { code: 1 } },
            },
          ],
        },
        { role: "user", content: [{ type: "text", text: "Thanks" }] },
      ],
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.8,
      topK: 30,
      stopSequences: ["END"],
      seed: 7,
      tools: [{ type: "function", name: "weather", description: "Weather now", inputSchema: schema }],
      toolChoice: { type: "tool", toolName: "weather" },
      responseFormat: { type: "json", schema, name: "answer", description: "The answer" },
      abortSignal: controller.signal,
      headers: { "x-trace": "1" },
      providerOptions: { openai: { user: "u1" } },
    });
  });

  it("maps the string tool choices and leaves unset options out", async () => {
    const mock = new MockLanguageModelV3({ doGenerate: result() });
    const model = fromAISDK(mock);
    const tools = [{ name: "f", inputSchema: { type: "object" } }];
    for (const toolChoice of ["auto", "none", "required"] as const) {
      await model.doGenerate({ messages: [{ role: "user", content: "x" }], tools, toolChoice });
      expect(mock.doGenerateCalls.at(-1)?.toolChoice).toEqual({ type: toolChoice });
    }
    await model.doGenerate({ messages: [{ role: "user", content: "x" }] });
    expect(mock.doGenerateCalls.at(-1)).toEqual({ prompt: [{ role: "user", content: [{ type: "text", text: "x" }] }] });
  });
});

describe("fromAISDK: doGenerate results", () => {
  it("maps text, tool calls, finish reason, usage, response and warnings", async () => {
    const mock = new MockLanguageModelV3({
      doGenerate: result({
        content: [
          { type: "reasoning", text: "thinking..." },
          { type: "text", text: "Let me " },
          { type: "text", text: "check." },
          { type: "tool-call", toolCallId: "c1", toolName: "weather", input: '{"city":"Paris"}' },
          { type: "tool-call", toolCallId: "s1", toolName: "web_search", input: "{}", providerExecuted: true },
        ],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        response: { id: "resp_1", modelId: "gpt-4o-mini-2024" },
        warnings: [
          { type: "unsupported", feature: "topK", details: "ignored" },
          { type: "other", message: "something else" },
        ],
      }),
    });
    const out = await fromAISDK(mock).doGenerate({ messages: [{ role: "user", content: "x" }], n: 2 });
    expect(out.choices).toEqual([
      {
        text: "Let me check.",
        toolCalls: [{ toolCallId: "c1", toolName: "weather", input: { city: "Paris" } }],
        finishReason: "tool-calls",
      },
    ]);
    expect(out.usage).toEqual({
      inputTokens: 20,
      outputTokens: 8,
      totalTokens: 28,
      cachedInputTokens: 5,
      reasoningTokens: 2,
    });
    expect(out.response).toEqual({ id: "resp_1", modelId: "gpt-4o-mini-2024" });
    expect(out.warnings).toEqual([
      "AI SDK models return one completion per call; n=2 was ignored.",
      "topK is not supported by this model: ignored",
      "something else",
    ]);
  });

  it("maps each finish reason", async () => {
    for (const unified of ["stop", "length", "content-filter", "tool-calls", "error", "other"] as const) {
      const mock = new MockLanguageModelV3({ doGenerate: result({ finishReason: { unified, raw: undefined } }) });
      const out = await fromAISDK(mock).doGenerate({ messages: [{ role: "user", content: "x" }] });
      expect(out.choices[0]?.finishReason).toBe(unified);
    }
  });

  it("rejects tool input that is not JSON", async () => {
    const mock = new MockLanguageModelV3({
      doGenerate: result({ content: [{ type: "tool-call", toolCallId: "c", toolName: "f", input: '{"a":' }] }),
    });
    await expect(fromAISDK(mock).doGenerate({ messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it("accepts v2 models (flat usage, string finish reason, v2 warnings)", async () => {
    const calls: unknown[] = [];
    const v2: LanguageModelV2 = {
      specificationVersion: "v2",
      provider: "legacy.chat",
      modelId: "old-model",
      supportedUrls: {},
      doGenerate: async (options) => {
        calls.push(options);
        return {
          content: [{ type: "text", text: "from v2" }],
          finishReason: "length",
          usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7, cachedInputTokens: 1 },
          warnings: [{ type: "unsupported-setting", setting: "seed", details: "no seeds here" }],
        };
      },
      doStream: async () => ({
        stream: convertArrayToReadableStream([
          { type: "text-delta" as const, id: "t", delta: "v2 " },
          { type: "text-delta" as const, id: "t", delta: "stream" },
          {
            type: "finish" as const,
            finishReason: "stop" as const,
            usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 },
          },
        ]),
      }),
    };
    const model = fromAISDK(v2);
    expect(model.provider).toBe("legacy");
    const out = await model.doGenerate({ messages: [{ role: "user", content: "x" }], seed: 1 });
    expect(calls[0]).toMatchObject({ seed: 1, prompt: [{ role: "user", content: [{ type: "text", text: "x" }] }] });
    expect(out.choices[0]).toMatchObject({ text: "from v2", finishReason: "length" });
    expect(out.usage).toEqual({ inputTokens: 3, outputTokens: 4, totalTokens: 7, cachedInputTokens: 1 });
    expect(out.warnings).toEqual(["seed is not supported by this model: no seeds here"]);
    const parts = await collect((await model.doStream({ messages: [{ role: "user", content: "x" }] })).stream);
    expect(parts).toEqual([
      { type: "text-delta", delta: "v2 " },
      { type: "text-delta", delta: "stream" },
      { type: "finish", finishReason: "stop", usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 } },
    ]);
  });
});

describe("fromAISDK: doStream", () => {
  const streamParts: LanguageModelV3StreamPart[] = [
    { type: "stream-start", warnings: [{ type: "unsupported", feature: "seed" }] },
    { type: "response-metadata", id: "resp_9", modelId: "m-1" },
    { type: "reasoning-start", id: "r" },
    { type: "reasoning-delta", id: "r", delta: "hmm" },
    { type: "reasoning-end", id: "r" },
    { type: "text-start", id: "t" },
    { type: "text-delta", id: "t", delta: "Hel" },
    { type: "text-delta", id: "t", delta: "lo" },
    { type: "text-end", id: "t" },
    { type: "tool-input-start", id: "c1", toolName: "add" },
    { type: "tool-input-delta", id: "c1", delta: '{"a":1,' },
    { type: "tool-input-delta", id: "c1", delta: '"b":2}' },
    { type: "tool-input-end", id: "c1" },
    { type: "tool-call", toolCallId: "c1", toolName: "add", input: '{"a":1,"b":2}' },
    { type: "finish", finishReason: { unified: "tool-calls", raw: "tool_calls" }, usage },
  ];

  it("maps text deltas, whole tool calls and one finish; passes stream-start warnings", async () => {
    const mock = new MockLanguageModelV3({ doStream: { stream: convertArrayToReadableStream(streamParts) } });
    const { stream, warnings } = await fromAISDK(mock).doStream({
      messages: [{ role: "user", content: "x" }],
      seed: 1,
    });
    expect(warnings).toEqual(["seed is not supported by this model."]);
    expect(mock.doStreamCalls[0]).toMatchObject({ seed: 1 });
    expect(await collect(stream)).toEqual([
      { type: "text-delta", delta: "Hel" },
      { type: "text-delta", delta: "lo" },
      { type: "tool-call", toolCall: { toolCallId: "c1", toolName: "add", input: { a: 1, b: 2 } } },
      {
        type: "finish",
        finishReason: "tool-calls",
        usage: { inputTokens: 20, outputTokens: 8, totalTokens: 28, cachedInputTokens: 5, reasoningTokens: 2 },
        response: { id: "resp_9", modelId: "m-1" },
      },
    ]);
  });

  it("a stream without a finish part fails instead of ending silently", async () => {
    const parts = streamParts.slice(0, 8);
    const mock = new MockLanguageModelV3({ doStream: { stream: convertArrayToReadableStream(parts) } });
    const { stream } = await fromAISDK(mock).doStream({ messages: [{ role: "user", content: "x" }] });
    await expect(collect(stream)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("cancels the AI SDK stream when the consumer stops early", async () => {
    let cancelled = false;
    const source = new ReadableStream<LanguageModelV3StreamPart>({
      start(controller) {
        controller.enqueue({ type: "text-delta", id: "t", delta: "first" });
        controller.enqueue({ type: "text-delta", id: "t", delta: "second" });
      },
      cancel() {
        cancelled = true;
      },
    });
    const mock = new MockLanguageModelV3({ doStream: { stream: source } });
    const { stream } = await fromAISDK(mock).doStream({ messages: [{ role: "user", content: "x" }] });
    for await (const part of stream) {
      expect(part).toEqual({ type: "text-delta", delta: "first" });
      break;
    }
    expect(cancelled).toBe(true);
  });
});
