import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(import.meta.dirname, "..");
if (!existsSync(resolve(root, "dist/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

/** Runs an example's main() with its console output captured (and kept out of the test log). */
async function run<T>(load: () => Promise<{ main: () => Promise<T> }>): Promise<{ value: T; printed: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  });
  try {
    const value = await (await load()).main();
    return { value, printed: lines.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

describe("examples/techniques run offline as documented", () => {
  it("task-prompt builds a prompt that passes the checklist and flags a vague one", async () => {
    const { value, printed } = await run(() => import("../examples/techniques/task-prompt.js"));
    expect(value.specOk).toBe(true);
    expect(value.system).toMatch(/^You are an experienced site-reliability engineer/);
    expect(value.codes).toContain("ambiguous-reference");
    expect(value.codes).toContain("no-audience");
    expect(value.critique.questions).toEqual(["Who reads the write-up?", "How long should it be?"]);
    expect(printed).toContain('ambiguous-reference: What exactly is meant by "like last time"?');
  });

  it("chain-of-thought extracts the GSM8K-style answer", async () => {
    const { value } = await run(() => import("../examples/techniques/chain-of-thought.js"));
    expect(value.answer).toBe("72");
    expect(value.reasoning).toBe("In May she sold 48 / 2 = 24 clips.\nIn total she sold 48 + 24 = 72 clips.");
  });

  it("self-consistency votes 18 with agreement 3/4", async () => {
    const { value } = await run(() => import("../examples/techniques/self-consistency.js"));
    expect(value).toMatchObject({ answer: "18", agreement: 0.75, validSamples: 4, calls: 1 });
    expect(value.votes.map((v) => [v.answer, v.count])).toEqual([
      ["18", 3],
      ["26", 1],
    ]);
  });

  it("tree-of-thought solves the Game of 24 instance", async () => {
    const { value } = await run(() => import("../examples/techniques/tree-of-thought.js"));
    expect(value.bestPath).toHaveLength(3);
    expect(value.best.thought).toMatch(/= 24 \(left: 24\)$/);
    expect(value.best.score).toBe(20);
    expect(value.steps.map((s) => s.kept.length)).toEqual([3, 3, 3]);
  });

  it("few-shot picks relevant, non-duplicate examples within the budget", async () => {
    const { value } = await run(() => import("../examples/techniques/few-shot.js"));
    expect(value.bm25.indices).toEqual([0, 4]);
    expect(value.bm25.tokens).toBeLessThanOrEqual(60);
    expect(value.embedded.indices).toEqual([3]);
  });

  it("docs/techniques.md links every example", () => {
    const doc = readFileSync(resolve(root, "docs/techniques.md"), "utf8");
    for (const name of ["task-prompt", "chain-of-thought", "self-consistency", "tree-of-thought", "few-shot"]) {
      expect(doc).toContain(`../examples/techniques/${name}.ts`);
    }
  });
});
