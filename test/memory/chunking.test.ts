import path from "node:path";
import { countTokens } from "gpt-tokenizer";
import { describe, expect, it } from "vitest";
import { chunkDocument, estimateTokens } from "../../src/memory/chunking/index.js";
import type { Chunk, DocumentBlock, LoadedDocument } from "../../src/memory/document.js";
import { loadDocument } from "../../src/memory/loaders/index.js";
import { InvalidArgumentError } from "../../src/spec/errors.js";

const fixture = (name: string) => path.resolve(import.meta.dirname, "../fixtures/memory", name);

function doc(blocks: DocumentBlock[], extra: Partial<LoadedDocument> = {}): LoadedDocument {
  return {
    source: "/docs/test.md",
    format: "markdown",
    text: blocks.map((b) => b.text).join("\n\n"),
    blocks,
    metadata: {},
    ...extra,
  };
}

const paragraph = (text: string, headingPath: string[] = [], lineStart?: number): DocumentBlock => {
  const block: DocumentBlock = { kind: "paragraph", text, headingPath };
  if (lineStart !== undefined) {
    block.lineStart = lineStart;
    block.lineEnd = lineStart + (text.match(/\n/g)?.length ?? 0);
  }
  return block;
};

/** Prose with numbered sentences of varying length, so every cut point can be checked. */
function prose(sentences: number, seed = 1): string {
  const words = ["warp", "weft", "shuttle", "reed", "heddle", "loom", "thread", "pick", "shed", "beam", "treadle"];
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < sentences; i++) {
    const length = 4 + (i % 9);
    const sentence: string[] = [];
    for (let j = 0; j < length; j++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      sentence.push(words[x % words.length] as string);
    }
    out.push(`S${i} ${sentence.join(" ")}.`);
  }
  return out.join(" ");
}

/** Length of the longest suffix of `a` that is a prefix of `b`. */
function sharedEdge(a: string, b: string): number {
  for (let k = Math.min(a.length, b.length); k > 0; k--) if (a.endsWith(b.slice(0, k))) return k;
  return 0;
}

function expectWithinBudget(chunks: Chunk[], max: number, count: (text: string) => number) {
  for (const chunk of chunks) {
    expect(count(chunk.text), `chunk ${chunk.ordinal}`).toBeLessThanOrEqual(max);
    expect(chunk.tokens).toBe(count(chunk.text));
  }
}

describe("chunkDocument: structure", () => {
  it("keeps sections apart, carries heading paths in metadata only, and keeps fenced code whole", async () => {
    const loaded = await loadDocument(fixture("guide.md"));
    const chunks = chunkDocument(loaded);
    expect(
      chunks.map((c) => [c.ordinal, c.metadata.headingPath.join(" > "), c.metadata.lineStart, c.metadata.lineEnd]),
    ).toEqual([
      [0, "Field Guide", 7, 9],
      [1, "Field Guide > Setup", 11, 21],
      [2, "Field Guide > Setext Heading", 23, 34],
      [3, "Field Guide > Setext Heading > Deep emphasis and code", 36, 38],
      [4, "Appendix", 40, 42],
    ]);
    expect(chunks[1]?.text.startsWith("Setup\n\nInstall the frame")).toBe(true);
    expect(chunks[1]?.text).toContain((loaded.blocks.find((b) => b.kind === "code") as DocumentBlock).text);
    for (const chunk of chunks) {
      expect(chunk.metadata.source).toBe(fixture("guide.md"));
      expect(chunk.metadata.title).toBe("Weft Field Guide");
    }
  });

  it("keeps a heading with the subsection that directly follows it, but never joins top-level sections", () => {
    const blocks: DocumentBlock[] = [
      { kind: "heading", text: "A", level: 1, headingPath: [] },
      { kind: "heading", text: "B", level: 2, headingPath: ["A"] },
      paragraph("Text of B.", ["A", "B"]),
      { kind: "heading", text: "C", level: 1, headingPath: [] },
      { kind: "heading", text: "D", level: 1, headingPath: [] },
      paragraph("Text of D.", ["D"]),
    ];
    const chunks = chunkDocument(doc(blocks));
    expect(chunks.map((c) => [c.text, c.metadata.headingPath])).toEqual([
      ["A\n\nB\n\nText of B.", ["A", "B"]],
      ["C", ["C"]],
      ["D\n\nText of D.", ["D"]],
    ]);
  });

  it("packs consecutive records of one section: one-line records line by line, others by a blank line", async () => {
    const chunks = chunkDocument(await loadDocument(fixture("people.csv")));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text).toBe(
      "name: Ada; age: 36; notes: Wrote the first program,\nand notes on the engine\n\nname: Grace; age: 85; notes: Invented the compiler\nname: Alan; age: 41",
    );
    expect(chunks[0]?.metadata).toMatchObject({ lineStart: 2, lineEnd: 6, headingPath: [] });
    const json = chunkDocument(await loadDocument(fixture("records.json")));
    expect(json[0]?.text).toBe(
      "name: Ada\nlanguages: en, fr\naddress.city: London\n\nname: Grace\nlanguages: en\naddress.city: New York",
    );
    expect(json[0]?.metadata).toMatchObject({ lineStart: 2, lineEnd: 7 });
  });

  it("reports the union of pages a chunk covers", () => {
    const blocks: DocumentBlock[] = [1, 1, 2, 3].map((page, i) => ({
      kind: "paragraph",
      text: `Paragraph ${i} on page ${page}. ${prose(3, i)}`,
      headingPath: [],
      page,
    }));
    const whole = chunkDocument(doc(blocks, { format: "pdf" }));
    expect(whole).toHaveLength(1);
    expect(whole[0]?.metadata).toMatchObject({ page: 1, pageEnd: 3 });
    expect(whole[0]?.metadata.lineStart).toBeUndefined();
    const small = chunkDocument(doc(blocks, { format: "pdf" }), { maxTokens: 40, overlapTokens: 10 });
    expect(small.length).toBeGreaterThan(3);
    for (const chunk of small) {
      const pages = blocks.filter((b) => chunk.text.includes(b.text.slice(0, 25))).map((b) => b.page as number);
      if (pages.length) expect(chunk.metadata.page).toBeLessThanOrEqual(Math.min(...pages));
      expect(chunk.metadata.pageEnd).toBeGreaterThanOrEqual(chunk.metadata.page as number);
    }
    expect(small.at(-1)?.metadata.pageEnd).toBe(3);
  });
});

