import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
const doc = readFileSync(join(repoRoot, "docs/store.md"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "weft-store-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc's last code block, with `weft` pointed at the store sources. */
function exampleModule(): string {
  const example = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "").at(-1) ?? "";
  const file = join(dir, "example.ts");
  writeFileSync(file, example.replace(/from "weft";/, `from ${JSON.stringify(join(repoRoot, "src/store/index.ts"))};`));
  return file;
}

describe("docs/store.md", () => {
  it("runs the example and prints what its comments say", async () => {
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import(exampleModule());
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([
      [["Cats sleep most of the day."]],
      ["Dogs bark at night.", "0.80"],
      [1],
      [1],
      ["sqlite", 1],
    ]);
  });
});
