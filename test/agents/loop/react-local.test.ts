import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAgent, streamAgent } from "../../../src/agents/loop/run-agent.js";
import type { AgentEvent } from "../../../src/agents/loop/types.js";
import { createLocal, type LocalProvider } from "../../../src/models/local/index.js";
import type { LanguageModel } from "../../../src/spec/language-model.js";
import { add } from "./helpers.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const modelsDir = path.join(repoRoot, "examples/models");
const STORIES = path.join(modelsDir, "stories260K.gguf");
const has = existsSync(STORIES);
if (!has) console.warn(`[react-local.test] skipping the local ReAct tests: ${STORIES} is missing.`);

// stories260K writes children's stories and follows no instructions: these tests check that the
// loop copes with a real model that ignores the protocol, not that it solves the task.
describe.skipIf(!has)("ReAct on the local stories260K model", () => {
  let local: LocalProvider;
  let model: LanguageModel;
  beforeAll(() => {
    local = createLocal({ threads: 1, modelsDir });
    model = local.languageModel(STORIES);
  });
  afterAll(async () => {
    await local?.dispose();
  });

  it("runs, corrects, and ends at the step limit with a final call", async () => {
    const steps: number[] = [];
    const result = await runAgent({
      model,
      tools: [add],
      prompt: "What is 3 + 4?",
      protocol: "react",
      maxSteps: 1,
      maxCorrections: 5,
      maxTokens: 24,
      temperature: 0,
      onStep: (s) => void steps.push(s.step),
    });
    expect(result.protocol).toBe("react");
    expect(result.finishReason).toBe("step-limit");
    expect(result.modelCalls).toBe(2);
    expect(steps).toEqual([1, 2]);
    expect(typeof result.answer).toBe("string");
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeLessThanOrEqual(2 * 24);
    expect(result.costUsd).toBe(0);
  });

  it("takes the plain reply as the answer once corrections run out", async () => {
    const result = await runAgent({
      model,
      tools: [add],
      prompt: "What is 3 + 4?",
      protocol: "react",
      maxSteps: 4,
      maxCorrections: 0,
      maxTokens: 24,
      temperature: 0,
    });
    expect(result.finishReason).toBe("answer");
    expect(result.modelCalls).toBe(1);
    expect(result.answer.length).toBeGreaterThan(0);
  });

  it("streams to the end and stops cleanly on the time limit or the step limit", async () => {
    const events: AgentEvent[] = [];
    for await (const e of streamAgent({
      model,
      tools: [add],
      prompt: "Add 3 and 4.",
      protocol: "react",
      maxSteps: 1,
      maxTokens: 16,
      temperature: 0,
      timeLimitMs: 60_000,
    }))
      events.push(e);
    const finish = events.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type === "finish") expect(["step-limit", "answer"]).toContain(finish.finishReason);
    expect(events[0]).toEqual({ type: "step-start", step: 1 });
  });
});