describe("chunkDocument: budget, cuts and overlap", () => {
  const long = doc([
    { kind: "heading", text: "Weaving", level: 1, headingPath: [] },
    paragraph(prose(60), ["Weaving"]),
    paragraph(prose(5, 7), ["Weaving"]),
    { kind: "heading", text: "Finishing", level: 1, headingPath: [] },
    paragraph(prose(40, 3), ["Finishing"]),
  ]);

  it("respects maxTokens for every chunk, by the default estimate and by other counters", () => {
    for (const [maxTokens, overlapTokens] of [
      [20, 5],
      [50, 10],
      [120, 50],
      [300, 0],
    ] as const) {
      expectWithinBudget(chunkDocument(long, { maxTokens, overlapTokens }), maxTokens, estimateTokens);
      const bpe = chunkDocument(long, { maxTokens, overlapTokens, countTokens });
      expectWithinBudget(bpe, maxTokens, countTokens);
      const chars = (text: string) => text.length;
      expectWithinBudget(
        chunkDocument(long, { maxTokens: maxTokens * 4, overlapTokens, countTokens: chars }),
        maxTokens * 4,
        chars,
      );
    }
  });

  it("cuts long paragraphs at sentence ends and never inside a word", () => {
    const chunks = chunkDocument(long, { maxTokens: 60, overlapTokens: 0 });
    const body = chunks.filter((c) => c.metadata.headingPath[0] === "Weaving");
    expect(body.length).toBeGreaterThan(3);
    for (const chunk of body.slice(0, -1)) expect(chunk.text).toMatch(/\.$/);
    const vocabulary = new Set(long.text.split(/\s+/));
    for (const chunk of chunks) for (const word of chunk.text.split(/\s+/)) expect(vocabulary.has(word)).toBe(true);
  });

  it("cuts a sentence longer than the budget at word boundaries", () => {
    const sentence = `${Array.from({ length: 200 }, (_, i) => `word${i}`).join(" ")}.`;
    const chunks = chunkDocument(doc([paragraph(sentence)]), { maxTokens: 30, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((c) => c.text).join(" ")).toBe(sentence);
  });

  it("cuts text without spaces at sentence ends, and never inside a surrogate pair", () => {
    const chinese = "织布机把经线绷紧。梭子带着纬线穿过经线。筘把每一根纬线打紧。".repeat(20);
    const cjk = chunkDocument(doc([paragraph(chinese)]), { maxTokens: 40, overlapTokens: 0 });
    expect(cjk.length).toBeGreaterThan(5);
    for (const chunk of cjk) expect(chunk.text).toMatch(/。$/);
    expect(cjk.map((c) => c.text).join("")).toBe(chinese);
    const emoji = "🧶🪡".repeat(300);
    const pieces = chunkDocument(doc([paragraph(emoji)]), { maxTokens: 25, overlapTokens: 5 });
    expect(pieces.length).toBeGreaterThan(10);
    for (const chunk of pieces) {
      expect(chunk.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(chunk.tokens).toBeLessThanOrEqual(25);
    }
  });

  it("starts each chunk of a section with about overlapTokens from the end of the previous one", () => {
    const overlapTokens = 12;
    const chunks = chunkDocument(long, { maxTokens: 60, overlapTokens });
    let overlaps = 0;
    for (let i = 1; i < chunks.length; i++) {
      const [previous, current] = [chunks[i - 1] as Chunk, chunks[i] as Chunk];
      const edge = sharedEdge(previous.text, current.text);
      if (previous.metadata.headingPath.join() !== current.metadata.headingPath.join()) {
        expect(current.text.startsWith(current.metadata.headingPath.at(-1) as string)).toBe(true);
        continue;
      }
      overlaps++;
      const shared = current.text.slice(0, edge);
      expect(edge, `chunk ${i} repeats the end of chunk ${i - 1}`).toBeGreaterThan(0);
      expect(estimateTokens(shared)).toBeLessThanOrEqual(overlapTokens);
      expect(estimateTokens(shared)).toBeGreaterThanOrEqual(overlapTokens / 4);
      expect(shared).toMatch(/^\S/);
    }
    expect(overlaps).toBeGreaterThan(5);
    const none = chunkDocument(long, { maxTokens: 60, overlapTokens: 0 });
    for (let i = 1; i < none.length; i++) {
      const shared = sharedEdge((none[i - 1] as Chunk).text, (none[i] as Chunk).text);
      expect(shared, `chunk ${i}`).toBeLessThan(3);
    }
  });

  it("never cuts a block that fits a chunk of its own; it gets less overlap instead", () => {
    const code = ["```ts", ...Array.from({ length: 12 }, (_, i) => `const step${i} = weave(${i});`), "```"].join("\n");
    const codeTokens = estimateTokens(code);
    const blocks: DocumentBlock[] = [
      paragraph(prose(8), ["Guide"]),
      { kind: "code", text: code, headingPath: ["Guide"] },
      paragraph(prose(2, 5), ["Guide"]),
    ];
    const maxTokens = codeTokens + 10;
    const chunks = chunkDocument(doc(blocks), { maxTokens, overlapTokens: 30 });
    const holder = chunks.find((c) => c.text.includes("const step0")) as Chunk;
    expect(holder.text).toContain(code);
    const before = chunks[holder.ordinal - 1] as Chunk;
    const shared = sharedEdge(before.text, holder.text);
    expect(shared).toBeGreaterThan(0);
    expect(estimateTokens(holder.text.slice(0, shared))).toBeLessThanOrEqual(10);
    expectWithinBudget(chunks, maxTokens, estimateTokens);
  });

  it("maps cuts inside a block to exact line numbers", () => {
    const lines = Array.from({ length: 80 }, (_, i) => `Line ${i + 1} says the warp is tight.`);
    const chunks = chunkDocument(doc([paragraph(lines.join("\n"), [], 1)], { format: "text" }), {
      maxTokens: 40,
      overlapTokens: 8,
    });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      const numbers = [...chunk.text.matchAll(/Line (\d+) /g)].map((m) => Number(m[1]));
      const first = chunk.text.startsWith("Line ") ? (numbers[0] as number) : (numbers[0] as number) - 1;
      expect(chunk.metadata.lineStart).toBe(first);
      expect(chunk.metadata.lineEnd).toBe(numbers.at(-1));
    }
    expect(chunks.at(-1)?.metadata.lineEnd).toBe(80);
  });

  it("is deterministic and keeps document order", async () => {
    const loaded = await loadDocument(fixture("page.html"));
    const a = chunkDocument(long, { maxTokens: 45, overlapTokens: 9 });
    expect(chunkDocument(long, { maxTokens: 45, overlapTokens: 9 })).toEqual(a);
    expect(a.map((c) => c.ordinal)).toEqual(a.map((_, i) => i));
    const html = chunkDocument(loaded, { maxTokens: 25, overlapTokens: 5 });
    const starts = html.map((c) => c.metadata.lineStart as number);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
  });

  it("validates options and caps the overlap at half the budget", () => {
    expect(() => chunkDocument(long, { maxTokens: 0 })).toThrow(InvalidArgumentError);
    expect(() => chunkDocument(long, { maxTokens: 1.5 })).toThrow(/maxTokens must be a positive integer/);
    expect(() => chunkDocument(long, { overlapTokens: -1 })).toThrow(/overlapTokens/);
    const capped = chunkDocument(long, { maxTokens: 20, overlapTokens: 500 });
    expectWithinBudget(capped, 20, estimateTokens);
  });
});

describe("estimateTokens", () => {
  it("counts word pieces, punctuation and CJK characters", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("Hello, world!")).toBe(4);
    expect(estimateTokens("internationalization")).toBe(10);
    expect(estimateTokens("自然语言")).toBe(4);
    expect(estimateTokens("a1b2c3d4e5f6")).toBe(8);
  });

  it("adds up over text joined at whitespace, counting line breaks and wide gaps once", () => {
    const parts = prose(30).split(/(?<=\.) /);
    const sum = parts.reduce((total, part) => total + estimateTokens(part), 0);
    expect(estimateTokens(parts.join(" "))).toBe(sum);
    expect(estimateTokens(parts.join("\n\n"))).toBe(sum + parts.length - 1);
    expect(estimateTokens(parts.join("   \n  "))).toBe(sum + parts.length - 1);
  });

  it("stays above an o200k count on English prose and within reach on code", async () => {
    const english = (await loadDocument(fixture("guide.md"))).text;
    expect(estimateTokens(english)).toBeGreaterThanOrEqual(countTokens(english));
    expect(estimateTokens(english)).toBeLessThan(countTokens(english) * 1.6);
  });
});
