import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocal, type LocalProvider } from "../../src/models/local/index.js";
import { runProgram } from "../../src/programs/template/run-program.js";
import type { LanguageModel } from "../../src/spec/language-model.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const STORIES = path.join(repoRoot, "examples/models/stories260K.gguf");
const hasStories = existsSync(STORIES);
if (!hasStories) console.warn(`[template-local.test] skipping: ${STORIES} is missing.`);

describe.skipIf(!hasStories)("template programs on the local story model", () => {
  let local: LocalProvider;
  let model: LanguageModel;

  beforeAll(() => {
    local = createLocal({ threads: 1 });
    model = local.languageModel(STORIES);
  });

  afterAll(async () => {
    await local?.dispose();
  });

  it("select scores every option: finite logprobs, and the choice is their argmax", async () => {
    const r = await runProgram(
      "Once upon a time, there was a little{{#select 'who' logprobs='lp'}} girl{{or}} boy{{or}} dog{{or}} car{{/select}}",
      { model },
    );
    const lp = r.variables.lp as Record<string, number>;
    expect(Object.keys(lp)).toEqual([" girl", " boy", " dog", " car"]);
    for (const value of Object.values(lp)) expect(Number.isFinite(value)).toBe(true);
    const best = Object.entries(lp).reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    expect(r.variables.who).toBe(best);
    expect(r.calls).toEqual([expect.objectContaining({ kind: "select", method: "score", costUsd: 0 })]);
    expect(r.transcript).toBe(`Once upon a time, there was a little${best}`);
  });

  it("gen with a pattern decodes under a grammar and matches it", async () => {
    const r = await runProgram("Lily was {{gen 'age' pattern='[0-9]{1,2}' max_tokens=4}} years old.", { model });
    expect(r.variables.age).toMatch(/^[0-9]{1,2}$/);
    expect(r.calls[0]).toMatchObject({ method: "grammar" });
  });

  it("plain gen continues the raw text greedily and reproducibly", async () => {
    const template = "Once upon a time{{gen 'story' max_tokens=12 stop='.'}}. The end.";
    const first = await runProgram(template, { model });
    const second = await runProgram(template, { model });
    expect(first.variables.story).toMatch(/^, there was a little girl/);
    expect(second.variables.story).toBe(first.variables.story);
    expect(first.transcript).toBe(`Once upon a time${first.variables.story}. The end.`);
  });

  it("geneach asks the model whether to go on, and stops within the bound", async () => {
    const r = await runProgram(
      "Lily had toys:{{#geneach 'toys' max_iterations=3}} a {{gen 'this' max_tokens=3 stop=','}},{{/geneach}} and she was happy.",
      { model },
    );
    const toys = r.variables.toys as string[];
    expect(toys.length).toBeLessThanOrEqual(3);
    expect(r.calls.filter((c) => c.kind === "select").every((c) => c.method === "score")).toBe(true);
  });
});
