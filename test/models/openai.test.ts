import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { countOpenAITokens, createOpenAI, openAIEncodingFor } from "../../src/models/openai/index.js";
import { AuthenticationError, InvalidResponseError } from "../../src/spec/errors.js";
import type { CallOptions, LanguageModel, StreamPart } from "../../src/spec/language-model.js";
import { type FakeOpenAIServer, startFakeOpenAIServer } from "../../src/testing/fake-openai-server.js";

const KEY = "sk-test-openai-0123456789";
let server: FakeOpenAIServer;
let model: LanguageModel;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey: KEY });
  model = createOpenAI({ apiKey: KEY, baseURL: server.url, env: {} }).languageModel("gpt-4o-mini");
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const hi: CallOptions = { messages: [{ role: "user", content: "Hi there" }] };
const lastBody = () => server.requests.at(-1)?.body;

async function collect(options: CallOptions, m = model): Promise<StreamPart[]> {
  const { stream } = await m.doStream(options);
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

describe("createOpenAI request bodies", () => {
  it("sends the minimal body for a plain call", async () => {
    await model.doGenerate(hi);
    expect(lastBody()).toEqual({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi there" }] });
    expect(server.requests.at(-1)?.path).toBe("/v1/chat/completions");
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("maps every call option to its wire field", async () => {
    await model.doGenerate({
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather in " },
            { type: "text", text: "Paris?" },
          ],
        },
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool-call", toolCallId: "call_1", toolName: "weather", input: { city: "Paris" } },
          ],
        },
        {
          role: "tool",
          content: [
            { type: "tool-result", toolCallId: "call_1", toolName: "weather", output: { temp: 21 } },
            { type: "tool-result", toolCallId: "call_2", toolName: "note", output: "plain text" },
          ],
        },
        { role: "assistant", content: [{ type: "tool-call", toolCallId: "call_3", toolName: "weather", input: {} }] },
      ],
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      stop: ["END"],
      seed: 42,
      n: 2,
      topLogprobs: 3,
      tools: [
        {
          name: "weather",
          description: "Current weather",
          inputSchema: { type: "object", properties: { city: { type: "string" } } },
        },
        { name: "note", inputSchema: { type: "object" } },
      ],
      toolChoice: { type: "tool", toolName: "weather" },
      responseFormat: { type: "json", schema: { type: "object" }, name: "answer", description: "The answer" },
      providerOptions: { openai: { user: "u-1", parallel_tool_calls: false }, anthropic: { ignored: true } },
      headers: { "x-request-tag": "t1" },
    });
    expect(lastBody()).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather in " },
            { type: "text", text: "Paris?" },
          ],
        },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"temp":21}' },
        { role: "tool", tool_call_id: "call_2", content: "plain text" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_3", type: "function", function: { name: "weather", arguments: "{}" } }],
        },
      ],
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["END"],
      seed: 42,
      n: 2,
      logprobs: true,
      top_logprobs: 3,
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Current weather",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
        { type: "function", function: { name: "note", parameters: { type: "object" } } },
      ],
      tool_choice: { type: "function", function: { name: "weather" } },
      response_format: {
        type: "json_schema",
        json_schema: { name: "answer", description: "The answer", schema: { type: "object" }, strict: true },
      },
      user: "u-1",
      parallel_tool_calls: false,
    });
    expect(server.requests.at(-1)?.headers["x-request-tag"]).toBe("t1");
  });

  it("uses json_object without a schema, plain tool choices, and warns about unsupported options", async () => {
    const result = await model.doGenerate({
      ...hi,
      responseFormat: { type: "json" },
      tools: [{ name: "f", inputSchema: { type: "object" } }],
      toolChoice: "required",
      topK: 5,
      grammar: "root ::= 'x'",
    });
    expect(lastBody()).toMatchObject({ response_format: { type: "json_object" }, tool_choice: "required" });
    expect(lastBody()).not.toHaveProperty("top_k");
    expect(result.warnings).toEqual([
      "topK is not supported by openai and was ignored.",
      "grammar is not supported by openai and was ignored; use responseFormat with a schema.",
    ]);
  });

  it("streams with stream_options.include_usage", async () => {
    await collect({ ...hi, logprobs: true });
    expect(lastBody()).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Hi there" }],
      logprobs: true,
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe("createOpenAI generate", () => {
  it("returns text, usage (with cached and reasoning tokens), finish reason and response info", async () => {
    server.enqueue({
      text: "Bonjour.",
      finishReason: "length",
      model: "gpt-4o-mini-2024-07-18",
      usage: {
        prompt_tokens: 20,
        completion_tokens: 9,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 16 },
        completion_tokens_details: { reasoning_tokens: 4 },
      },
    });
    const result = await model.doGenerate(hi);
    expect(result.choices).toEqual([{ text: "Bonjour.", toolCalls: [], finishReason: "length" }]);
    expect(result.usage).toEqual({
      inputTokens: 20,
      outputTokens: 9,
      totalTokens: 29,
      cachedInputTokens: 16,
      reasoningTokens: 4,
    });
    expect(result.response).toEqual({ id: expect.stringMatching(/^chatcmpl-/), modelId: "gpt-4o-mini-2024-07-18" });
    expect(result.warnings).toBeUndefined();
  });

  it("counts usage honestly from the fake server by default", async () => {
    const result = await model.doGenerate(hi);
    expect(result.choices[0]?.text).toBe("Hello from the fake server.");
    expect(result.usage).toEqual({ inputTokens: 2, outputTokens: 5, totalTokens: 7 });
  });

  it("maps every finish reason", async () => {
    const cases: Array<[string, string]> = [
      ["stop", "stop"],
      ["length", "length"],
      ["content_filter", "content-filter"],
      ["function_call", "tool-calls"],
      ["something_new", "other"],
    ];
    for (const [wire, expected] of cases) {
      server.enqueue({ text: "x", finishReason: wire });
      expect((await model.doGenerate(hi)).choices[0]?.finishReason).toBe(expected);
    }
  });

  it("parses tool calls", async () => {
    server.enqueue({
      toolCalls: [
        { id: "call_a", name: "weather", arguments: { city: "Paris" } },
        { id: "call_b", name: "time", arguments: "" },
      ],
    });
    const result = await model.doGenerate({ ...hi, tools: [{ name: "weather", inputSchema: { type: "object" } }] });
    expect(result.choices[0]).toEqual({
      text: "",
      finishReason: "tool-calls",
      toolCalls: [
        { toolCallId: "call_a", toolName: "weather", input: { city: "Paris" } },
        { toolCallId: "call_b", toolName: "time", input: {} },
      ],
    });
  });

  it("rejects tool-call arguments that are not JSON", async () => {
    server.enqueue({ toolCalls: [{ name: "weather", arguments: '{"city": "Par' }] });
    const error = await model.doGenerate(hi).catch((e: unknown) => e);
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/tool call 'weather' are not valid JSON/);
  });

  it("returns n choices with logprobs", async () => {
    server.enqueue({ choices: [{ text: "A b" }, { text: "C", finishReason: "length" }] });
    const result = await model.doGenerate({ ...hi, n: 2, topLogprobs: 2 });
    expect(result.choices.map((c) => [c.text, c.finishReason])).toEqual([
      ["A b", "stop"],
      ["C", "length"],
    ]);
    expect(result.choices[0]?.logprobs).toEqual([
      {
        token: "A",
        logprob: -0.1,
        topLogprobs: [
          { token: "A", logprob: -0.1 },
          { token: "A~1", logprob: -1.1 },
        ],
      },
      {
        token: " b",
        logprob: -0.2,
        topLogprobs: [
          { token: " b", logprob: -0.2 },
          { token: "b~1", logprob: expect.closeTo(-1.2, 10) },
        ],
      },
    ]);
  });

  it("returns structured JSON text for a json_schema call", async () => {
    server.enqueue({ text: '{"city":"Paris"}' });
    const result = await model.doGenerate({
      ...hi,
      responseFormat: { type: "json", schema: { type: "object", properties: { city: { type: "string" } } } },
    });
    expect(JSON.parse(result.choices[0]?.text ?? "")).toEqual({ city: "Paris" });
    expect(lastBody().response_format.json_schema).toMatchObject({ name: "response", strict: true });
  });
});

