import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseReActReply, reactSystemPrompt } from "../../../src/agents/loop/react-protocol.js";
import { runAgent, streamAgent } from "../../../src/agents/loop/run-agent.js";
import type { AgentEvent } from "../../../src/agents/loop/types.js";
import { type AnyTool, tool } from "../../../src/agents/tool.js";
import type { Message } from "../../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { add, lastText } from "./helpers.js";

const search = tool({
  name: "search",
  description: "Searches the web.",
  inputSchema: z.object({ query: z.string() }),
  execute: ({ query }) => `results for ${query}`,
});
const tools = new Map<string, AnyTool>([
  ["add", add],
  ["search", search],
]);

describe("parseReActReply", () => {
  it("reads a plain action", () => {
    expect(parseReActReply('Thought: I should add.\nAction: add\nAction Input: {"a": 1, "b": 2}', tools)).toEqual({
      type: "action",
      thought: "I should add.",
      toolName: "add",
      input: { a: 1, b: 2 },
      text: 'Thought: I should add.\nAction: add\nAction Input: {"a":1,"b":2}',
    });
  });

  it.each([
    ["code fences around the input", 'Thought: add\nAction: add\nAction Input:\n```json\n{"a": 1, "b": 2}\n```'],
    ["markdown emphasis and other case", '**Thought:** add\n**Action:** `add`\n**action input**: {"a": 1, "b": 2}'],
    ["text after the input", 'Action: add\nAction Input: {"a": 1, "b": 2} and then I will see.'],
    ["an invented observation", 'Action: add\nAction Input: {"a": 1, "b": 2}\nObservation: 3\nFinal Answer: 3'],
    ["single quotes", "Action: add\nAction Input: {'a': 1, 'b': 2}"],
    ["the whole reply in a fence", '```\nThought: add\nAction: add\nAction Input: {"a": 1, "b": 2}\n```'],
    ["the tool name on the next line", 'Action:\nadd\nAction Input: {"a": 1, "b": 2}'],
  ])("tolerates %s", (_name, text) => {
    expect(parseReActReply(text, tools)).toMatchObject({ type: "action", toolName: "add", input: { a: 1, b: 2 } });
  });

  it("wraps a bare value for a tool with a single parameter", () => {
    expect(parseReActReply('Action: search\nAction Input: "weft agents"', tools)).toMatchObject({
      input: { query: "weft agents" },
    });
    expect(parseReActReply("Action: search\nAction Input: weft agents", tools)).toMatchObject({
      input: { query: "weft agents" },
    });
  });

  it("keeps input it cannot read as text for validation to report", () => {
    expect(parseReActReply("Action: add\nAction Input: one and two", tools)).toMatchObject({
      type: "action",
      input: "one and two",
    });
  });

  it("reads a final answer, and prefers whichever of action and answer comes first", () => {
    expect(parseReActReply("Thought: I know it.\nFinal Answer: 42 is the answer.\nThanks!", tools)).toEqual({
      type: "final",
      thought: "I know it.",
      answer: "42 is the answer.\nThanks!",
    });
    expect(parseReActReply("Final Answer: 3\nAction: add", tools)).toMatchObject({
      type: "final",
      answer: "3\nAction: add",
    });
  });

  it("ignores everything from an invented Observation on", () => {
    expect(parseReActReply("Final Answer: 7\nObservation: the user is happy\nThought: more", tools)).toMatchObject({
      type: "final",
      answer: "7",
    });
  });

  it("rejects replies without substance", () => {
    expect(parseReActReply("Once upon a time there was a cat.", tools)).toMatchObject({
      type: "invalid",
      reason: expect.stringMatching(/neither an 'Action:' line nor a 'Final Answer:' line/),
    });
    expect(parseReActReply("Final Answer:   ", tools)).toMatchObject({
      type: "invalid",
      reason: "the Final Answer is empty",
    });
    expect(parseReActReply("Action:\nAction Input: {}", tools)).toMatchObject({ type: "invalid" });
    expect(parseReActReply("The transaction: done", tools)).toMatchObject({ type: "invalid" });
  });
});

describe("reactSystemPrompt", () => {
  it("lists every tool with its description and input schema, and the format", () => {
    const prompt = reactSystemPrompt([add, search], "Be brief.");
    expect(prompt.startsWith("Be brief.\n\n")).toBe(true);
    expect(prompt).toContain("- add: Adds two numbers.");
    expect(prompt).toContain('"required":["a","b"]');
    expect(prompt).toContain("Action: the tool to use, one of [add, search]");
    expect(prompt).toContain("Final Answer:");
    expect(prompt).not.toContain("$schema");
  });
});

