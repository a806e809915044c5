import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LoadedDocument } from "../../src/memory/document.js";
import { LoaderError, loadDocument, SUPPORTED_EXTENSIONS } from "../../src/memory/loaders/index.js";
import { WeftError } from "../../src/spec/errors.js";

const fixtures = path.resolve(import.meta.dirname, "../fixtures/memory");
const fixture = (name: string) => path.join(fixtures, name);
const scratch = mkdtempSync(path.join(tmpdir(), "weft-loaders-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

/** Loads a file that must fail and returns its LoaderError. */
async function failure(file: string, options?: { maxBytes?: number }): Promise<LoaderError> {
  const error = await loadDocument(file, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(LoaderError.isInstance(error), `expected a LoaderError for ${file}, got ${String(error)}`).toBe(true);
  return error as LoaderError;
}

const summary = (doc: LoadedDocument) =>
  doc.blocks.map((b) => [b.kind, b.headingPath.join(" > "), b.lineStart, b.lineEnd, b.text.split("\n")[0]]);

describe("loadDocument: text formats", () => {
  it("lists the supported extensions", () => {
    expect([...SUPPORTED_EXTENSIONS].sort()).toEqual(
      [".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".csv", ".json", ".jsonl"].sort(),
    );
  });

  it("reads Markdown structure: front matter, ATX and setext headings, whole fenced code, lists, tables", async () => {
    const doc = await loadDocument(fixture("guide.md"));
    expect(doc.source).toBe(fixture("guide.md"));
    expect(doc.format).toBe("markdown");
    expect(doc.title).toBe("Weft Field Guide");
    expect(doc.metadata).toMatchObject({ author: "Ada Lovelace", encoding: "utf-8", bytes: 601 });
    expect(doc.text).toBe(readFileSync(fixture("guide.md"), "utf8"));
    expect(summary(doc)).toEqual([
      ["heading", "", 7, 7, "Field Guide"],
      ["paragraph", "Field Guide", 9, 9, "This guide describes the loom. It has two parts."],
      ["heading", "Field Guide", 11, 11, "Setup"],
      [
        "paragraph",
        "Field Guide > Setup",
        13,
        13,
        "Install the frame on a flat surface. Check that every peg is tight.",
      ],
      ["code", "Field Guide > Setup", 15, 21, "```sh"],
      ["heading", "Field Guide", 23, 24, "Setext Heading"],
      ["list", "Field Guide > Setext Heading", 26, 29, "- first item"],
      ["table", "Field Guide > Setext Heading", 31, 34, "| part | count |"],
      ["heading", "Field Guide > Setext Heading", 36, 36, "Deep emphasis and code"],
      [
        "paragraph",
        "Field Guide > Setext Heading > Deep emphasis and code",
        38,
        38,
        "Nested text under a third-level heading.",
      ],
      ["heading", "", 40, 40, "Appendix"],
      ["paragraph", "Appendix", 42, 42, "Closing words."],
    ]);
    const code = doc.blocks.find((b) => b.kind === "code");
    expect(code?.text.split("\n")).toHaveLength(7);
    expect(code?.text).toContain("# still inside the fence");
    expect(doc.blocks.filter((b) => b.kind === "heading").map((b) => b.level)).toEqual([1, 2, 2, 3, 1]);
  });

  it("keeps an unclosed fence to the end of the file and ignores '#' without a space", async () => {
    const file = write("fence.md", "#hashtag is text\n\n~~~\n# inside\n\nstill code");
    const doc = await loadDocument(file);
    expect(doc.blocks.map((b) => b.kind)).toEqual(["paragraph", "code"]);
    expect(doc.blocks[1]).toMatchObject({ lineStart: 3, lineEnd: 6, headingPath: [] });
    expect(doc.title).toBeUndefined();
  });

  it("splits plain text into paragraphs with line ranges; strips a BOM and CRLF", async () => {
    const doc = await loadDocument(fixture("notes.txt"));
    expect(doc.format).toBe("text");
    expect(summary(doc)).toEqual([
      ["paragraph", "", 1, 1, "The first paragraph has one line."],
      ["paragraph", "", 3, 4, "The second paragraph"],
      ["paragraph", "", 7, 7, "The third paragraph comes after two blank lines."],
    ]);
    const bom = await loadDocument(fixture("bom-crlf.txt"));
    expect(bom.text).toBe("Name with BOM\nSecond line\n");
    expect(bom.blocks[0]).toMatchObject({ text: "Name with BOM\nSecond line", lineStart: 1, lineEnd: 2 });
  });

  it("reads HTML: drops script, style and nav; headings give structure; lines point into the source", async () => {
    const doc = await loadDocument(fixture("page.html"));
    expect(doc.format).toBe("html");
    expect(doc.title).toBe("Loom & Shuttle");
    expect(doc.metadata).toMatchObject({ author: "Grace Hopper", language: "en" });
    for (const hidden of ["console.log", "color: red", "Home", "About", "not content"]) {
      expect(doc.text).not.toContain(hidden);
    }
    expect(summary(doc)).toEqual([
      ["heading", "", 11, 11, "Weaving Basics"],
      ["paragraph", "Weaving Basics", 12, 12, "The warp runs lengthwise; the weft runs across."],
      ["heading", "Weaving Basics", 13, 13, "Tools"],
      ["list", "Weaving Basics > Tools", 14, 19, "- Shuttle"],
      ["table", "Weaving Basics > Tools", 20, 23, "Tool | Use"],
      ["heading", "Weaving Basics > Tools", 24, 24, "Code"],
      ["code", "Weaving Basics > Tools > Code", 25, 26, "weave(warp, weft);"],
      ["heading", "Weaving Basics", 27, 27, "History"],
      ["paragraph", "Weaving Basics > History", 28, 28, "Loose text in a div."],
      ["paragraph", "Weaving Basics > History", 28, 28, "A paragraph in the div."],
      ["paragraph", "Weaving Basics > History", 28, 28, "Trailing text."],
    ]);
    expect(doc.blocks[1]?.text).toBe("The warp runs lengthwise; the weft runs across.\nA new line.");
    expect(doc.blocks[3]?.text).toBe("- Shuttle\n- Heddle\n  - String heddle");
    expect(doc.blocks[4]?.text).toBe("Tool | Use\nReed | Beats the weft");
    expect(doc.blocks[6]?.text).toBe("weave(warp, weft);\n  tighten();");
  });

  it("takes an HTML title from the first h1 when there is no <title>", async () => {
    const doc = await loadDocument(write("fragment.htm", "<h2>Intro</h2><p>x &lt; y</p><h1>Main</h1><p>z</p>"));
    expect(doc.title).toBe("Main");
    expect(doc.blocks[1]?.text).toBe("x < y");
  });

  it("reads CSV rows as records with line ranges, including a quoted line break", async () => {
    const doc = await loadDocument(fixture("people.csv"));
    expect(doc.metadata).toMatchObject({ columns: ["name", "age", "notes"], records: 3, delimiter: "," });
    expect(doc.blocks.map((b) => [b.kind, b.text, b.lineStart, b.lineEnd])).toEqual([
      ["record", "name: Ada; age: 36; notes: Wrote the first program,\nand notes on the engine", 2, 3],
      ["record", "name: Grace; age: 85; notes: Invented the compiler", 4, 4],
      ["record", "name: Alan; age: 41", 6, 6],
    ]);
    const semicolons = await loadDocument(fixture("semicolon.csv"));
    expect(semicolons.blocks[0]?.text).toBe("city: Oslo; country: Norway; population: 709000");
  });

  it("keeps ragged CSV rows and warns with their lines", async () => {
    const doc = await loadDocument(fixture("ragged.csv"));
    expect(doc.blocks.map((b) => b.text)).toEqual([
      "id: 1; name: alpha; score: 10",
      "id: 2; name: beta",
      "id: 3; name: gamma; score: 30; column 4: extra",
      "id: 4; name: delta; score: 40",
    ]);
    const warnings = doc.metadata.warnings as string[];
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/2 row\(s\) do not have 3 fields \(line 3, 4\)/);
  });

  it("refuses CSV with an unclosed quote, naming the line", async () => {
    const error = await failure(fixture("unclosed-quote.csv"));
    expect(error.message).toContain(fixture("unclosed-quote.csv"));
    expect(error.reason).toMatch(/not valid CSV .*Quote Not Closed.*line \d/);
    expect(error.message).toMatch(/Fix the quoting/);
  });

  it("reads a JSON array as one record per element, flattened, with line ranges", async () => {
    const doc = await loadDocument(fixture("records.json"));
    expect(doc.format).toBe("json");
    expect(doc.blocks.map((b) => [b.text, b.headingPath, b.lineStart, b.lineEnd])).toEqual([
      ["name: Ada\nlanguages: en, fr\naddress.city: London", [], 2, 6],
      ["name: Grace\nlanguages: en\naddress.city: New York", [], 7, 7],
    ]);
  });

  it("reads a JSON object member by member; arrays of objects become records under the member's name", async () => {
    const doc = await loadDocument(fixture("catalog.json"));
    expect(doc.blocks.map((b) => [b.text.split("\n")[0], b.headingPath, b.lineStart, b.lineEnd])).toEqual([
      ["version: 2", [], 2, 2],
      ["owner.name: Weft Mills", [], 3, 3],
      ["sku: A1", ["items"], 5, 9],
      ["sku: B2", ["items"], 10, 15],
    ]);
    expect(doc.blocks[3]?.text).toContain("tags: wood, string");
  });

  it("reads JSON Lines one record per line, skipping blank lines", async () => {
    const doc = await loadDocument(fixture("events.jsonl"));
    expect(doc.blocks.map((b) => [b.text, b.lineStart, b.lineEnd])).toEqual([
      ["event: start\nat: 2024-01-01T00:00:00Z", 1, 1],
      ["event: stop\ndetail.reason: done\ndetail.code: 0", 3, 3],
    ]);
  });

  it("refuses invalid JSON with the line and column of the fault", async () => {
    const file = write("invalid.json", '{\n  "a": 1,\n  "b": [1, 2,, 3]\n}\n');
    const error = await failure(file);
    expect(error.reason).toMatch(/^it is not valid JSON at line 3, column 14 \(Unexpected token/);
    const truncated = await failure(write("truncated.json", '[{"a": 1}, {"b":'));
    expect(truncated.reason).toMatch(/at line 1, column 17/);
    const lines = await failure(fixture("invalid.jsonl"));
    expect(lines.reason).toMatch(/^it is not valid JSON at line 2, column 12 \(Unexpected token/);
    expect(lines.message).toMatch(/Each line of a \.jsonl file must be one complete JSON value/);
  });
});

describe("loadDocument: broken and unsuitable files", () => {
  it("decodes invalid UTF-8 with replacement characters and a warning", async () => {
    const doc = await loadDocument(fixture("invalid-utf8.txt"));
    expect(doc.text).toBe("Caf\ufffd au lait on line one.\nPlain line two.\nGr\ufffd\ufffde on line three.\n");
    expect(doc.metadata.warnings).toEqual([
      "The file is not valid UTF-8 (first bad byte on line 1); 3 character(s) were replaced with U+FFFD. Re-save it as UTF-8 to keep them.",
    ]);
  });

  it("reads UTF-16 files that start with a byte-order mark", async () => {
    const text = "Ünïcödé line one.\r\nLine two.";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const doc = await loadDocument(write("utf16.txt", le));
    expect(doc.text).toBe("Ünïcödé line one.\nLine two.");
    expect(doc.metadata.encoding).toBe("utf-16le");
  });

  it("refuses binary junk: NUL bytes, control characters, undecodable bytes", async () => {
    expect((await failure(fixture("binary.txt"))).reason).toMatch(/looks binary \(it contains NUL bytes\)/);
    expect((await failure(fixture("control-chars.md"))).reason).toMatch(/looks binary .*control characters/);
    const latin = new Uint8Array(400).map((_, i) => 0xc0 + (i % 60));
    expect((await failure(write("high-bytes.txt", latin))).reason).toMatch(/looks binary .*not valid UTF-8/);
  });

  it("refuses empty and whitespace-only files", async () => {
    const empty = await failure(fixture("empty.txt"));
    expect(empty.reason).toBe("the file is empty");
    expect(empty.message).toBe(
      `Could not load ${fixture("empty.txt")}: the file is empty. Add content to it or leave it out.`,
    );
    expect((await failure(fixture("blank.md"))).reason).toMatch(/^the file is empty/);
  });

  it("refuses files over maxBytes before reading them", async () => {
    const error = await failure(fixture("guide.md"), { maxBytes: 100 });
    expect(error.reason).toBe("it is 601 bytes, over the 100 bytes limit");
    expect(error.message).toMatch(/maxBytes/);
  });

  it("names missing files, folders and unsupported types", async () => {
    expect((await failure(path.join(scratch, "missing.md"))).reason).toBe("the file does not exist");
    expect((await failure(fixtures)).reason).toBe("it is a folder");
    const unsupported = await failure(write("sheet.xlsx", "PK"));
    expect(unsupported.reason).toBe("files of type .xlsx are not supported");
    expect(unsupported.message).toContain(".txt, .md");
  });

  it("LoaderError is a WeftError with code 'loader', the path and the reason", async () => {
    const error = await failure(fixture("empty.txt"));
    expect(error).toBeInstanceOf(WeftError);
    expect(error).toBeInstanceOf(LoaderError);
    expect(error.code).toBe("loader");
    expect(error.retryable).toBe(false);
    expect(error.path).toBe(fixture("empty.txt"));
    expect(LoaderError.isInstance(new Error("x"))).toBe(false);
  });
});
