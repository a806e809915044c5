import { describe, expect, it } from "vitest";
import { z } from "zod";
import { streamAgent } from "../../../src/agents/loop/run-agent.js";
import type { AgentEvent } from "../../../src/agents/loop/types.js";
import { tool } from "../../../src/agents/tool.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { add, callTools, toolResults } from "./helpers.js";

async function collect(stream: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

describe("streamAgent", () => {
  it("streams step starts, text, tool calls and results, then the finish event, in order", async () => {
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length
          ? `The sum is ${toolResults(messages)[0]?.output}.`
          : callTools([["add", { a: 3, b: 4 }, "t1"]], "Adding."),
    });
    const stream = streamAgent({ model, tools: [add], prompt: "3 + 4?" });
    const events = await collect(stream);
    const compact = events.map((e) => {
      if (e.type === "text-delta") return `text:${e.delta}`;
      if (e.type === "tool-call") return `call:${e.toolCall.toolName}`;
      if (e.type === "tool-result") return `result:${JSON.stringify(e.output)}`;
      if (e.type === "step-start") return `step:${e.step}`;
      return e.type;
    });
    expect(compact).toEqual([
      "step:1",
      "text:Adding.",
      "call:add",
      "result:7",
      "step:2",
      "text:The",
      "text: sum",
      "text: is",
      "text: 7.",
      "finish",
    ]);
    const finish = events.at(-1);
    const result = await stream.result;
    expect(finish).toEqual({ type: "finish", ...result });
    expect(result.answer).toBe("The sum is 7.");
    expect(result.finishReason).toBe("answer");
    expect(result.steps).toHaveLength(1);
  });

  it("emits tool results in call order even when later calls finish first", async () => {
    const slow = tool({
      name: "slow",
      description: "Waits n ticks.",
      inputSchema: z.object({ n: z.number() }),
      execute: async ({ n }) => {
        await new Promise((r) => setTimeout(r, n * 10));
        return n;
      },
    });
    const model = createMockLanguageModel({
      reply: ({ messages }) =>
        toolResults(messages).length
          ? "done"
          : callTools([
              ["slow", { n: 3 }, "a"],
              ["slow", { n: 1 }, "b"],
              ["nope", {}, "c"],
            ]),
    });
    const events = await collect(streamAgent({ model, tools: [slow], prompt: "go" }));
    const results = events.flatMap((e) => (e.type === "tool-result" ? [e.toolCallId] : []));
    expect(results).toEqual(["a", "b", "c"]);
  });

  it("starts the run when only the result is read", async () => {
    const model = createMockLanguageModel({ reply: "hello there" });
    const { answer } = await streamAgent({ model, prompt: "hi" }).result;
    expect(answer).toBe("hello there");
  });

  it("aborts the run when the reader stops early", async () => {
    let aborted = false;
    const wait = tool({
      name: "wait",
      description: "Waits.",
      inputSchema: z.object({}),
      execute: (_i, { abortSignal }) =>
        new Promise((resolve) => {
          abortSignal.addEventListener("abort", () => {
            aborted = true;
            resolve("stopped");
          });
        }),
    });
    const model = createMockLanguageModel({ reply: callTools([["wait", {}]]) });
    const stream = streamAgent({ model, tools: [wait], prompt: "go" });
    for await (const e of stream) if (e.type === "tool-call") break;
    const result = await stream.result;
    expect(aborted).toBe(true);
    expect(result.finishReason).toBe("aborted");
    expect(model.calls).toHaveLength(1);
  });

  it("throws the run's error from the iteration", async () => {
    const model = createMockLanguageModel({ reply: new Error("model exploded") });
    await expect(collect(streamAgent({ model, prompt: "hi", maxRetries: 0 }))).rejects.toThrow("model exploded");
    await expect(collect(streamAgent({ model, maxRetries: 0 }))).rejects.toThrow(/needs the user's request/);
  });
});