describe("createOpenAI stream", () => {
  it("streams text deltas and exactly one finish part with usage", async () => {
    server.enqueue({ text: "one two three", chunkSize: 1 });
    const parts = await collect(hi);
    expect(parts.filter((p) => p.type === "text-delta").map((p) => p.delta)).toEqual(["one", " two", " three"]);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 2, outputTokens: 3, totalTokens: 5 },
      response: { id: expect.stringMatching(/^chatcmpl-/), modelId: "gpt-4o-mini" },
    });
  });

  it("accumulates tool-call argument deltas into whole tool-call parts", async () => {
    const args = { city: "Paris", days: 3, notes: "a fairly long argument string to split" };
    server.enqueue({ text: "Let me look.", toolCalls: [{ id: "call_x", name: "forecast", arguments: args }] });
    const parts = await collect({ ...hi, tools: [{ name: "forecast", inputSchema: { type: "object" } }] });
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([
      { type: "tool-call", toolCall: { toolCallId: "call_x", toolName: "forecast", input: args } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  it("rejects streamed tool-call arguments that are not JSON from the iterator", async () => {
    server.enqueue({ toolCalls: [{ name: "f", arguments: "{not json" }] });
    await expect(collect(hi)).rejects.toSatisfy(InvalidResponseError.isInstance);
  });

  it("tags parts with choiceIndex for n > 1 and streams logprobs", async () => {
    server.enqueue({ choices: [{ text: "a b" }, { text: "c" }], chunkSize: 2 });
    const parts = await collect({ ...hi, n: 2, logprobs: true });
    expect(parts.filter((p) => p.type === "text-delta")).toEqual([
      { type: "text-delta", delta: "a b", choiceIndex: 0 },
      { type: "text-delta", delta: "c", choiceIndex: 1 },
    ]);
    expect(parts.filter((p) => p.type === "logprobs")).toEqual([
      {
        type: "logprobs",
        logprobs: [
          { token: "a", logprob: -0.1 },
          { token: " b", logprob: -0.2 },
        ],
        choiceIndex: 0,
      },
      { type: "logprobs", logprobs: [{ token: "c", logprob: -0.1 }], choiceIndex: 1 },
    ]);
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
  });

  it("stops the request when the consumer breaks early", async () => {
    server.enqueue({ text: "a b c d e f g h" });
    const { stream } = await model.doStream(hi);
    for await (const part of stream) {
      expect(part.type).toBe("text-delta");
      break;
    }
    // The connection was released: the next call still works.
    expect((await model.doGenerate(hi)).choices[0]?.text).toBe("Hello from the fake server.");
  });
});

describe("createOpenAI configuration", () => {
  it("reads OPENAI_API_KEY and OPENAI_BASE_URL from env when the factory is called", async () => {
    const env = {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: server.url,
      OPENAI_ORG_ID: "org-1",
      OPENAI_PROJECT_ID: "proj-1",
    };
    const provider = createOpenAI({ env });
    env.OPENAI_API_KEY = "changed-later";
    const result = await provider.languageModel("gpt-4o").doGenerate(hi);
    expect(result.choices[0]?.text).toBe("Hello from the fake server.");
    expect(server.requests.at(-1)?.headers).toMatchObject({
      "openai-organization": "org-1",
      "openai-project": "proj-1",
    });
  });

  it("fails with AuthenticationError at call time when the key is missing", async () => {
    const provider = createOpenAI({ baseURL: server.url, env: {} });
    const m = provider.languageModel("gpt-4o-mini");
    expect(m.modelId).toBe("gpt-4o-mini");
    const error = await m.doGenerate(hi).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe("OpenAI API key is missing. Pass apiKey or set OPENAI_API_KEY.");
    await expect(m.doStream(hi)).rejects.toSatisfy(AuthenticationError.isInstance);
    expect(server.requests).toHaveLength(0);
  });

  it("sends provider headers and uses a custom fetch", async () => {
    const seen: string[] = [];
    const provider = createOpenAI({
      apiKey: KEY,
      baseURL: server.url,
      env: {},
      headers: { "x-app": "weft-test" },
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await provider.languageModel("gpt-4o-mini").doGenerate(hi);
    expect(seen).toEqual([`${server.url}/chat/completions`]);
    expect(server.requests.at(-1)?.headers["x-app"]).toBe("weft-test");
  });

  it("declares its capabilities", () => {
    expect(model.capabilities).toEqual({
      tools: true,
      jsonSchema: true,
      logprobs: true,
      multipleChoices: true,
      grammar: false,
      rawCompletion: false,
      embeddings: true,
    });
    expect(model.specificationVersion).toBe("weft-lm-1");
    expect(model.provider).toBe("openai");
  });
});

describe("createOpenAI embeddings", () => {
  it("embeds with float encoding, in input order, with usage and known dimensions", async () => {
    const embedder = createOpenAI({ apiKey: KEY, baseURL: server.url, env: {} }).embeddingModel(
      "text-embedding-3-small",
    );
    expect(embedder.dimensions).toBe(1536);
    expect(embedder.maxBatchSize).toBe(2048);
    const result = await embedder.doEmbed({ values: ["the cat", "a dog runs"] });
    expect(lastBody()).toEqual({
      model: "text-embedding-3-small",
      input: ["the cat", "a dog runs"],
      encoding_format: "float",
    });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(8);
    expect(result.usage).toEqual({ tokens: 5 });
    const again = await embedder.doEmbed({ values: ["a dog runs"] });
    expect(again.embeddings[0]).toEqual(result.embeddings[1]);
  });

  it("knows the other OpenAI embedding sizes and skips the call for no input", async () => {
    const openai = createOpenAI({ apiKey: KEY, baseURL: server.url, env: {} });
    expect(openai.embeddingModel("text-embedding-3-large").dimensions).toBe(3072);
    expect(openai.embeddingModel("text-embedding-ada-002").dimensions).toBe(1536);
    expect(openai.embeddingModel("my-custom-embedder").dimensions).toBeUndefined();
    expect(await openai.embeddingModel("text-embedding-3-large").doEmbed({ values: [] })).toEqual({ embeddings: [] });
    expect(server.requests).toHaveLength(0);
  });

  it("rejects a malformed embeddings body with InvalidResponseError", async () => {
    server.enqueue({ malformed: true });
    const embedder = createOpenAI({ apiKey: KEY, baseURL: server.url, env: {} }).embeddingModel(
      "text-embedding-3-small",
    );
    await expect(embedder.doEmbed({ values: ["x"] })).rejects.toSatisfy(InvalidResponseError.isInstance);
  });
});

describe("token counting", () => {
  it("picks o200k_base for the 4o/4.1/4.5/5/o-series families and cl100k_base otherwise", () => {
    for (const id of [
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1-nano",
      "gpt-4.5-preview",
      "gpt-5",
      "o1",
      "o3-mini",
      "o4-mini",
    ]) {
      expect(openAIEncodingFor(id)).toBe("o200k_base");
    }
    for (const id of ["gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "my-azure-deployment", "o10-fictional"]) {
      expect(openAIEncodingFor(id)).toBe("cl100k_base");
    }
  });

  it("counts real tokens with the model's tokenizer", async () => {
    expect(await model.countTokens?.("Hello world")).toBe(2);
    expect(await countOpenAITokens("gpt-4", "Hello world")).toBe(2);
    // Text the two vocabularies split differently (o200k_base has far more non-Latin tokens).
    const text = "Привет, как дела? こんにちは世界";
    expect(await countOpenAITokens("gpt-4o", text)).toBe(9);
    expect(await countOpenAITokens("gpt-3.5-turbo", text)).toBe(13);
    // Special-token strings in user text count as plain text instead of throwing.
    expect(await countOpenAITokens("gpt-4o", "<|endoftext|>")).toBe(7);
  });
});
