import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
const doc = readFileSync(join(repoRoot, "docs/programs.md"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "weft-programs-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc's complete ts examples (those that import weft), with `weft` pointed at the sources. */
const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? "")
  .filter((code) => code.includes('from "weft"'));

async function run(index: number): Promise<unknown[][]> {
  const file = join(dir, `example-${index}.ts`);
  const code = (blocks[index] ?? "")
    .replace(/from "weft";/g, `from ${JSON.stringify(join(repoRoot, "src/index.ts"))};`)
    .replace(/from "weft\/testing";/g, `from ${JSON.stringify(join(repoRoot, "src/testing/index.ts"))};`);
  writeFileSync(file, code);
  const lines: unknown[][] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
    lines.push(args);
  });
  try {
    await import(file);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe("docs/programs.md examples print what their comments say", () => {
  it("has the four runnable examples", () => {
    expect(blocks).toHaveLength(4);
  });

  it("quick start", async () => {
    expect(await run(0)).toEqual([
      [" Paris"],
      ["Q: What is the capital of France?\nA: Paris"],
      ["Q: What is the capital of France?\nA:"],
    ]);
  });

  it("await and resume", async () => {
    expect(await run(1)).toEqual([["instruction", 3], ["Bonjour !"], [2]]);
  });

  it("streaming", async () => {
    expect(await run(2)).toEqual([[true], [["Story:", "once ", "there"]]]);
  });

  it("errors", async () => {
    expect(await run(3)).toEqual([
      [4, "add {{/each}} to close {{#each}}."],
      ["unknown-variable", "nmae", 1],
    ]);
  });
});
