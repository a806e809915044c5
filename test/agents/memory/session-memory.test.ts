import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAgent } from "../../../src/agents/loop/run-agent.js";
import { bufferMemory } from "../../../src/agents/memory/buffer-memory.js";
import type { ConversationMemory } from "../../../src/agents/memory/memory.js";
import { sessionMemory } from "../../../src/agents/memory/session-memory.js";
import { summaryMemory } from "../../../src/agents/memory/summary-memory.js";
import type { Message } from "../../../src/spec/language-model.js";
import type { Store } from "../../../src/spec/store.js";
import { openStore } from "../../../src/store/index.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";
import { add, callTools } from "../loop/helpers.js";

const root = mkdtempSync(path.join(tmpdir(), "weft-agent-memory-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `store-${++counter}.db`);

const words = (text: string) => (text.trim() ? text.trim().split(/\s+/).length : 0);

/** A model that adds when asked "a + b?" and otherwise says how many user turns it can see. */
function arithmetic() {
  return createMockLanguageModel({
    reply: ({ messages }) => {
      const last = messages.at(-1);
      if (last?.role === "tool") return `It is ${String(last.content[0]?.output)}.`;
      const text = typeof last?.content === "string" ? last.content : "";
      const sum = text.match(/^(\d+) \+ (\d+)\?$/);
      if (sum) return callTools([["add", { a: Number(sum[1]), b: Number(sum[2]) }]]);
      return `I see ${messages.filter((m) => m.role === "user").length} user turns.`;
    },
  });
}

async function withStore<T>(file: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ path: file });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe("sessionMemory on a SQLite store", () => {
  it("continues a conversation across runs and across reopening the store", async () => {
    const file = freshPath();
    const model = arithmetic();
    await withStore(file, async (store) => {
      const memory = sessionMemory({ sessions: store.sessions, name: "maths" });
      const first = await runAgent({ model, tools: [add], prompt: "2 + 3?", memory });
      expect(first.answer).toBe("It is 5.");
      const second = await runAgent({ model, tools: [add], prompt: "How many?", memory });
      expect(second.answer).toBe("I see 2 user turns.");
    });
    await withStore(file, async (store) => {
      const saved = await store.sessions.messages("maths");
      expect(saved.map((m) => m.role)).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant"]);
      const memory = sessionMemory({ sessions: store.sessions, name: "maths" });
      const third = await runAgent({ model, tools: [add], prompt: "And now?", memory });
      expect(third.answer).toBe("I see 3 user turns.");
      // A different session starts empty.
      const other = await runAgent({
        model,
        prompt: "And now?",
        memory: sessionMemory({ sessions: store.sessions, name: "other" }),
      });
      expect(other.answer).toBe("I see 1 user turns.");
    });
  });

  it("keeps only the inner memory's window in the prompt while the store keeps everything", async () => {
    await withStore(freshPath(), async (store) => {
      const model = arithmetic();
      const memory = sessionMemory({
        sessions: store.sessions,
        name: "short",
        inner: bufferMemory({ maxTokens: 30, countTokens: words }),
      });
      for (let i = 0; i < 5; i++) await runAgent({ model, prompt: `Question number ${i}`, memory });
      expect(await store.sessions.messages("short")).toHaveLength(10);
      const sent = model.calls.at(-1)?.messages ?? [];
      expect(sent.length).toBeLessThan(10);
      expect(sent.at(-1)).toEqual({ role: "user", content: "Question number 4" });
    });
  });

  it("persists the running summary in the session metadata, next to other metadata", async () => {
    const file = freshPath();
    const summarizer = createMockLanguageModel({
      reply: ({ messages }) => {
        const prompt = String(messages.at(-1)?.content);
        const previous = prompt.match(/^Summary so far:\n(.*)\n\n/)?.[1];
        const folded = (prompt.match(/^user: /gm) ?? []).length;
        return `${previous ? `${previous} + ` : ""}${folded} user turns`;
      },
    });
    const model = arithmetic();
    const memoryOf = (store: Store): ConversationMemory =>
      sessionMemory({
        sessions: store.sessions,
        name: "long",
        inner: summaryMemory({ model: summarizer, maxTokens: 40, keepRecent: 2, countTokens: words }),
      });
    await withStore(file, async (store) => {
      await store.sessions.setMetadata("long", { system: "Be brief.", model: "mock:mock-model" });
      const memory = memoryOf(store);
      for (let i = 0; i < 4; i++) await runAgent({ model, prompt: `This is question number ${i} of the day`, memory });
      const info = await store.sessions.get("long");
      expect(info?.metadata).toMatchObject({ system: "Be brief.", model: "mock:mock-model" });
      expect(info?.metadata.memory).toMatchObject({
        summary: expect.stringMatching(/user turns$/),
        summarized: expect.any(Number),
      });
      // The last answer may overflow the window again: fold it now, so the reopened store has nothing to do.
      await memory.load();
    });
    await withStore(file, async (store) => {
      const before = summarizer.calls.length;
      const loaded = await memoryOf(store).load();
      const info = await store.sessions.get("long");
      const summary = (info?.metadata.memory as { summary?: string } | undefined)?.summary;
      // Reopened: the stored summary leads the history, and nothing had to be summarised again.
      expect(summarizer.calls.length).toBe(before);
      expect(loaded[0]).toEqual({ role: "system", content: `Summary of the earlier conversation:\n${summary}` });
      expect(loaded.at(-1)).toMatchObject({ role: "assistant" });
    });
  });

  it("clear forgets the messages and the summary but keeps the session's other metadata", async () => {
    await withStore(freshPath(), async (store) => {
      const memory = sessionMemory({ sessions: store.sessions, name: "c" });
      await store.sessions.setMetadata("c", { system: "x", memory: { summary: "old", summarized: 1 } });
      await memory.save([{ role: "user", content: "hi" }]);
      await memory.clear();
      expect(await memory.load()).toEqual([]);
      expect((await store.sessions.get("c"))?.metadata).toEqual({ system: "x" });
    });
  });

  it("refuses a missing name or an inner memory it cannot move", async () => {
    await withStore(freshPath(), async (store) => {
      expect(() => sessionMemory({ sessions: store.sessions, name: "" })).toThrow(/needs a session name/);
      const fixed: ConversationMemory = { load: async () => [], save: async () => {}, clear: async () => {} };
      expect(() => sessionMemory({ sessions: store.sessions, name: "x", inner: fixed })).toThrow(/no withLog/);
    });
  });
});

describe("summaryMemory", () => {
  const turns = (n: number): Message[] =>
    Array.from({ length: n }, (_, i): Message[] => [
      { role: "user", content: `question ${i} about some topic` },
      { role: "assistant", content: `answer ${i} with some detail` },
    ]).flat();

  it("folds older turns into a summary when the window overflows, keeping recent turns verbatim", async () => {
    const summarizer = createMockLanguageModel({ reply: "They talked about topics 0 to 3." });
    // 10 messages of 4 + 5 tokens = 90 tokens, over a 50-token budget.
    const memory = summaryMemory({ model: summarizer, maxTokens: 50, keepRecent: 2, countTokens: words });
    await memory.save(turns(5));
    const loaded = await memory.load();
    expect(summarizer.calls).toHaveLength(1);
    const prompt = String(summarizer.calls[0]?.messages.at(-1)?.content);
    expect(prompt).toContain("user: question 0 about some topic");
    expect(prompt).toContain("assistant: answer 3 with some detail");
    expect(prompt).not.toContain("question 4");
    expect(loaded).toEqual([
      { role: "system", content: "Summary of the earlier conversation:\nThey talked about topics 0 to 3." },
      { role: "user", content: "question 4 about some topic" },
      { role: "assistant", content: "answer 4 with some detail" },
    ]);
    // Within budget now: loading again makes no call.
    await memory.load();
    expect(summarizer.calls).toHaveLength(1);
  });

  it("folds again with the previous summary once new turns overflow the window", async () => {
    const summarizer = createMockLanguageModel({ reply: (_o, i) => `summary ${i + 1}` });
    const memory = summaryMemory({ model: summarizer, maxTokens: 50, keepRecent: 2, countTokens: words });
    await memory.save(turns(5));
    await memory.load();
    await memory.save(turns(3));
    await memory.load();
    expect(summarizer.calls).toHaveLength(2);
    expect(String(summarizer.calls[1]?.messages.at(-1)?.content)).toMatch(/^Summary so far:\nsummary 1\n/);
    expect((await memory.load())[0]).toEqual({
      role: "system",
      content: "Summary of the earlier conversation:\nsummary 2",
    });
  });

  it("does not split a tool call from its results when choosing what to keep", async () => {
    const summarizer = createMockLanguageModel({ reply: "s" });
    const memory = summaryMemory({ model: summarizer, maxTokens: 30, keepRecent: 1, countTokens: words });
    await memory.save([
      ...turns(3),
      { role: "assistant", content: [{ type: "tool-call", toolCallId: "t", toolName: "add", input: { a: 1, b: 1 } }] },
      { role: "tool", content: [{ type: "tool-result", toolCallId: "t", toolName: "add", output: 2 }] },
    ]);
    const loaded = await memory.load();
    expect(loaded.map((m) => m.role)).toEqual(["system", "assistant", "tool"]);
  });

  it("rejects bad options", () => {
    const model = createMockLanguageModel();
    expect(() => summaryMemory({ model, maxTokens: -5 })).toThrow(/positive whole number/);
    expect(() => summaryMemory({ model, maxTokens: 10, keepRecent: -1 })).toThrow(/keepRecent/);
  });
});
