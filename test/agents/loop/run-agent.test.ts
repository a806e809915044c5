import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAgent } from "../../../src/agents/loop/run-agent.js";
import { tool } from "../../../src/agents/tool.js";
import { tracingMiddleware, wrapModel } from "../../../src/generate/index.js";
import { costOf } from "../../../src/models/model-facts.js";
import { InvalidArgumentError, ToolExecutionError } from "../../../src/spec/errors.js";
import type { TraceRecord } from "../../../src/spec/store.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { add, callTools, multiply, toolResults } from "./helpers.js";

describe("runAgent with native tool calling", () => {
  it("runs several steps, feeding each tool result back, until the model answers", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) => {
        const results = toolResults(messages);
        if (results.length === 0) return callTools([["add", { a: 3, b: 4 }, "first"]], "Adding first.");
        if (results.length === 1) return callTools([["multiply", { a: results[0]?.output, b: 5 }, "second"]]);
        return `(3 + 4) * 5 = ${results[1]?.output}`;
      },
    });
    const result = await runAgent({
      model,
      tools: [add, multiply],
      system: "Use tools.",
      prompt: "What is (3 + 4) * 5?",
    });
    expect(result.answer).toBe("(3 + 4) * 5 = 35");
    expect(result.finishReason).toBe("answer");
    expect(result.protocol).toBe("native");
    expect(result.modelCalls).toBe(3);
    expect(result.steps).toEqual([
      { step: 1, toolCallId: "first", tool: "add", input: { a: 3, b: 4 }, output: 7, isError: false },
      { step: 2, toolCallId: "second", tool: "multiply", input: { a: 7, b: 5 }, output: 35, isError: false },
    ]);
    // The model is offered both tools with their JSON schemas, and sees the system prompt first.
    const first = model.calls[0];
    expect(first?.tools?.map((t) => t.name)).toEqual(["add", "multiply"]);
    expect(first?.tools?.[0]?.inputSchema).toMatchObject({ type: "object", required: ["a", "b"] });
    expect(first?.messages[0]).toEqual({ role: "system", content: "Use tools." });
    // The result's messages: the prompt, then assistant calls paired with tool results, then the answer.
    expect(result.messages.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "tool", "assistant"]);
    expect(result.messages[1]).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Adding first." },
        { type: "tool-call", toolCallId: "first", toolName: "add", input: { a: 3, b: 4 } },
      ],
    });
    expect(result.messages[2]).toEqual({
      role: "tool",
      content: [{ type: "tool-result", toolCallId: "first", toolName: "add", output: 7 }],
    });
  });

  it("runs one step's calls concurrently, at most maxParallelTools at once, with results in call order", async () => {
    const run = async (maxParallelTools?: number) => {
      let active = 0;
      let most = 0;
      const finished: number[] = [];
      const slow = tool({
        name: "slow",
        description: "Takes a while.",
        inputSchema: z.object({ n: z.number() }),
        async execute({ n }) {
          active++;
          most = Math.max(most, active);
          // Later calls finish first, so completion order differs from call order.
          await new Promise((r) => setTimeout(r, (4 - n) * 10));
          active--;
          finished.push(n);
          return `done ${n}`;
        },
      });
      const model = createMockLanguageModel({
        reply: ({ messages }) =>
          toolResults(messages).length
            ? toolResults(messages)
                .map((r) => r.output)
                .join(", ")
            : callTools([
                ["slow", { n: 1 }, "a"],
                ["slow", { n: 2 }, "b"],
                ["slow", { n: 3 }, "c"],
              ]),
      });
      const result = await runAgent({ model, tools: [slow], prompt: "go", maxParallelTools });
      return { result, most, finished };
    };
    const all = await run();
    expect(all.most).toBe(3);
    expect(all.finished).toEqual([3, 2, 1]);
    expect(all.result.answer).toBe("done 1, done 2, done 3");
    expect(all.result.steps.map((s) => s.toolCallId)).toEqual(["a", "b", "c"]);
    const two = await run(2);
    expect(two.most).toBe(2);
    expect(two.result.answer).toBe("done 1, done 2, done 3");
  });

  it("returns invalid arguments to the model with the schema's issues, and the model can fix them", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) => {
        const results = toolResults(messages);
        if (results.length === 0) return callTools([["add", { a: "three", b: 4 }]]);
        const last = results[results.length - 1];
        if (last?.isError && String(last.output).includes("- a:")) return callTools([["add", { a: 3, b: 4 }]]);
        return `sum ${last?.output}`;
      },
    });
    const result = await runAgent({ model, tools: [add], prompt: "3 + 4?" });
    expect(result.answer).toBe("sum 7");
    expect(result.steps[0]?.isError).toBe(true);
    expect(result.steps[0]?.output).toMatch(/invalid arguments for add:\n- a: .*expected number/i);
    expect(result.steps[1]).toMatchObject({ isError: false, output: 7 });
  });

  it("reads arguments sent as a JSON string, and reports ones that are not JSON", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) => {
        const n = toolResults(messages).length;
        if (n === 0) return callTools([["add", '{"a": 1, "b": 2}']]);
        if (n === 1) return callTools([["add", "{a: 1"]]);
        return "ok";
      },
    });
    const result = await runAgent({ model, tools: [add], prompt: "go" });
    expect(result.steps[0]).toMatchObject({ output: 3, isError: false });
    expect(result.steps[1]?.output).toMatch(/arguments of add are not valid JSON/);
  });

  it("answers a call to an unknown tool with the list of available tools", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length ? String(toolResults(messages)[0]?.output) : callTools([["divide", { a: 1 }]]),
    });
    const result = await runAgent({ model, tools: [add, multiply], prompt: "1 / 2" });
    expect(result.steps[0]).toMatchObject({ tool: "divide", isError: true });
    expect(result.answer).toBe("Error: there is no tool named 'divide'. Available tools: add, multiply.");
  });

  it("reports a throwing tool's message, without a stack, and keeps going", async () => {
    const failing = tool({
      name: "fail",
      description: "Fails.",
      inputSchema: z.object({ weft: z.boolean() }),
      execute: ({ weft }) => {
        if (weft) throw new ToolExecutionError({ tool: "fail", message: "The upstream service said no (HTTP 503)." });
        throw new TypeError("disk on fire");
      },
    });
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length
          ? "recovered"
          : callTools([
              ["fail", { weft: false }, "x"],
              ["fail", { weft: true }, "y"],
            ]),
    });
    const result = await runAgent({ model, tools: [failing], prompt: "try" });
    expect(result.answer).toBe("recovered");
    expect(result.steps.map((s) => s.output)).toEqual([
      "Error: disk on fire",
      "Error: The upstream service said no (HTTP 503).",
    ]);
    expect(result.steps.every((s) => s.isError)).toBe(true);
    const sent = toolResults(model.calls[1]?.messages ?? []);
    expect(sent.map((r) => r.isError)).toEqual([true, true]);
  });

  it("stops at the step limit and asks once more, without tools, for the best answer", async () => {
    let executed = 0;
    const counter = tool({
      name: "count",
      description: "Counts.",
      inputSchema: z.object({}),
      execute: () => ++executed,
    });
    const model = createMockLanguageModel({
      reply: (options, index) =>
        options.toolChoice === "none"
          ? `best guess after ${toolResults(options.messages).length} results`
          : callTools([["count", {}, `k${index}`]]),
    });
    const result = await runAgent({ model, tools: [counter], prompt: "count forever", maxSteps: 3 });
    expect(result.finishReason).toBe("step-limit");
    expect(result.answer).toBe("best guess after 3 results");
    expect(executed).toBe(3);
    expect(model.calls).toHaveLength(4);
    const last = model.calls[3];
    expect(last?.toolChoice).toBe("none");
    expect(last?.tools?.map((t) => t.name)).toEqual(["count"]);
    expect(JSON.stringify(last?.messages.at(-1))).toContain("Answer now");
    // The nudge is not part of the conversation the result records.
    expect(result.messages.at(-1)).toEqual({ role: "assistant", content: "best guess after 3 results" });
  });

  it("sums usage over every model call and adds up the cost", async () => {
    const usages = [
      { inputTokens: 100, outputTokens: 10, totalTokens: 110 },
      { inputTokens: 200, outputTokens: 20, totalTokens: 220, cachedInputTokens: 50 },
      { inputTokens: 300, outputTokens: 30, totalTokens: 330 },
    ];
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: ({ messages }, index) => {
        const n = toolResults(messages).length;
        const reply = n < 2 ? callTools([["add", { a: n, b: 1 }]]) : { text: "done" };
        return { ...(reply as object), usage: usages[index] };
      },
    });
    const result = await runAgent({ model, tools: [add], prompt: "go" });
    expect(result.usage).toEqual({ inputTokens: 600, outputTokens: 60, totalTokens: 660, cachedInputTokens: 50 });
    const expected = usages.reduce(
      (sum, usage) => sum + (costOf({ provider: "openai", modelId: "gpt-4o-mini", usage }) as number),
      0,
    );
    expect(result.costUsd).toBeCloseTo(expected, 12);
    expect(result.costUsd).toBeGreaterThan(0);
  });

  it("reports an unknown price as a null cost", async () => {
    const model = createMockLanguageModel({ provider: "openai", modelId: "no-such-model-xyz", reply: "hi" });
    expect((await runAgent({ model, prompt: "hi" })).costUsd).toBeNull();
  });

  it("cuts a huge tool output to the character budget with a note, and leaves small outputs as they are", async () => {
    const dump = tool({
      name: "dump",
      description: "Returns a lot.",
      inputSchema: z.object({ big: z.boolean() }),
      execute: ({ big }) => (big ? "x".repeat(50_000) : { rows: [1, 2, 3] }),
    });
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length
          ? "ok"
          : callTools([
              ["dump", { big: true }],
              ["dump", { big: false }],
            ]),
    });
    const result = await runAgent({ model, tools: [dump], prompt: "dump", maxToolOutputChars: 1000 });
    const sent = toolResults(model.calls[1]?.messages ?? []);
    const big = String(sent[0]?.output);
    expect(big.startsWith("x".repeat(1000))).toBe(true);
    expect(big).not.toContain("x".repeat(1001));
    expect(big).toMatch(/truncated: the first 1000 of 50000 characters/);
    expect(sent[1]?.output).toEqual({ rows: [1, 2, 3] });
    expect(result.steps[0]?.isError).toBe(false);
  });

  it("records every model call through the model's tracing middleware and one trace per tool call", async () => {
    const records: TraceRecord[] = [];
    const traces = { insert: async (t: TraceRecord) => void records.push(t) };
    const base = createMockLanguageModel({
      reply: ({ messages }) => (toolResults(messages).length ? "7" : callTools([["add", { a: 3, b: 4 }]])),
    });
    const model = wrapModel(base, [tracingMiddleware({ traces, sessionId: "s1" })]);
    await runAgent({ model, tools: [add], prompt: "3 + 4", traces, sessionId: "s1" });
    expect(records.map((r) => r.operation)).toEqual(["generate", "tool", "generate"]);
    const toolTrace = records[1] as TraceRecord;
    expect(toolTrace).toMatchObject({
      provider: "tool",
      modelId: "add",
      input: { a: 3, b: 4 },
      output: 7,
      error: null,
      sessionId: "s1",
      costUsd: 0,
    });
    expect(toolTrace.parameters).toMatchObject({ step: 1, sideEffect: false });
  });

  it("calls onStep after every step", async () => {
    const seen: Array<{ step: number; tools: string[]; results: unknown[] }> = [];
    const model = createMockLanguageModel({
      reply: ({ messages }) => (toolResults(messages).length ? "7" : callTools([["add", { a: 3, b: 4 }]])),
    });
    await runAgent({
      model,
      tools: [add],
      prompt: "3 + 4",
      onStep: (s) =>
        void seen.push({
          step: s.step,
          tools: s.toolCalls.map((c) => c.toolName),
          results: s.results.map((r) => r.output),
        }),
    });
    expect(seen).toEqual([
      { step: 1, tools: ["add"], results: [7] },
      { step: 2, tools: [], results: [] },
    ]);
  });

  it("sends a tool's current description when it changes between runs", async () => {
    const echo = tool({ name: "echo", description: "Echoes.", inputSchema: z.object({}), execute: () => "" });
    const model = createMockLanguageModel({ reply: "hi" });
    await runAgent({ model, tools: [echo], prompt: "a" });
    echo.description = "Echoes loudly.";
    await runAgent({ model, tools: [echo], prompt: "b" });
    expect(model.calls.map((c) => c.tools?.[0]?.description)).toEqual(["Echoes.", "Echoes loudly."]);
  });

  it("passes call settings through to every model call", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) => (toolResults(messages).length ? "7" : callTools([["add", { a: 3, b: 4 }]])),
    });
    await runAgent({ model, tools: [add], prompt: "3 + 4", temperature: 0.2, maxTokens: 50 });
    for (const call of model.calls) expect(call).toMatchObject({ temperature: 0.2, maxTokens: 50 });
  });

  it("rejects options that cannot work with clear errors", async () => {
    const model = createMockLanguageModel();
    const noTools = createMockLanguageModel({ capabilities: { tools: false } });
    await expect(runAgent({ model, tools: [add] })).rejects.toThrow(/needs the user's request/);
    await expect(runAgent({ model, tools: [add, add], prompt: "x" })).rejects.toThrow(/Two tools are named 'add'/);
    await expect(runAgent({ model, prompt: "x", maxSteps: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(runAgent({ model, prompt: "x", timeLimitMs: -1 })).rejects.toThrow(/timeLimitMs/);
    await expect(runAgent({ model: noTools, prompt: "x", protocol: "native" })).rejects.toThrow(
      /has no native tool calling; use protocol "react"/,
    );
  });

  it("lets a model error through instead of hiding it", async () => {
    const model = createMockLanguageModel({
      reply: new InvalidArgumentError({ argument: "x", message: "broken model" }),
    });
    await expect(runAgent({ model, prompt: "x" })).rejects.toThrow("broken model");
  });
});
