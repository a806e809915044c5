import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { costOf } from "../../../src/models/model-facts.js";
import {
  chainOfThoughtSuffix,
  majorityVote,
  normalizeNumber,
  numberAnswer,
  selfConsistency,
} from "../../../src/programs/techniques/index.js";
import type { CallOptions } from "../../../src/spec/index.js";
import { createMockLanguageModel } from "../../../src/testing/index.js";

const repoRoot = resolve(import.meta.dirname, "../../..");
const dataFile = resolve(repoRoot, "../shared/data/gsm8k/train_first500.jsonl");
const hasData = existsSync(dataFile);
if (!hasData) console.log(`Skipping GSM8K self-consistency tests: ${dataFile} is missing.`);

interface Problem {
  question: string;
  /** The dataset's worked solution, ending in "#### N". */
  solution: string;
  /** The gold number, normalised. */
  gold: string;
}

function loadProblems(count: number): Problem[] {
  return readFileSync(dataFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .slice(0, count)
    .map((line) => {
      const { question, answer } = JSON.parse(line) as { question: string; answer: string };
      const raw = answer.match(/\n#### (-?[\d,.]+)\s*$/)?.[1] ?? "";
      return { question, solution: answer, gold: normalizeNumber(raw) as string };
    });
}

const steps = (p: Problem) => p.solution.replace(/\n#### .*$/, "");
const withCommas = (n: string) => Number(n).toLocaleString("en-US", { maximumFractionDigits: 10 });
const wrong = (p: Problem, delta: number) => String(Number(p.gold) + delta);

/** Five scripted reasoning paths in different answer styles; which ones are right is up to the caller. */
function paths(p: Problem, majorityRight: boolean): string[] {
  const right = [
    p.solution, // "#### N", exactly as in the dataset
    `${steps(p)}\nSo the answer is ${withCommas(p.gold)}.0.`, // "1,080.0"
    `${steps(p)}\nThat gives $${p.gold} in the end.`, // no marker: the last number counts
  ];
  const wrongs = [`${steps(p)}\n#### ${wrong(p, 1)}`, `${steps(p)}\nThe answer is ${wrong(p, 1)}.`];
  return majorityRight
    ? [right[0], wrongs[0], right[1], "I could not work this one out.", right[2]].map(String)
    : [wrongs[0], right[0], wrongs[1], right[1], `${steps(p)}\n#### ${withCommas(wrong(p, 1))}`].map(String);
}

function questionOf(call: CallOptions, problems: Problem[]): Problem {
  const text = String(call.messages.at(-1)?.content);
  const found = problems.find((p) => text.startsWith(p.question));
  if (!found) throw new Error(`unexpected prompt: ${text.slice(0, 80)}`);
  return found;
}

describe("majorityVote", () => {
  it("counts normalised answers, ignores samples without one and breaks ties by first appearance", () => {
    expect(majorityVote(["7", undefined, "9", "9", "7"])).toEqual({
      answer: "7",
      votes: [
        { answer: "7", count: 2, firstSample: 0 },
        { answer: "9", count: 2, firstSample: 2 },
      ],
      agreement: 0.5,
      validSamples: 4,
    });
    expect(majorityVote([undefined, undefined])).toEqual({
      answer: undefined,
      votes: [],
      agreement: 0,
      validSamples: 0,
    });
  });
});

describe.skipIf(!hasData)("selfConsistency on GSM8K problems with a scripted model", () => {
  const problems = hasData ? loadProblems(20) : [];

  it("recovers the gold answer when the majority of paths is right, in one call with n choices", async () => {
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      reply: (call) => ({
        choices: paths(questionOf(call, problems), true).map((text) => ({ text, toolCalls: [], finishReason: "stop" })),
      }),
    });
    for (const p of problems) {
      const before = model.calls.length;
      const result = await selfConsistency({ model, prompt: p.question, n: 5, format: numberAnswer() });
      expect(model.calls.length - before).toBe(1);
      const call = model.calls.at(-1);
      expect(call?.n).toBe(5);
      expect(call?.temperature).toBe(0.7);
      expect(call?.messages.at(-1)?.content).toBe(
        `${p.question}\n\n${chainOfThoughtSuffix({ format: numberAnswer() })}`,
      );

      expect(result.answer).toBe(p.gold);
      expect(result.votes).toEqual([
        { answer: p.gold, count: 3, firstSample: 0 },
        { answer: normalizeNumber(wrong(p, 1)), count: 1, firstSample: 1 },
      ]);
      expect(result.validSamples).toBe(4);
      expect(result.agreement).toBe(0.75);
      expect(result.samples).toHaveLength(5);
      expect(result.samples.map((s) => s.answer)).toEqual([p.gold, wrong(p, 1), p.gold, undefined, p.gold]);
      expect(result.samples[0]?.reasoning).toBe(steps(p));
      expect(result.warnings).toEqual(["1 of 5 samples had no number answer."]);
      expect(result.calls).toBe(1);
      expect(result.costUsd).toBe(costOf({ provider: "openai", modelId: "gpt-4o-mini", usage: result.usage }));
    }
  });

  it("returns the wrong majority when most paths agree on it (the vote is only as good as the samples)", async () => {
    const model = createMockLanguageModel({
      reply: (call) => ({
        choices: paths(questionOf(call, problems), false).map((text) => ({
          text,
          toolCalls: [],
          finishReason: "stop",
        })),
      }),
    });
    let recovered = 0;
    for (const p of problems) {
      const result = await selfConsistency({ model, prompt: p.question, n: 5, format: numberAnswer() });
      expect(result.answer).toBe(normalizeNumber(wrong(p, 1)));
      expect(result.agreement).toBe(0.6);
      expect(result.votes[1]).toEqual({ answer: p.gold, count: 2, firstSample: 1 });
      if (result.answer === p.gold) recovered++;
    }
    expect(recovered).toBe(0);
  });

  it("makes n separate calls, at most maxConcurrency at once, when the model cannot return n choices", async () => {
    const [p] = problems as [Problem];
    let inFlight = 0;
    let maxInFlight = 0;
    const model = createMockLanguageModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      capabilities: { multipleChoices: false },
      reply: async (call, index) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return paths(questionOf(call, problems), true)[index % 5] as string;
      },
    });
    const result = await selfConsistency({
      model,
      prompt: p.question,
      n: 5,
      format: numberAnswer(),
      maxConcurrency: 2,
    });
    expect(model.calls).toHaveLength(5);
    expect(model.calls.every((c) => c.n === undefined)).toBe(true);
    expect(maxInFlight).toBe(2);
    expect(result.answer).toBe(p.gold);
    expect(result.agreement).toBe(0.75);
    expect(result.calls).toBe(5);
    const perCall = model.calls.map((c) => String(c.messages.at(-1)?.content).split(/\s+/).length);
    expect(result.usage.inputTokens).toBe(perCall.reduce((a, b) => a + b, 0));
    const expected = costOf({ provider: "openai", modelId: "gpt-4o-mini", usage: result.usage });
    expect(result.costUsd).toBeCloseTo(expected as number, 12);
  });

  it("asks again for the rest when a provider returns fewer choices than n", async () => {
    const [p] = problems as [Problem];
    const model = createMockLanguageModel({
      reply: (call) => ({
        choices: [p.solution, p.solution]
          .slice(0, call.n ?? 1)
          .map((text) => ({ text, toolCalls: [], finishReason: "stop" })),
      }),
    });
    const result = await selfConsistency({ model, prompt: p.question, n: 5, format: numberAnswer() });
    expect(model.calls.map((c) => c.n)).toEqual([5, 3, undefined]);
    expect(result.samples).toHaveLength(5);
    expect(result.agreement).toBe(1);
  });
});

describe("selfConsistency arguments", () => {
  it("rejects a non-positive n and warns about temperature 0", async () => {
    const model = createMockLanguageModel({ reply: "The answer is 4." });
    await expect(selfConsistency({ model, prompt: "2+2?", n: 0 })).rejects.toThrow(/n must be a positive integer/);
    const result = await selfConsistency({ model, prompt: "2+2?", n: 2, temperature: 0 });
    expect(result.warnings[0]).toMatch(/temperature 0/);
    expect(result.answer).toBe("4");
  });
});
