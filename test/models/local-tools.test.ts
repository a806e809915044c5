import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEngine, type Engine } from "../../src/models/local/engine.js";
import { createLocal, type LocalProvider } from "../../src/models/local/index.js";
import { chatPrompt, toChatHistory } from "../../src/models/local/prompt.js";
import { InvalidArgumentError } from "../../src/spec/errors.js";
import type {
  CallOptions,
  LanguageModel,
  Message,
  StreamPart,
  ToolCall,
  ToolDefinition,
} from "../../src/spec/language-model.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const modelsDir = path.join(repoRoot, "examples/models");
const STORIES = path.join(modelsDir, "stories260K.gguf");
const RANDOM = path.resolve(repoRoot, "../shared/models/llama-2-tiny-random.gguf");
const hasStories = existsSync(STORIES);
const hasRandom = existsSync(RANDOM);
if (!hasStories) console.warn(`[local-tools.test] skipping the stories260K tool tests: ${STORIES} is missing.`);
if (!hasRandom) console.warn(`[local-tools.test] skipping the Llama 2 tokenizer tool test: ${RANDOM} is missing.`);

// stories260K writes children's stories and follows no instructions, so it never chooses a tool on
// its own: these tests check the mechanics (forced calls, schemas, history, streaming), not judgement.
const weather: ToolDefinition = {
  name: "get_weather",
  description: "The weather forecast for a city",
  inputSchema: {
    type: "object",
    properties: {
      city: { type: "string", maxLength: 12 },
      unit: { enum: ["celsius", "fahrenheit"] },
      days: { type: "integer" },
    },
    required: ["city", "unit", "days"],
    additionalProperties: false,
  },
};
const lookup: ToolDefinition = {
  name: "lookup_word",
  description: "Looks a word up in the dictionary",
  inputSchema: {
    type: "object",
    properties: { word: { type: "string", maxLength: 10 }, exact: { type: "boolean" } },
    required: ["word", "exact"],
    additionalProperties: false,
  },
};
const ping: ToolDefinition = { name: "ping", inputSchema: { type: "object", properties: {} } };
const tools = [weather, lookup];

const ajv = new Ajv({ strict: false });
const validators = new Map(tools.map((t) => [t.name, ajv.compile(t.inputSchema)]));

