import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnthropic, defaultMaxTokens } from "../../src/models/anthropic/index.js";
import { AuthenticationError, InvalidArgumentError, InvalidResponseError } from "../../src/spec/errors.js";
import type { LanguageModel, Message, StreamPart } from "../../src/spec/language-model.js";
import {
  DEFAULT_FAKE_ANTHROPIC_TEXT,
  type FakeAnthropicServer,
  startFakeAnthropicServer,
} from "../../src/testing/fake-anthropic-server.js";

let server: FakeAnthropicServer;
let model: LanguageModel;

beforeAll(async () => {
  server = await startFakeAnthropicServer();
  model = createAnthropic({ apiKey: "sk-ant-test", baseURL: server.url, env: {} }).languageModel("claude-haiku-4-5");
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const user = (content: string): Message => ({ role: "user", content });

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function lastBody(): Record<string, unknown> {
  return server.requests.at(-1)?.body as Record<string, unknown>;
}

describe("request body", () => {
  it("sends the model, the default max_tokens, the key and the messages", async () => {
    await model.doGenerate({ messages: [user("Hi")] });
    const request = server.requests.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/v1/messages");
    expect(request?.headers.authorization ?? request?.headers["x-api-key"]).toContain("sk-ant-test");
    expect(request?.headers["anthropic-version"]).toBeTruthy();
    expect(request?.body).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 8192,
      messages: [{ role: "user", content: "Hi" }],
    });
  });

  it("uses the per-model table and 1024 for unknown models", async () => {
    expect(defaultMaxTokens("claude-3-haiku-20240307")).toBe(4096);
    expect(defaultMaxTokens("claude-opus-4-1")).toBe(8192);
    const proxy = createAnthropic({ apiKey: "k", baseURL: server.url, env: {} }).languageModel("my-proxy-model");
    await proxy.doGenerate({ messages: [user("Hi")], maxTokens: undefined });
    expect(lastBody().max_tokens).toBe(1024);
    await model.doGenerate({ messages: [user("Hi")], maxTokens: 77 });
    expect(lastBody().max_tokens).toBe(77);
  });

  it("moves system messages to `system` and maps sampling settings", async () => {
    await model.doGenerate({
      messages: [{ role: "system", content: "Be brief." }, { role: "system", content: "Use French." }, user("Hi")],
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      stop: ["END", "STOP"],
    });
    expect(lastBody()).toMatchObject({
      system: "Be brief.\n\nUse French.",
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ["END", "STOP"],
      messages: [{ role: "user", content: "Hi" }],
    });
  });

  it("sends tools, tool choice, tool_use blocks and merged tool_result blocks", async () => {
    const inputSchema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    await model.doGenerate({
      messages: [
        user("Weather in Paris and Rome?"),
        {
          role: "assistant",
          content: [
            { type: "text", text: "Checking." },
            { type: "tool-call", toolCallId: "t1", toolName: "weather", input: { city: "Paris" } },
            { type: "tool-call", toolCallId: "t2", toolName: "weather", input: { city: "Rome" } },
          ],
        },
        {
          role: "tool",
          content: [{ type: "tool-result", toolCallId: "t1", toolName: "weather", output: { temp: 21 } }],
        },
        {
          role: "tool",
          content: [{ type: "tool-result", toolCallId: "t2", toolName: "weather", output: "no data", isError: true }],
        },
        user("Thanks"),
      ],
      tools: [{ name: "weather", description: "Current weather", inputSchema }],
      toolChoice: "required",
    });
    const body = lastBody();
    expect(body.tools).toEqual([{ name: "weather", description: "Current weather", input_schema: inputSchema }]);
    expect(body.tool_choice).toEqual({ type: "any" });
    expect(body.messages).toEqual([
      { role: "user", content: "Weather in Paris and Rome?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "t1", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "t2", name: "weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "t1", content: '{"temp":21}' },
          { type: "tool_result", tool_use_id: "t2", content: "no data", is_error: true },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("maps every tool choice", async () => {
    const tools = [{ name: "f", inputSchema: { type: "object" } }];
    const choices = [
      ["auto", { type: "auto" }],
      ["none", { type: "none" }],
      [
        { type: "tool", toolName: "f" },
        { type: "tool", name: "f" },
      ],
    ] as const;
    for (const [toolChoice, expected] of choices) {
      await model.doGenerate({ messages: [user("x")], tools, toolChoice });
      expect(lastBody().tool_choice).toEqual(expected);
    }
  });

  it("warns about settings Anthropic cannot honour and passes provider options through", async () => {
    const result = await model.doGenerate({
      messages: [user("Give JSON")],
      responseFormat: { type: "json", schema: { type: "object" } },
      seed: 1,
      n: 2,
      logprobs: true,
      grammar: 'root ::= "x"',
      providerOptions: { anthropic: { metadata: { user_id: "u1" } }, openai: { ignored: true } },
    });
    expect(result.warnings?.join("\n")).toMatch(/JSON schema/);
    expect(result.warnings).toHaveLength(5);
    expect(result.choices).toHaveLength(1);
    const body = lastBody();
    expect(body.metadata).toEqual({ user_id: "u1" });
    expect(body).not.toHaveProperty("ignored");
    expect(body).not.toHaveProperty("seed");
  });

  it("rejects a tool call whose input is not an object", async () => {
    const messages: Message[] = [
      user("x"),
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "t", toolName: "f", input: [1, 2] }] },
    ];
    await expect(model.doGenerate({ messages })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("sends per-call headers", async () => {
    await model.doGenerate({ messages: [user("x")], headers: { "x-trace": "abc" } });
    expect(server.requests.at(-1)?.headers["x-trace"]).toBe("abc");
  });
});

describe("doGenerate", () => {
  it("returns the default text, usage with cache reads, finish reason and response info", async () => {
    server.enqueue({ usage: { inputTokens: 10, outputTokens: 7, cacheReadInputTokens: 90 }, id: "msg_1" });
    const result = await model.doGenerate({ messages: [user("Hi")] });
    expect(result.choices).toEqual([{ text: DEFAULT_FAKE_ANTHROPIC_TEXT, toolCalls: [], finishReason: "stop" }]);
    expect(result.usage).toEqual({ inputTokens: 100, outputTokens: 7, totalTokens: 107, cachedInputTokens: 90 });
    expect(result.response).toEqual({ id: "msg_1", modelId: "claude-haiku-4-5" });
    expect(result.warnings).toBeUndefined();
  });

  it("maps stop reasons", async () => {
    const cases = [
      ["end_turn", "stop"],
      ["stop_sequence", "stop"],
      ["max_tokens", "length"],
      ["refusal", "content-filter"],
      ["pause_turn", "other"],
    ] as const;
    for (const [stopReason, finishReason] of cases) {
      server.enqueue({ text: "x", stopReason });
      const result = await model.doGenerate({ messages: [user("Hi")] });
      expect(result.choices[0]?.finishReason).toBe(finishReason);
    }
  });

  it("returns tool calls", async () => {
    server.enqueue({ text: "Let me check.", toolUses: [{ id: "toolu_1", name: "weather", input: { city: "Paris" } }] });
    const result = await model.doGenerate({ messages: [user("Weather?")] });
    expect(result.choices[0]).toEqual({
      text: "Let me check.",
      toolCalls: [{ toolCallId: "toolu_1", toolName: "weather", input: { city: "Paris" } }],
      finishReason: "tool-calls",
    });
  });

  it("answers from a reply function", async () => {
    const echo = await startFakeAnthropicServer({
      reply: (request) => ({
        text: `echo: ${(request.body as { messages: Array<{ content: string }> }).messages[0]?.content}`,
      }),
    });
    try {
      const m = createAnthropic({ apiKey: "k", baseURL: echo.url, env: {} }).languageModel("claude-haiku-4-5");
      const result = await m.doGenerate({ messages: [user("ping")] });
      expect(result.choices[0]?.text).toBe("echo: ping");
    } finally {
      await echo.close();
    }
  });
});

describe("doStream", () => {
  it("streams text deltas and one finish with usage", async () => {
    server.enqueue({ text: "One two three.", usage: { inputTokens: 12, outputTokens: 4, cacheReadInputTokens: 3 } });
    const { stream, warnings } = await model.doStream({ messages: [user("Count")] });
    expect(warnings).toBeUndefined();
    const parts = await collect(stream);
    expect(lastBody().stream).toBe(true);
    const text = parts.flatMap((p) => (p.type === "text-delta" ? [p.delta] : [])).join("");
    expect(text).toBe("One two three.");
    expect(parts.filter((p) => p.type === "text-delta").length).toBeGreaterThan(1);
    const finishes = parts.filter((p) => p.type === "finish");
    expect(finishes).toHaveLength(1);
    expect(parts.at(-1)).toEqual({
      type: "finish",
      finishReason: "stop",
      usage: { inputTokens: 15, outputTokens: 4, totalTokens: 19, cachedInputTokens: 3 },
      response: { id: expect.any(String), modelId: "claude-haiku-4-5" },
    });
  });

  it("streams whole tool calls from input_json_delta pieces", async () => {
    const input = { city: "Paris", days: [1, 2, 3], note: "a longer string so the JSON spans many deltas" };
    server.enqueue({
      toolUses: [
        { id: "toolu_a", name: "forecast", input },
        { name: "noop", input: {} },
      ],
    });
    const { stream } = await model.doStream({ messages: [user("Forecast")] });
    const parts = await collect(stream);
    expect(parts.filter((p) => p.type === "text-delta")).toEqual([]);
    const calls = parts.flatMap((p) => (p.type === "tool-call" ? [p.toolCall] : []));
    expect(calls).toEqual([
      { toolCallId: "toolu_a", toolName: "forecast", input },
      { toolCallId: expect.stringMatching(/^toolu_/), toolName: "noop", input: {} },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
  });

  it("rejects invalid tool input JSON with InvalidResponseError", async () => {
    server.enqueue({ toolUses: [{ name: "f", input: {}, rawInputJson: '{"city": "Par' }] });
    const { stream } = await model.doStream({ messages: [user("x")] });
    await expect(collect(stream)).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("passes warnings with the stream", async () => {
    const { stream, warnings } = await model.doStream({ messages: [user("x")], seed: 3 });
    expect(warnings).toEqual(["Anthropic does not support seed; it was ignored."]);
    await collect(stream);
  });

  it("can be abandoned early", async () => {
    server.enqueue({ text: "a b c d e f g h i j k l m n o p" });
    const { stream } = await model.doStream({ messages: [user("x")] });
    for await (const part of stream) {
      expect(part.type).toBe("text-delta");
      break;
    }
    const result = await model.doGenerate({ messages: [user("still works")] });
    expect(result.choices[0]?.text).toBe(DEFAULT_FAKE_ANTHROPIC_TEXT);
  });
});

describe("countTokens and configuration", () => {
  it("counts tokens through count_tokens", async () => {
    server.enqueue({ inputTokens: 42 });
    await expect(model.countTokens?.("How many tokens is this?")).resolves.toBe(42);
    const request = server.requests.at(-1);
    expect(request?.path).toBe("/v1/messages/count_tokens");
    expect(request?.body).toEqual({
      model: "claude-haiku-4-5",
      messages: [{ role: "user", content: "How many tokens is this?" }],
    });
    await expect(model.countTokens?.("")).resolves.toBe(0);
  });

  it("reads the key and base URL from env at factory call", async () => {
    const env = { ANTHROPIC_API_KEY: "sk-from-env", ANTHROPIC_BASE_URL: server.url };
    const provider = createAnthropic({ env, headers: { "x-extra": "1" } });
    env.ANTHROPIC_API_KEY = "changed-later";
    expect(provider.name).toBe("anthropic");
    const m = provider.languageModel("claude-haiku-4-5");
    expect(m.provider).toBe("anthropic");
    expect(m.modelId).toBe("claude-haiku-4-5");
    expect(m.capabilities).toMatchObject({ tools: true, jsonSchema: false, logprobs: false, multipleChoices: false });
    await m.doGenerate({ messages: [user("x")] });
    const headers = server.requests.at(-1)?.headers ?? {};
    expect(`${headers.authorization} ${headers["x-api-key"]}`).toContain("sk-from-env");
    expect(headers["x-extra"]).toBe("1");
  });

  it("fails at call time without a key, with a message that says how to fix it", async () => {
    const m = createAnthropic({ baseURL: server.url, env: {} }).languageModel("claude-haiku-4-5");
    const error = await m.doGenerate({ messages: [user("x")] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toBe("Anthropic API key is missing. Pass apiKey or set ANTHROPIC_API_KEY.");
    await expect(m.doStream({ messages: [user("x")] })).rejects.toBeInstanceOf(AuthenticationError);
    expect(server.requests).toHaveLength(0);
  });

  it("uses a custom fetch", async () => {
    const seen: string[] = [];
    const provider = createAnthropic({
      apiKey: "k",
      baseURL: server.url,
      env: {},
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    await provider.languageModel("claude-haiku-4-5").doGenerate({ messages: [user("x")] });
    expect(seen).toEqual([`${server.url}/v1/messages`]);
  });
});
