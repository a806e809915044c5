import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
const doc = readFileSync(join(repoRoot, "docs/providers/openai.md"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "weft-openai-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc's last code block, with `weft` and `weft/testing` pointed at the sources. */
function exampleModule(): string {
  const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
  const example = blocks.at(-1) ?? "";
  const src = (path: string) => JSON.stringify(join(repoRoot, "src", path));
  writeFileSync(
    join(dir, "weft.ts"),
    ["models/openai/index.ts", "generate/index.ts", "spec/index.ts"].map((p) => `export * from ${src(p)};`).join("\n"),
  );
  const file = join(dir, "example.ts");
  writeFileSync(
    file,
    example
      .replace(/from "weft";/, `from ${JSON.stringify(join(dir, "weft.ts"))};`)
      .replace(/from "weft\/testing";/, `from ${src("testing/fake-openai-server.ts")};`),
  );
  return file;
}

describe("docs/providers/openai.md", () => {
  it("runs the offline example and prints what its comments say", async () => {
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import(exampleModule());
    } finally {
      spy.mockRestore();
    }
    expect(lines[0]).toEqual(["Paris.", { inputTokens: 12, outputTokens: 2, totalTokens: 14 }]);
    expect(lines[1]?.[0]).toMatchObject({ model: "gpt-4o-mini", max_completion_tokens: 20 });
    expect(lines[2]).toEqual([{ city: "Paris" }]);
    expect(lines[3]).toEqual([true, 3000]);
    expect(lines[4]).toEqual([true]);
    expect(lines).toHaveLength(5);
  });
});
