import { describe, expect, it } from "vitest";
import { defaultTreeOfThoughtPrompts, phraseAnswer, treeOfThought } from "../../../src/programs/techniques/index.js";
import type { CallOptions } from "../../../src/spec/index.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";

/** The labelled state a default prompt is about: its last thought, or "root". */
function lastThought(prompt: string): string {
  const steps = prompt.match(/Steps so far:\n([\s\S]*?)(?:\n\n|$)/)?.[1] ?? "";
  return steps === "(none yet)"
    ? "root"
    : (steps
        .split("\n")
        .at(-1)
        ?.replace(/^\d+\. /, "") ?? "");
}

const promptOf = (call: CallOptions) => String(call.messages.at(-1)?.content);
const kindOf = (prompt: string) =>
  prompt.startsWith("Evaluate whether") ? "value" : prompt.includes("best choice is") ? "vote" : "thought";
const choices = (texts: string[]) => ({
  choices: texts.map((text) => ({ text, toolCalls: [], finishReason: "stop" as const })),
});

describe("treeOfThought, BFS with value evaluation", () => {
  // Children of X are X1, X2, X3. Each state's two value samples are scripted so that the state kept
  // first at step 1 (B) is beaten at step 2 by a child of the runner-up (A1).
  const values: Record<string, [string, string]> = {
    A: ["Could work.\nsure", "likely"], // (20 + 1) / 2 = 10.5
    B: ["sure", "sure"], // 20
    C: ["impossible", "likely"], // 0.5005
    B1: ["likely", "likely"], // 1
    B2: ["impossible", "impossible"], // 0.001
    B3: ["sure", "impossible"], // 10.0005
    A1: ["sure", "sure"], // 20
    A2: ["likely", "no idea"], // 0.5: a reply without a label scores 0
    A3: ["likely", "sure"], // 10.5
  };
  const model = () =>
    createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: (call) => {
        const prompt = promptOf(call);
        const state = lastThought(prompt);
        if (kindOf(prompt) === "value") return choices(values[state] ?? ["impossible", "impossible"]);
        const prefix = state === "root" ? "" : state;
        return choices(state === "root" ? ["A", "B", "C"] : [1, 2, 3].map((i) => `${prefix}${i}`));
      },
    });

  it("expands, scores and prunes states in a deterministic order", async () => {
    const m = model();
    const result = await treeOfThought({
      model: m,
      problem: "Reach the goal.",
      breadth: 2,
      depth: 2,
      candidatesPerState: 3,
      evaluate: "value",
      evaluationSamples: 2,
      maxConcurrency: 1,
    });
    expect(result.steps).toEqual([
      { step: 1, expanded: [0], candidates: [1, 2, 3], kept: [2, 1], pruned: [3], duplicates: [] },
      { step: 2, expanded: [2, 1], candidates: [4, 5, 6, 7, 8, 9], kept: [7, 9], pruned: [6, 4, 8, 5], duplicates: [] },
    ]);
    expect(result.nodes.map((n) => [n.id, n.parentId, n.thought, n.status, n.score])).toEqual([
      [0, null, "", "root", undefined],
      [1, 0, "A", "kept", 10.5],
      [2, 0, "B", "kept", 20],
      [3, 0, "C", "pruned", 0.5005],
      [4, 2, "B1", "pruned", 1],
      [5, 2, "B2", "pruned", 0.001],
      [6, 2, "B3", "pruned", 10.0005],
      [7, 1, "A1", "kept", 20],
      [8, 1, "A2", "pruned", 0.5],
      [9, 1, "A3", "kept", 10.5],
    ]);
    expect(result.nodes[8]?.labels).toEqual(["likely", undefined]);
    expect(result.best.id).toBe(7);
    expect(result.bestPath.map((n) => n.thought)).toEqual(["A", "A1"]);
    expect(result.best.thoughts).toEqual(["A", "A1"]);

    // With one call in flight, calls follow the search: generate, then rate each new state.
    const trace = m.calls.map((c) => `${kindOf(promptOf(c))}:${lastThought(promptOf(c))}:n=${c.n}`);
    expect(trace).toEqual([
      "thought:root:n=3",
      "value:A:n=2",
      "value:B:n=2",
      "value:C:n=2",
      "thought:B:n=3",
      "thought:A:n=3",
      ...["B1", "B2", "B3", "A1", "A2", "A3"].map((s) => `value:${s}:n=2`),
    ]);
    expect(result.calls).toBe(12);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.costUsd).toBeGreaterThan(0);
  });

  it("finds the same tree with many calls in flight", async () => {
    const serial = await treeOfThought({
      model: model(),
      problem: "Reach the goal.",
      breadth: 2,
      depth: 2,
      evaluationSamples: 2,
      maxConcurrency: 1,
    });
    const parallel = await treeOfThought({
      model: model(),
      problem: "Reach the goal.",
      breadth: 2,
      depth: 2,
      evaluationSamples: 2,
      maxConcurrency: 8,
    });
    expect(parallel.steps).toEqual(serial.steps);
    expect(parallel.nodes).toEqual(serial.nodes);
  });

  it("draws k separate samples per state and rates each distinct state once", async () => {
    const calls: string[] = [];
    const m = createMockLanguageModel({
      capabilities: { multipleChoices: false },
      reply: (call) => {
        const prompt = promptOf(call);
        calls.push(kindOf(prompt));
        // Every sample proposes the same thought: one candidate, the others duplicates.
        return kindOf(prompt) === "value" ? "likely" : "Same step";
      },
    });
    const result = await treeOfThought({
      model: m,
      problem: "P",
      breadth: 1,
      depth: 1,
      candidatesPerState: 3,
      evaluationSamples: 2,
    });
    expect(calls).toEqual(["thought", "thought", "thought", "value", "value"]);
    expect(result.steps[0]).toMatchObject({ candidates: [1], kept: [1], duplicates: [2, 3] });
    expect(result.nodes.map((n) => n.status)).toEqual(["root", "kept", "duplicate", "duplicate"]);
    expect(result.best.score).toBe(1);
  });
});

