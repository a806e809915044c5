import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chunkDocument, estimateTokens } from "../../src/memory/chunking/index.js";
import type { Chunk } from "../../src/memory/document.js";
import { loadDocument } from "../../src/memory/loaders/index.js";
import { hugeLine } from "../fixtures/memory/make-files.js";

const scratch = mkdtempSync(path.join(tmpdir(), "weft-chunking-large-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every piece is a slice of `text`; consecutive slices overlap or touch, and together they cover it. */
function expectCoverage(text: string, pieces: string[]) {
  let previousStart = -1;
  let previousEnd = 0;
  pieces.forEach((piece, i) => {
    const start = text.indexOf(piece, previousStart + 1);
    expect(start, `piece ${i} is a slice of the text`).toBeGreaterThan(previousStart);
    expect(start, `piece ${i} leaves no gap`).toBeLessThanOrEqual(previousEnd + 1);
    previousStart = start;
    previousEnd = start + piece.length;
  });
  expect(text.indexOf(pieces[0] as string)).toBe(0);
  expect(previousEnd).toBe(text.length);
}

describe("a huge single line", () => {
  it("loads a 5 MB one-line text file and chunks it within budget, covering all of it", async () => {
    const file = path.join(scratch, "huge.txt");
    writeFileSync(file, hugeLine(5));
    const doc = await loadDocument(file);
    expect(doc.blocks).toHaveLength(1);
    expect(doc.blocks[0]).toMatchObject({ lineStart: 1, lineEnd: 1 });
    const chunks = chunkDocument(doc);
    expect(chunks.length).toBeGreaterThan(4000);
    for (const chunk of chunks) {
      expect(chunk.tokens).toBeLessThanOrEqual(300);
      expect(chunk.metadata).toMatchObject({ lineStart: 1, lineEnd: 1 });
    }
    expect(estimateTokens((chunks[1] as Chunk).text)).toBeGreaterThan(250);
    expect((chunks[1] as Chunk).text).toMatch(/^(Pick \d+: )?the shuttle .*\.$/);
    expectCoverage(
      doc.blocks[0]?.text as string,
      chunks.map((c) => c.text),
    );
  });

  it("cuts 1 MB without a space or sentence end at character positions", async () => {
    const file = path.join(scratch, "unbroken.md");
    writeFileSync(file, `# Dump\n\n${hugeLine(1, { words: false })}\n`);
    const doc = await loadDocument(file);
    const chunks = chunkDocument(doc, { maxTokens: 200, overlapTokens: 20 });
    for (const chunk of chunks.slice(1)) {
      expect(chunk.tokens).toBeLessThanOrEqual(200);
      expect(chunk.metadata).toMatchObject({ headingPath: ["Dump"], lineStart: 3, lineEnd: 3 });
    }
    const first = chunks[0] as Chunk;
    expect(first.text.startsWith("Dump\n\nq0q1q2")).toBe(true);
    expect(first.metadata).toMatchObject({ headingPath: ["Dump"], lineStart: 1, lineEnd: 3 });
    const pieces = [first.text.slice("Dump\n\n".length), ...chunks.slice(1).map((c) => c.text)];
    expectCoverage(doc.blocks[1]?.text as string, pieces);
  });
});
