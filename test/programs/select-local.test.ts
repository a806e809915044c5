import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateText } from "../../src/generate/index.js";
import { createLocal, type LocalProvider } from "../../src/models/local/index.js";
import { selectOption } from "../../src/programs/select.js";
import type { LanguageModel } from "../../src/spec/language-model.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STORIES = path.join(repoRoot, "examples/models/stories260K.gguf");
const hasStories = existsSync(STORIES);
if (!hasStories) console.warn(`[select-local.test] skipping: ${STORIES} is missing.`);

const PROMPT = "Once upon a time, there was a little";
const OPTIONS = [" girl", " boy", " dog", " car"];

describe.skipIf(!hasStories)("select on the local story model (doScore)", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1 });
    model = local.languageModel(STORIES);
  });
  afterAll(async () => {
    await local?.dispose();
  });

  it("scores every option and picks the argmax of finite log probabilities", async () => {
    const result = await selectOption({ model, rawPrompt: PROMPT, options: OPTIONS });
    expect(result.method).toBe("score");
    expect(result.logprobs).toHaveLength(4);
    for (const logprob of result.logprobs) {
      expect(Number.isFinite(logprob)).toBe(true);
      expect(logprob).toBeLessThan(0);
    }
    const values = result.logprobs as number[];
    expect(result.index).toBe(values.indexOf(Math.max(...values)));
    expect(result.option).toBe(" girl");
    expect(result.costUsd).toBe(0);
    expect(result.calls).toBe(1);
    // The prompt (with its beginning token) and each option's tokens were evaluated.
    expect(result.usage.inputTokens).toBeGreaterThan(10);
  });

  it("agrees with greedy generation: the greedy next word is the top option, with the same log probability", async () => {
    const scored = await selectOption({ model, rawPrompt: PROMPT, options: OPTIONS });
    const greedy = await generateText({ model, rawPrompt: PROMPT, maxTokens: 3, temperature: 0, logprobs: true });
    // A raw completion keeps the leading space of its first word.
    expect(greedy.text.startsWith(" girl")).toBe(true);
    const tokens = greedy.logprobs ?? [];
    expect(tokens.map((t) => t.token).join("")).toBe(" girl");
    const generatedLogprob = tokens.reduce((sum, t) => sum + t.logprob, 0);
    expect(scored.logprobs[0]).toBeCloseTo(generatedLogprob, 6);
  });

  it("scores the same when the prompt's trailing space moves into the options", async () => {
    const spaced = await selectOption({
      model,
      rawPrompt: `${PROMPT} `,
      options: OPTIONS.map((o) => o.trimStart()),
    });
    const plain = await selectOption({ model, rawPrompt: PROMPT, options: OPTIONS });
    expect(spaced.option).toBe("girl");
    spaced.logprobs.forEach((logprob, i) => {
      expect(logprob).toBeCloseTo(plain.logprobs[i] as number, 1);
    });
  });

  it("returns per-token log probabilities from doScore, summing to the total", async () => {
    const scored = await model.doScore?.({ messages: [], rawPrompt: PROMPT, continuations: [" boy", " girl named"] });
    expect(scored?.continuations).toHaveLength(2);
    for (const c of scored?.continuations ?? []) {
      expect(c.tokens.length).toBeGreaterThan(0);
      expect(c.tokens.reduce((sum, t) => sum + t.logprob, 0)).toBeCloseTo(c.logprob, 9);
    }
    expect(scored?.continuations[1]?.tokens.map((t) => t.token).join("")).toBe(" girl named");
  });

  it("scores options inside the model's chat turn", async () => {
    const result = await selectOption({
      model,
      messages: [{ role: "user", content: "Tell me a story." }],
      options: ["Once upon a time", "Hello there"],
    });
    expect(result.method).toBe("score");
    expect(result.logprobs.every((l) => typeof l === "number" && Number.isFinite(l))).toBe(true);
    const values = result.logprobs as number[];
    expect(result.index).toBe(values.indexOf(Math.max(...values)));
  });

  it("continues a partial assistant turn the same way as the equivalent raw chat text", async () => {
    const partial = await selectOption({
      model,
      messages: [
        { role: "user", content: "Tell me a story." },
        { role: "assistant", content: "Once upon a time, there was a little" },
      ],
      options: OPTIONS,
    });
    expect(partial.option).toBe(" girl");
  });

  it("samples from the options' distribution when a temperature is given", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      seen.add((await selectOption({ model, rawPrompt: PROMPT, options: OPTIONS, temperature: 2 })).option);
    }
    expect(seen.has(" girl")).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });
});
