import { describe, expect, it } from "vitest";
import { runAgent } from "../../../src/agents/loop/run-agent.js";
import { bufferMemory } from "../../../src/agents/memory/buffer-memory.js";
import { messageLog, turnBlocks, windowMessages } from "../../../src/agents/memory/memory.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";
import type { Message } from "../../../src/spec/language-model.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { add, callTools, toolResults } from "../loop/helpers.js";

// One token per word, plus the 4 every message costs: easy to reason about in assertions.
const words = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

const user = (content: string): Message => ({ role: "user", content });
const assistant = (content: string): Message => ({ role: "assistant", content });
const call = (id: string): Message => ({
  role: "assistant",
  content: [{ type: "tool-call", toolCallId: id, toolName: "add", input: { a: 1, b: 2 } }],
});
const result = (id: string): Message => ({
  role: "tool",
  content: [{ type: "tool-result", toolCallId: id, toolName: "add", output: 3 }],
});

describe("windowMessages", () => {
  it("keeps the most recent messages that fit the budget", async () => {
    const history = [user("one two"), assistant("three four"), user("five six"), assistant("seven eight")];
    // Each message costs 4 + 2 = 6 tokens.
    expect(await windowMessages(history, 12, words)).toEqual(history.slice(2));
    expect(await windowMessages(history, 17, words)).toEqual(history.slice(2));
    expect(await windowMessages(history, 18, words)).toEqual(history.slice(1));
    expect(await windowMessages(history, 100, words)).toEqual(history);
  });

  it("never separates a tool call from its results", async () => {
    const history = [user("add them"), call("x"), result("x"), assistant("it is three")];
    expect(turnBlocks(history)).toEqual([[history[0]], [history[1], history[2]], [history[3]]]);
    const sizes = await Promise.all(history.map(async (m) => (await windowMessages([m], 1000, words)).length));
    expect(sizes).toEqual([1, 1, 0, 1]); // a lone tool message is an orphan and is dropped
    for (let budget = 1; budget <= 40; budget++) {
      const kept = await windowMessages(history, budget, words);
      const calls = kept.filter((m) => m.role === "assistant" && typeof m.content !== "string").length;
      const results = kept.filter((m) => m.role === "tool").length;
      expect(calls).toBe(results);
      expect(kept.at(-1)).toEqual(history[3]);
    }
  });

  it("always keeps system messages and the newest turn", async () => {
    const history: Message[] = [
      { role: "system", content: "You are terse." },
      user("a b c d e f g h"),
      assistant("a long answer with many many words in it"),
    ];
    const kept = await windowMessages(history, 5, words);
    expect(kept).toEqual([history[0], history[2]]);
  });
});

describe("bufferMemory", () => {
  it("rejects a missing or bad budget", () => {
    expect(() => bufferMemory({ maxTokens: 0 })).toThrow(InvalidArgumentError);
    expect(() => bufferMemory({} as { maxTokens: number })).toThrow(/needs maxTokens/);
  });

  it("lets a second run see the first one's turns, tool calls included", async () => {
    const memory = bufferMemory({ maxTokens: 4000 });
    const model = createMockLanguageModel({
      reply: ({ messages }) => {
        const last = messages.at(-1);
        if (last?.role === "user" && last.content === "What is 1 + 2?") return callTools([["add", { a: 1, b: 2 }]]);
        if (last?.role === "tool") return "3";
        return `I remember ${toolResults(messages).length} tool result(s).`;
      },
    });
    await runAgent({ model, tools: [add], prompt: "What is 1 + 2?", memory });
    const second = await runAgent({ model, tools: [add], prompt: "What did you compute?", memory });
    expect(second.answer).toBe("I remember 1 tool result(s).");
    const sent = model.calls[2]?.messages ?? [];
    expect(sent.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    // The memory holds both turns, and a later window drops the oldest whole turns first.
    expect(await memory.load()).toHaveLength(6);
    const small = bufferMemory({ maxTokens: 20, countTokens: words, log: messageLog(await memory.load()) });
    expect(await small.load()).toEqual([
      { role: "user", content: "What did you compute?" },
      { role: "assistant", content: "I remember 1 tool result(s)." },
    ]);
  });

  it("forgets on clear", async () => {
    const memory = bufferMemory({ maxTokens: 100 });
    await memory.save([user("hi")]);
    await memory.clear();
    expect(await memory.load()).toEqual([]);
  });
});