describe("runAgent with the ReAct protocol", () => {
  const script = (messages: Message[]) => {
    const last = lastText(messages);
    if (last.startsWith("Observation: ")) return `Thought: I have it.\nFinal Answer: The sum is ${last.slice(13)}.`;
    return 'Thought: I need to add.\nAction: add\nAction Input: {"a": 3, "b": 4}\nObservation: 8';
  };

  it("is chosen for models without tool calling, runs the tool and reads the final answer", async () => {
    const model = createMockLanguageModel({
      capabilities: { tools: false },
      reply: ({ messages }) => script(messages),
    });
    const result = await runAgent({ model, tools: [add], system: "Be exact.", prompt: "3 + 4?", stop: ["END"] });
    expect(result.protocol).toBe("react");
    expect(result.answer).toBe("The sum is 7.");
    expect(result.finishReason).toBe("answer");
    expect(result.steps).toEqual([
      { step: 1, toolCallId: "react_1", tool: "add", input: { a: 3, b: 4 }, output: 7, isError: false },
    ]);
    const first = model.calls[0];
    expect(first?.tools).toBeUndefined();
    expect(first?.stop).toEqual(["END", "Observation:"]);
    expect(first?.messages[0]?.role).toBe("system");
    expect(String(first?.messages[0]?.content)).toMatch(/^Be exact\.\n\nYou can use these tools:\n- add/);
    // The model never sees its invented observation, only the real one.
    const second = model.calls[1]?.messages ?? [];
    expect(second.slice(-2)).toEqual([
      { role: "assistant", content: 'Thought: I need to add.\nAction: add\nAction Input: {"a":3,"b":4}' },
      { role: "user", content: "Observation: 7" },
    ]);
    // The result records the turns in native form.
    expect(result.messages).toEqual([
      { role: "user", content: "3 + 4?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "I need to add." },
          { type: "tool-call", toolCallId: "react_1", toolName: "add", input: { a: 3, b: 4 } },
        ],
      },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "react_1", toolName: "add", output: 7 }] },
      { role: "assistant", content: "The sum is 7." },
    ]);
  });

  it("is used on request even when the model has native tool calling", async () => {
    const model = createMockLanguageModel({ reply: ({ messages }) => script(messages) });
    const result = await runAgent({ model, tools: [add], prompt: "3 + 4?", protocol: "react" });
    expect(result.protocol).toBe("react");
    expect(result.answer).toBe("The sum is 7.");
  });

  it("feeds validation errors back as the observation", async () => {
    const model = createMockLanguageModel({
      capabilities: { tools: false },
      reply: ({ messages }) => {
        const last = lastText(messages);
        if (last.includes("invalid arguments for add")) return 'Action: add\nAction Input: {"a": 1, "b": 1}';
        if (last.startsWith("Observation: ")) return `Final Answer: ${last.slice(13)}`;
        return 'Action: add\nAction Input: {"a": "one"}';
      },
    });
    const result = await runAgent({ model, tools: [add], prompt: "1 + 1" });
    expect(result.answer).toBe("2");
    expect(result.steps[0]?.output).toMatch(/- a: .*\n- b: /);
  });

  it("answers replies out of format with a correction, then accepts a plain reply after maxCorrections", async () => {
    const model = createMockLanguageModel({
      capabilities: { tools: false },
      reply: ({ messages }) =>
        lastText(messages).startsWith("Your reply did not follow the format")
          ? "Final Answer: corrected"
          : "I just chat.",
    });
    const corrected = await runAgent({ model, tools: [add], prompt: "hi" });
    expect(corrected.answer).toBe("corrected");
    expect(model.calls).toHaveLength(2);
    expect(lastText(model.calls[1]?.messages ?? [])).toMatch(/Action: one of \[add\]/);

    const stubborn = createMockLanguageModel({ capabilities: { tools: false }, reply: "Thought: hmm\nI just chat." });
    const plain = await runAgent({ model: stubborn, tools: [add], prompt: "hi", maxCorrections: 1 });
    expect(stubborn.calls).toHaveLength(2);
    expect(plain).toMatchObject({ answer: "hmm\nI just chat.", finishReason: "answer" });
  });

  it("stops at the step limit and asks for a final answer", async () => {
    const model = createMockLanguageModel({
      capabilities: { tools: false },
      reply: ({ messages }) =>
        lastText(messages).includes("You have used every tool call")
          ? "Thought: enough\nFinal Answer: partial"
          : 'Action: search\nAction Input: {"query": "more"}',
    });
    const result = await runAgent({ model, tools: [search], prompt: "dig", maxSteps: 2 });
    expect(result).toMatchObject({ finishReason: "step-limit", answer: "partial", modelCalls: 3 });
    expect(result.steps).toHaveLength(2);
  });

  it("streams only the final answer's text", async () => {
    const model = createMockLanguageModel({
      capabilities: { tools: false },
      chunkSize: 3,
      reply: ({ messages }) => script(messages),
    });
    const events: AgentEvent[] = [];
    for await (const e of streamAgent({ model, tools: [add], prompt: "3 + 4?" })) events.push(e);
    const text = events.flatMap((e) => (e.type === "text-delta" ? [e.delta] : [])).join("");
    expect(text).toBe("The sum is 7.");
    expect(events.filter((e) => e.type === "tool-call")).toHaveLength(1);
  });

  it("renders earlier native turns as ReAct text", async () => {
    const model = createMockLanguageModel({ capabilities: { tools: false }, reply: "Final Answer: ok" });
    await runAgent({
      model,
      tools: [add],
      messages: [
        { role: "user", content: "1 + 1?" },
        {
          role: "assistant",
          content: [{ type: "tool-call", toolCallId: "x", toolName: "add", input: { a: 1, b: 1 } }],
        },
        { role: "tool", content: [{ type: "tool-result", toolCallId: "x", toolName: "add", output: 2 }] },
        { role: "assistant", content: "2" },
      ],
      prompt: "and 2 + 2?",
    });
    expect(model.calls[0]?.messages.slice(1)).toEqual([
      { role: "user", content: "1 + 1?" },
      { role: "assistant", content: 'Action: add\nAction Input: {"a":1,"b":1}' },
      { role: "user", content: "Observation: 2" },
      { role: "assistant", content: "Final Answer: 2" },
      { role: "user", content: "and 2 + 2?" },
    ]);
  });
});
