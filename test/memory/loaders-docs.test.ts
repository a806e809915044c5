import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { chunkDocument } from "../../src/memory/chunking/index.js";
import { loadDocument, SUPPORTED_EXTENSIONS } from "../../src/memory/loaders/index.js";

const repoRoot = resolve(import.meta.dirname, "../..");
const doc = readFileSync(join(repoRoot, "docs/memory-loading.md"), "utf8");
const guide = join(repoRoot, "test/fixtures/memory/guide.md");
const dir = mkdtempSync(join(tmpdir(), "weft-loading-doc-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/memory-loading.md", () => {
  it("runs the first example on a real Markdown file", async () => {
    const example = doc.match(/```ts\n([\s\S]*?)```/)?.[1] ?? "";
    const file = join(dir, "example.ts");
    const source = example
      .replace(/from "weft";/, `from ${JSON.stringify(join(repoRoot, "src/memory/index.ts"))};`)
      .replace('"docs/guide.md"', JSON.stringify(guide));
    writeFileSync(file, source);
    const lines: unknown[][] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    try {
      await import(file);
    } finally {
      spy.mockRestore();
    }
    const expected = chunkDocument(await loadDocument(guide), { maxTokens: 300, overlapTokens: 50 }).map((c) => [
      c.ordinal,
      c.tokens,
      c.metadata.headingPath.join(" > "),
      c.metadata.lineStart,
    ]);
    expect(lines).toEqual(expected);
    expect(lines[1]).toEqual([1, expected[1]?.[1], "Field Guide > Setup", 11]);
  });

  it("describes every supported extension", () => {
    const table = doc.slice(doc.indexOf("## Formats"), doc.indexOf("## When a file"));
    for (const extension of SUPPORTED_EXTENSIONS) expect(table).toContain(`\`${extension}\``);
  });
});
