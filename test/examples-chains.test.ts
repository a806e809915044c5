import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";

// Examples import "weft" like a user would; that resolves to the built package.
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(resolve(root, "dist/programs/chains/index.js")))
  throw new Error("Run `npm run build` before the example tests (npm test does).");

/** Runs an example's main() with its console output captured (and kept out of the test log). */
async function run<T>(load: () => Promise<{ main: () => Promise<T> }>): Promise<{ value: T; printed: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.join(" ")));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    return { value: await (await load()).main(), printed: lines.join("\n") };
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
}

describe("examples/chains run offline as documented", () => {
  it("pipeline re-runs the draft until it passes, edits it, counts words and traces every call", async () => {
    const { value, printed } = await run(() => import("../examples/chains/pipeline.js"));
    expect(value.output).toEqual({ text: "Pulled by the moon and sun, tides rise and fall twice a day.", words: 13 });
    expect(value.steps.map((s) => [s.name, s.attempts])).toEqual([
      ["draft", 2],
      ["edit", 1],
      ["count", 1],
    ]);
    expect(value.traces).toBe(3);
    expect(value.costUsd).toBeGreaterThan(0);
    expect(printed).toContain("retry 2: Also mention the sun.");
  });

  it("stream-events routes a math question and streams the chosen step's answer", async () => {
    const { value, printed } = await run(() => import("../examples/chains/stream-events.js"));
    expect(value).toEqual({ output: "17 * 23 = 391.", streamed: "17 * 23 = 391.", steps: ["classify", "calculate"] });
    expect(printed).toContain("[calculate]");
  });

  it("unit-tests explains, plans, elaborates, writes and fixes a failing test with a real vitest run", async () => {
    const { value, printed } = await run(() => import("../examples/chains/unit-tests.js"));
    expect(value.steps.map((s) => s.name)).toEqual(["explain", "plan", "elaborate", "write"]);
    expect(value.run).toMatchObject({ ok: true, passed: 3, total: 3 });
    expect(value.code).toContain('expect(slugify("")).toBe("");');
    expect(printed).toContain("vitest: failed");
    expect(printed).toContain("3/3 tests pass after 2 attempt(s)");
  });
});