/** A call is well formed when it names a declared tool and its input satisfies that tool's schema. */
function expectWellFormed(call: ToolCall | undefined, allowed = tools.map((t) => t.name)): void {
  expect(call).toBeDefined();
  expect(allowed).toContain(call?.toolName);
  expect(call?.toolCallId).toMatch(/^call_[0-9a-f]{24}$/);
  const validate = validators.get(call?.toolName ?? "");
  const valid = validate?.(call?.input);
  expect(validate?.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
}

const ask = (extra: Partial<CallOptions> = {}): CallOptions => ({
  messages: [{ role: "user", content: "What is the weather in Paris?" }],
  temperature: 0,
  // The story model's 512-token vocabulary spells JSON almost character by character.
  maxTokens: 160,
  tools,
  ...extra,
});

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

/** A finished tool round: the model called get_weather, the tool answered. */
const afterToolRound: Message[] = [
  { role: "system", content: "You answer questions about the weather." },
  { role: "user", content: "What is the weather in Paris?" },
  {
    role: "assistant",
    content: [
      { type: "text", text: "Let me check." },
      {
        type: "tool-call",
        toolCallId: "call_1",
        toolName: "get_weather",
        input: { city: "Paris", unit: "celsius", days: 1 },
      },
    ],
  },
  {
    role: "tool",
    content: [{ type: "tool-result", toolCallId: "call_1", toolName: "get_weather", output: { temperature: 21 } }],
  },
];

describe.skipIf(!hasStories)("local tool calling on stories260K", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1, modelsDir });
    model = local.languageModel(STORIES);
  });
  afterAll(async () => {
    await local?.dispose();
  });

  it("declares tool support", () => {
    expect(model.capabilities.tools).toBe(true);
  });

  it("returns a forced call as a well-formed tool call with finishReason tool-calls", async () => {
    const result = await model.doGenerate(ask({ toolChoice: "required" }));
    const choice = result.choices[0];
    expect(choice?.finishReason).toBe("tool-calls");
    expect(choice?.toolCalls.length).toBeGreaterThanOrEqual(1);
    for (const call of choice?.toolCalls ?? []) expectWellFormed(call);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.warnings ?? []).toEqual([]);
  });

  it("calls exactly the tool that toolChoice names", async () => {
    for (const name of ["get_weather", "lookup_word"]) {
      const result = await model.doGenerate(ask({ toolChoice: { type: "tool", toolName: name } }));
      expect(result.choices[0]?.finishReason).toBe("tool-calls");
      expectWellFormed(result.choices[0]?.toolCalls[0], [name]);
    }
  });

  it("gives a tool without parameters an empty arguments object", async () => {
    const result = await model.doGenerate(ask({ tools: [ping], toolChoice: "required" }));
    expect(result.choices[0]?.toolCalls[0]).toMatchObject({ toolName: "ping", input: {} });
  });

  it("streams tool-call parts before the finish part", async () => {
    const options = ask({ toolChoice: { type: "tool", toolName: "get_weather" } });
    const generated = await model.doGenerate(options);
    const parts = await collect((await model.doStream(options)).stream);
    const calls = parts.flatMap((p) => (p.type === "tool-call" ? [p.toolCall] : []));
    expect(calls.length).toBe(generated.choices[0]?.toolCalls.length);
    for (const call of calls) expectWellFormed(call, ["get_weather"]);
    // Greedy decoding: the stream makes the same call doGenerate made (with its own id).
    expect(calls.map((c) => [c.toolName, c.input])).toEqual(
      generated.choices[0]?.toolCalls.map((c) => [c.toolName, c.input]),
    );
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "tool-calls" });
    expect(parts.filter((p) => p.type === "finish")).toHaveLength(1);
  });

  it("forces a call in every choice when n > 1", async () => {
    const options = ask({ tools: [lookup], toolChoice: "required", n: 2, temperature: 0.8, seed: 7 });
    const result = await model.doGenerate(options);
    expect(result.choices).toHaveLength(2);
    for (const choice of result.choices) {
      expect(choice.finishReason).toBe("tool-calls");
      expectWellFormed(choice.toolCalls[0], ["lookup_word"]);
    }
  });

  it("lets the model answer in text under toolChoice auto", async () => {
    const result = await model.doGenerate(ask({ toolChoice: "auto", maxTokens: 24 }));
    const choice = result.choices[0];
    // The story model writes prose rather than calling; whatever it does must be consistent.
    if (choice?.toolCalls.length) {
      expect(choice.finishReason).toBe("tool-calls");
      for (const call of choice.toolCalls) expectWellFormed(call);
    } else {
      expect(choice?.text.trim().length).toBeGreaterThan(0);
      expect(["stop", "length"]).toContain(choice?.finishReason);
    }
  });

  it("offers nothing under toolChoice none: the output is the plain completion's", async () => {
    const plain = await model.doGenerate(ask({ tools: undefined, maxTokens: 24 }));
    const none = await model.doGenerate(ask({ toolChoice: "none", maxTokens: 24 }));
    expect(none.choices[0]?.text).toBe(plain.choices[0]?.text);
    expect(none.choices[0]?.toolCalls).toEqual([]);
  });

  it("generates after a tool call and its result, with or without tools", async () => {
    const withTools = await model.doGenerate({ messages: afterToolRound, tools, temperature: 0, maxTokens: 30 });
    expect(withTools.warnings ?? []).toEqual([]);
    expect(["stop", "length", "tool-calls"]).toContain(withTools.choices[0]?.finishReason);
    const forced = await model.doGenerate({
      messages: afterToolRound,
      tools,
      toolChoice: "required",
      temperature: 0,
      maxTokens: 160,
    });
    expectWellFormed(forced.choices[0]?.toolCalls[0]);
    const without = await model.doGenerate({ messages: afterToolRound, temperature: 0, maxTokens: 30 });
    expect(without.warnings ?? []).toEqual([]);
    expect(without.choices[0]?.toolCalls).toEqual([]);
    expect(without.usage.inputTokens).toBeGreaterThan(20);
  });

  it("leaves the shared sequence usable for plain completions afterwards", async () => {
    await model.doGenerate(ask({ toolChoice: "required" }));
    const result = await model.doGenerate({
      messages: [{ role: "user", content: "Once upon a time" }],
      rawPrompt: "Once upon a time",
      temperature: 0,
      maxTokens: 12,
    });
    expect(result.choices[0]?.text.startsWith(", there was a little girl named Lily.")).toBe(true);
  });

  it("warns about what it cannot combine with tools", async () => {
    const withJson = await model.doGenerate(
      ask({ tools: [ping], toolChoice: "required", responseFormat: { type: "json" }, logprobs: true }),
    );
    expect(withJson.warnings?.join("\n")).toMatch(/responseFormat are not enforced/);
    expect(withJson.warnings?.join("\n")).toMatch(/logprobs are not returned/);
    expect(withJson.choices[0]?.toolCalls[0]?.toolName).toBe("ping");

    const rawWithTools = await model.doGenerate({
      messages: [{ role: "user", content: "Once upon a time" }],
      rawPrompt: "Once upon a time",
      tools,
      temperature: 0,
      maxTokens: 8,
    });
    expect(rawWithTools.warnings?.join("\n")).toMatch(/raw prompt/);
    expect(rawWithTools.choices[0]?.toolCalls).toEqual([]);

    const bounded: ToolDefinition = {
      name: "set_age",
      inputSchema: { type: "object", properties: { age: { type: "integer", minimum: 0 } } },
    };
    const unenforced = await model.doGenerate(ask({ tools: [bounded], toolChoice: "required" }));
    expect(unenforced.warnings?.join("\n")).toMatch(/minimum in tool 'set_age'/);
  });

  it("rejects tool settings that cannot work, naming the problem", async () => {
    const reject = (options: CallOptions) => model.doGenerate(options).catch((e: unknown) => e);
    const unknown = await reject(ask({ toolChoice: { type: "tool", toolName: "send_email" } }));
    expect(InvalidArgumentError.isInstance(unknown)).toBe(true);
    expect(String(unknown)).toContain("'send_email', which is not among the tools: get_weather, lookup_word");
    await expect(reject(ask({ tools: [weather, weather] }))).resolves.toMatchObject({ argument: "tools" });
    expect(String(await reject(ask({ tools: [{ ...ping, name: "two words" }] })))).toMatch(/whitespace/);
    expect(String(await reject(ask({ tools: undefined, toolChoice: "required" })))).toMatch(/needs tools/);
    const broken: ToolDefinition = {
      name: "broken",
      inputSchema: { type: "object", properties: { a: { type: "no-such-type" } } },
    };
    const error = await reject(ask({ tools: [broken], toolChoice: "required" }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain("input schema of tool 'broken' is not valid JSON Schema");
    const notObject = await reject(ask({ tools: [{ name: "odd", inputSchema: "text" as never }] }));
    expect(String(notObject)).toMatch(/must be a JSON Schema object/);
  });
});

