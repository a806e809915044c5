import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFiles } from "../../../src/data/index.js";
import { DataLoadError } from "../../../src/spec/errors.js";
import { makeTempDir, writeSalesWorkbook, writeWorkbook } from "./helpers.js";

const temp = makeTempDir();
afterAll(() => temp.remove());
const cacheDir = join(temp.dir, "cache");

function write(name: string, content: string | Uint8Array): string {
  const path = join(temp.dir, name);
  writeFileSync(path, content);
  return path;
}

/** Loads and returns the DataLoadError thrown, failing the test if none is. */
async function loadError(files: string[]): Promise<DataLoadError> {
  const error = await loadFiles({ files, cacheDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!DataLoadError.isInstance(error)) throw new Error(`expected a DataLoadError, got ${String(error)}`);
  return error;
}

let workbookBytes: Buffer;
beforeAll(async () => {
  const path = join(temp.dir, "good.xlsx");
  await writeSalesWorkbook(path);
  workbookBytes = readFileSync(path);
});

describe("loadFiles rejects bad input with a DataLoadError naming the file", () => {
  it("a missing file", async () => {
    const path = join(temp.dir, "nope.csv");
    const error = await loadError([path]);
    expect(error.path).toBe(path);
    expect(error.message).toBe(`Data file not found: ${path}. Check the path and try again.`);
  });

  it("a directory", async () => {
    mkdirSync(join(temp.dir, "folder"));
    const error = await loadError([join(temp.dir, "folder")]);
    expect(error.message).toMatch(/folder is a directory\. Pass the data files inside it/);
  });

  it("an unsupported extension, listing the supported ones", async () => {
    const error = await loadError([write("notes.txt", "hello")]);
    expect(error.message).toBe(
      "Unsupported data file notes.txt: weft loads .csv, .tsv, .parquet, .json, .jsonl, .ndjson, .xlsx files. Convert the file to one of these formats.",
    );
    const xls = await loadError([write("old.xls", "x")]);
    expect(xls.message).toMatch(/save it as \.xlsx/);
  });

  it("an empty file, a blank one, and JSON without records", async () => {
    const error = await loadError([write("empty.csv", "")]);
    expect(error.message).toBe("empty.csv is empty (0 bytes). Check that it was saved completely.");
    const blank = await loadError([write("blank.tsv", " \n\n")]);
    expect(blank.message).toBe("blank.tsv is empty (only blank space). Check that it was saved completely.");
    const none = await loadError([write("none.json", "[]")]);
    expect(none.message).toBe(
      "none.json holds no JSON records (an empty array or only blank lines). Check that it was saved completely.",
    );
  });

  it("a CSV named .xlsx", async () => {
    const error = await loadError([write("table.xlsx", "a,b\n1,2\n")]);
    expect(error.message).toMatch(/^table\.xlsx is not a valid \.xlsx workbook: it contains plain text \(CSV\?\)/);
  });

  it("a zip that is not a workbook", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "not a workbook");
    const error = await loadError([write("archive.xlsx", await zip.generateAsync({ type: "uint8array" }))]);
    expect(error.message).toMatch(
      /^archive\.xlsx is not a valid \.xlsx workbook: it is a zip archive without worksheets/,
    );
  });

  it("a truncated workbook", async () => {
    const error = await loadError([write("cut.xlsx", workbookBytes.subarray(0, Math.floor(workbookBytes.length / 2)))]);
    expect(error.message).toMatch(/^cut\.xlsx is not a valid \.xlsx workbook \(.+\)\. Check that the file is complete/);
  });

  it("a workbook in which every sheet is empty", async () => {
    const path = join(temp.dir, "blank.xlsx");
    await writeWorkbook(path, (workbook) => {
      workbook.addWorksheet("One");
      workbook.addWorksheet("Two");
    });
    const error = await loadError([path]);
    expect(error.message).toBe(
      "blank.xlsx has no data: every sheet is empty. Check that you picked the right workbook.",
    );
  });

  it("a CSV row with too few or too many fields, naming the line", async () => {
    const short = await loadError([write("short.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n")]);
    expect(short.message).toBe(
      "short.csv line 3: the row has 2 fields but the header has 3. Fix that line (every row needs one field per header column) and load the file again.",
    );
    const long = await loadError([write("long.csv", 'a,b\n"x\ny",1\n2,3\n4,5,6\n')]);
    expect(long.message).toMatch(/^long\.csv line 5: the row has 3 fields but the header has 2\./);
  });

  it("a binary file named .csv", async () => {
    const error = await loadError([write("data.csv", workbookBytes)]);
    expect(error.message).toMatch(/^data\.csv is not a text CSV file: it contains a zip archive/);
  });

  it("invalid JSON, with line and column", async () => {
    const error = await loadError([write("bad.json", '[{"a": 1},\n {"a" 2}]')]);
    expect(error.message).toMatch(/^bad\.json is not valid JSON: line 2, column 7: Expected ':' after property name/);
  });

  it("invalid NDJSON, with the line", async () => {
    const error = await loadError([write("bad.jsonl", '{"a":1}\n{"a":2}\n{a:3}\n')]);
    expect(error.message).toMatch(/^bad\.jsonl is not valid JSON: line 3: /);
  });

  it("a text file named .parquet, and a truncated Parquet file", async () => {
    const text = await loadError([write("fake.parquet", "id,name\n1,x\n")]);
    expect(text.message).toMatch(/^fake\.parquet is not a valid Parquet file: it contains plain text/);
    const cut = await loadError([write("cut.parquet", "PAR1 and then nothing useful")]);
    expect(cut.message).toMatch(/^cut\.parquet is not a valid Parquet file \(.+\)/);
  });

  it("leaves nothing in the cache when a later file fails", async () => {
    const ownCache = join(temp.dir, "own-cache");
    const error = await loadFiles({
      files: [write("fine.csv", "a\n1\n"), write("broken.csv", "a,b\n1\n")],
      cacheDir: ownCache,
    }).catch((e: unknown) => e);
    expect(DataLoadError.isInstance(error) && error.path).toBe(join(temp.dir, "broken.csv"));
    expect(readdirSync(ownCache)).toEqual([]);
  });
});