describe("treeOfThought, proposals and votes", () => {
  it("parses proposals, tallies votes per step and extracts the final answer", async () => {
    const votesAtStep1 = ["Choice 2 is cleaner. The best choice is 2", "The best choice is 1", "The best choice is 2"];
    let vote = 0;
    const m = createMockLanguageModel({
      capabilities: { multipleChoices: false },
      reply: (call) => {
        const prompt = promptOf(call);
        if (kindOf(prompt) === "vote") {
          const reply = prompt.includes("Choice 2:")
            ? votesAtStep1[vote % 3]
            : ["The best choice is 1", "The best choice is 7"][vote % 2];
          vote++;
          return reply as string;
        }
        const state = lastThought(prompt);
        if (state === "root") return "1. Try halving\n2. Try doubling\n3. Try guessing";
        return "- Double 12 to get 24, so the answer is 24.\n- Double 12 to get 24, so the answer is 24.";
      },
    });
    const result = await treeOfThought({
      model: m,
      problem: "Make 24 from 12.",
      breadth: 1,
      depth: 2,
      candidatesPerState: 2,
      generate: "propose",
      evaluate: "vote",
      evaluationSamples: 3,
      format: phraseAnswer(),
      maxConcurrency: 1,
    });
    expect(result.nodes.map((n) => [n.id, n.thought, n.status, n.votes, n.score])).toEqual([
      [0, "", "root", undefined, undefined],
      [1, "Try halving", "pruned", 1, 1 / 3],
      [2, "Try doubling", "kept", 2, 2 / 3],
      // Step 2's votes alternate "7" (out of range, ignored), "1", "7".
      [3, "Double 12 to get 24, so the answer is 24.", "kept", 1, 1 / 3],
      [4, "Double 12 to get 24, so the answer is 24.", "duplicate", undefined, undefined],
    ]);
    expect(result.steps.map((s) => [s.expanded, s.kept, s.pruned, s.duplicates])).toEqual([
      [[0], [2], [1], []],
      [[2], [3], [], [4]],
    ]);
    expect(result.answer).toBe("24");
    expect(result.bestPath.map((n) => n.id)).toEqual([2, 3]);
    // 2 proposals + 3 votes per step
    expect(result.calls).toBe(8);
  });

  it("uses custom prompts and value labels", async () => {
    const m = createMockLanguageModel({
      reply: (call) => {
        const prompt = promptOf(call);
        if (prompt.startsWith("RATE")) return choices([prompt.includes("good") ? "great" : "bad"]);
        return choices(["good idea", "poor idea"]);
      },
    });
    const result = await treeOfThought({
      model: m,
      problem: "P",
      breadth: 1,
      depth: 1,
      candidatesPerState: 2,
      evaluationSamples: 1,
      valueLabels: { great: 5, bad: 0 },
      prompts: { value: ({ thoughts, labels }) => `RATE ${thoughts.join(" / ")} as ${labels.join("|")}` },
    });
    expect(m.calls.map((c) => promptOf(c)).filter((p) => p.startsWith("RATE"))).toEqual([
      "RATE good idea as great|bad",
      "RATE poor idea as great|bad",
    ]);
    expect(result.best.thought).toBe("good idea");
    expect(result.best.score).toBe(5);
  });

  it("stops early when no thought comes back, keeping the previous best", async () => {
    const m = createMockLanguageModel({
      capabilities: { multipleChoices: false },
      reply: (call) =>
        lastThought(promptOf(call)) === "root" ? "First" : promptOf(call).startsWith("Evaluate") ? "sure" : "  ",
    });
    const result = await treeOfThought({
      model: m,
      problem: "P",
      breadth: 1,
      depth: 3,
      candidatesPerState: 1,
      evaluationSamples: 1,
    });
    expect(result.steps.map((s) => s.candidates)).toEqual([[1], []]);
    expect(result.best.thought).toBe("First");
  });

  it("validates its numeric options", async () => {
    const m = createMockLanguageModel();
    await expect(treeOfThought({ model: m, problem: "P", breadth: 0 })).rejects.toThrow(
      /breadth must be a positive integer/,
    );
    await expect(treeOfThought({ model: m, problem: " " })).rejects.toThrow(/problem is empty/);
    expect(m.calls).toHaveLength(0);
  });
});

describe("default tree-of-thought parsers", () => {
  const p = defaultTreeOfThoughtPrompts;
  it("read the last label, the last vote and numbered or bulleted proposals", () => {
    expect(p.parseValue("sure it works?\nI think: impossible", ["sure", "likely", "impossible"])).toBe("impossible");
    expect(p.parseValue("Likely.", ["sure", "likely"])).toBe("likely");
    expect(p.parseValue("no verdict", ["sure"])).toBeUndefined();
    expect(p.parseVote("The best choice is 3. Actually the best choice is 2", 3)).toBe(2);
    expect(p.parseVote("The best choice is 4", 3)).toBeUndefined();
    expect(p.parseProposals("1. a\n2) b\n\n- c\nStep 4: d", 3)).toEqual(["a", "b", "c"]);
    expect(p.parseProposals("-6 * -4 = 24\n1.5 + 2 = 3.5\n* x", 3)).toEqual(["-6 * -4 = 24", "1.5 + 2 = 3.5", "x"]);
  });
});