describe.skipIf(!hasStories)("tool history rendered in the model's function-calling syntax", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine({ gpu: false, threads: 1 });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("pairs results with their calls by id and continues the model turn after them", () => {
    const { history, warnings } = toChatHistory([
      ...afterToolRound,
      { role: "assistant", content: "It is warm." },
      { role: "user", content: "Thanks!" },
    ]);
    expect(warnings).toEqual([]);
    expect(history).toEqual([
      { type: "system", text: "You answer questions about the weather." },
      { type: "user", text: "What is the weather in Paris?" },
      {
        type: "model",
        response: [
          "Let me check.",
          {
            type: "functionCall",
            name: "get_weather",
            params: { city: "Paris", unit: "celsius", days: 1 },
            result: { temperature: 21 },
          },
          "It is warm.",
        ],
      },
      { type: "user", text: "Thanks!" },
      { type: "model", response: [] },
    ]);
  });

  it("marks failed tools, and says when results and calls do not pair", () => {
    const failed = toChatHistory([
      ...afterToolRound.slice(0, 3),
      {
        role: "tool",
        content: [
          { type: "tool-result", toolCallId: "call_1", toolName: "get_weather", output: "timeout", isError: true },
          { type: "tool-result", toolCallId: "call_9", toolName: "get_weather", output: 3 },
        ],
      },
    ]);
    const model = failed.history.find((h) => h.type === "model");
    expect(model?.type === "model" && model.response[1]).toMatchObject({ result: { error: "timeout" } });
    expect(failed.history.at(-2)).toEqual({ type: "user", text: "[tool result get_weather] 3" });
    expect(failed.warnings.join("\n")).toMatch(/answer no tool call/);
    const dangling = toChatHistory(afterToolRound.slice(0, 3));
    expect(dangling.warnings.join("\n")).toMatch(/without results \(get_weather\)/);
  });

  it("renders the call, its result and the tool documentation with the chat template", async () => {
    const runtime = await engine.chat("stories260K.gguf", STORIES);
    const functions = { get_weather: { description: weather.description, params: weather.inputSchema as never } };
    const prompt = chatPrompt(runtime, afterToolRound, functions);
    const text = runtime.model.detokenize(prompt.tokens, true);
    expect(prompt.warnings).toEqual([]);
    expect(text).toContain("function get_weather(");
    expect(text).toContain("// The weather forecast for a city");
    expect(text).toMatch(/Let me check\.\s*\|\|call: get_weather\s*\(\{"city": ?"Paris"/);
    expect(text).toMatch(/\|\|result: \{"temperature": ?21\}/);
    // Without functions the call and result still render, but no tool is documented.
    const bare = runtime.model.detokenize(chatPrompt(runtime, afterToolRound).tokens, true);
    expect(bare).toMatch(/\|\|call: get_weather\s*\(/);
    expect(bare).not.toContain("function get_weather(");
  });
});

describe.skipIf(!hasRandom)("local tool calling with the Llama 2 tokenizer (random weights)", () => {
  let local: LocalProvider;
  beforeAll(() => {
    local = createLocal({ threads: 1, modelsDir: path.dirname(RANDOM) });
  });
  afterAll(async () => {
    await local?.dispose();
  });

  it("forces a well-formed call through the 32,000-token vocabulary", async () => {
    const model = local.languageModel(RANDOM);
    // Random weights may never close an unbounded string: every string here has a maxLength.
    const result = await model.doGenerate(ask({ tools: [lookup], toolChoice: "required", maxTokens: 80 }));
    expect(result.choices[0]?.finishReason).toBe("tool-calls");
    expectWellFormed(result.choices[0]?.toolCalls[0], ["lookup_word"]);
  });
});

describe.skipIf(!hasStories)("docs/providers/local.md tool calling example", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "weft-local-tools-doc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs and prints what its comments say", async () => {
    const doc = readFileSync(path.join(repoRoot, "docs/providers/local.md"), "utf8");
    const section = doc.slice(doc.indexOf("## Tool calling"));
    const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    const src = (p: string) => JSON.stringify(path.join(repoRoot, "src", p));
    writeFileSync(
      path.join(dir, "weft.ts"),
      ["models/local/index.ts", "generate/index.ts"].map((p) => `export * from ${src(p)};`).join("\n"),
    );
    const file = path.join(dir, "example.ts");
    writeFileSync(
      file,
      example
        .replace('from "weft";', `from ${JSON.stringify(path.join(dir, "weft.ts"))};`)
        .replace('"./models/stories260K.gguf"', JSON.stringify(STORIES)),
    );
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      await import(file);
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([
      ["tool-calls", "get_weather", "string"],
      [[], true],
    ]);
  });
});
