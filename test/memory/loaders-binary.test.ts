import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LoaderError, loadDocument } from "../../src/memory/loaders/index.js";
import { makeDocx, makePdf, makeTextlessPdf, truncate } from "../fixtures/memory/make-files.js";

const scratch = mkdtempSync(path.join(tmpdir(), "weft-loaders-binary-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const files: Record<string, string> = {};

beforeAll(async () => {
  const pdf = await makePdf();
  const docx = await makeDocx();
  const notWord = new JSZip();
  notWord.file("readme.txt", "a zip, but not a Word document");
  const entries: Record<string, Uint8Array | string> = {
    "manual.pdf": pdf,
    "truncated.pdf": truncate(pdf, 0.6),
    "no-trailer.pdf": truncate(pdf, 0.99),
    "scan.pdf": await makeTextlessPdf(),
    "junk.pdf": "%PDF-1.7\nthis is not a PDF body\n",
    "notes.docx": docx,
    "truncated.docx": truncate(docx, 0.5),
    "not-word.docx": await notWord.generateAsync({ type: "uint8array" }),
  };
  for (const [name, content] of Object.entries(entries)) {
    files[name] = path.join(scratch, name);
    writeFileSync(files[name], content);
  }
});

async function failure(name: string): Promise<LoaderError> {
  const error = await loadDocument(files[name] as string).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(LoaderError.isInstance(error), `expected a LoaderError for ${name}, got ${String(error)}`).toBe(true);
  return error as LoaderError;
}

describe("loadDocument: PDF", () => {
  it("extracts text per page with page numbers, paragraphs and size-based headings", async () => {
    const doc = await loadDocument(files["manual.pdf"] as string);
    expect(doc.format).toBe("pdf");
    expect(doc.title).toBe("Loom Manual");
    expect(doc.metadata).toMatchObject({ pages: 3, author: "Ada Lovelace" });
    expect(doc.blocks.map((b) => [b.kind, b.level, b.page, b.headingPath.join(" > "), b.text])).toEqual([
      ["heading", 1, 1, "", "Loom Manual"],
      ["heading", 2, 1, "Loom Manual", "Introduction"],
      [
        "paragraph",
        undefined,
        1,
        "Loom Manual > Introduction",
        "A loom holds warp threads under tension. The weft is woven across them, one pick at a time.",
      ],
      ["paragraph", undefined, 1, "Loom Manual > Introduction", "This second paragraph starts after a wider gap."],
      ["heading", 2, 2, "Loom Manual", "Threading"],
      [
        "paragraph",
        undefined,
        2,
        "Loom Manual > Threading",
        "Each warp end passes through a heddle eye. Count the ends twice before tying on.",
      ],
      ["heading", 2, 3, "Loom Manual", "Weaving"],
      ["paragraph", undefined, 3, "Loom Manual > Weaving", "Throw the shuttle, beat the weft, change the shed."],
    ]);
    expect(doc.blocks.every((b) => b.lineStart === undefined)).toBe(true);
    expect(doc.text.startsWith("Loom Manual\n\nIntroduction\n\nA loom holds")).toBe(true);
  });

  it("needs no network: fonts and character maps come from the installed package", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    try {
      await loadDocument(files["manual.pdf"] as string);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it("refuses a truncated or corrupt PDF", async () => {
    for (const name of ["truncated.pdf", "junk.pdf"]) {
      const error = await failure(name);
      expect(error.reason).toMatch(/^the PDF is damaged or truncated \(/);
      expect(error.message).toContain(files[name]);
      expect(error.message).toMatch(/Re-download or re-export/);
    }
  });

  it("still reads a PDF that lost only the end of its trailer (pdf.js rebuilds the cross-reference table)", async () => {
    const doc = await loadDocument(files["no-trailer.pdf"] as string);
    expect(doc.metadata.pages).toBe(3);
    expect(doc.blocks.at(-1)?.text).toBe("Throw the shuttle, beat the weft, change the shed.");
  });

  it("refuses a PDF without a text layer and suggests OCR", async () => {
    const error = await failure("scan.pdf");
    expect(error.reason).toBe("it contains no text");
    expect(error.message).toMatch(/OCR/);
  });
});

describe("loadDocument: DOCX", () => {
  it("keeps Word heading styles as structure, tables as rows, and reads the document properties", async () => {
    const doc = await loadDocument(files["notes.docx"] as string);
    expect(doc.format).toBe("docx");
    expect(doc.title).toBe("Spinning & Plying");
    expect(doc.metadata).toMatchObject({ author: "Grace Hopper" });
    expect(doc.blocks.map((b) => [b.kind, b.level, b.headingPath.join(" > "), b.text])).toEqual([
      ["heading", 1, "", "Spinning Notes"],
      ["paragraph", undefined, "Spinning Notes", "Fibre is drafted and twisted into yarn."],
      ["heading", 2, "Spinning Notes", "Wheels"],
      ["paragraph", undefined, "Spinning Notes > Wheels", "A wheel turns the flyer; the treadle drives the wheel."],
      ["table", undefined, "Spinning Notes > Wheels", "Wheel | Drive\nSaxony | Double"],
      ["heading", 1, "", "Plying"],
      ["paragraph", undefined, "Plying", "Two singles twisted the other way make a balanced yarn."],
    ]);
    expect(doc.blocks.every((b) => b.lineStart === undefined && b.page === undefined)).toBe(true);
  });

  it("refuses a truncated .docx and a zip that is not a Word document", async () => {
    for (const name of ["truncated.docx", "not-word.docx"]) {
      const error = await failure(name);
      expect(error.reason).toMatch(/^it is not a readable Word document \(/);
      expect(error.message).toMatch(/save it again as \.docx/);
    }
  });
});
