import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoadedDatabase, loadFiles } from "../../../src/data/index.js";
import { makeTempDir, query, writeSalesWorkbook, writeWorkbook } from "./helpers.js";

const temp = makeTempDir();
afterAll(() => temp.remove());

const cacheDir = join(temp.dir, "cache");
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function table(db: LoadedDatabase, name: string) {
  const found = db.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} in ${db.tables.map((t) => t.name).join(", ")}`);
  return found;
}

function types(db: LoadedDatabase, name: string): Record<string, string> {
  return Object.fromEntries(table(db, name).columns.map((c) => [c.name, c.type]));
}

describe("loadFiles on a workbook with titles, a two-row header, merges, formulas and an empty sheet", () => {
  let db: LoadedDatabase;
  beforeAll(async () => {
    const file = join(temp.dir, "sales.xlsx");
    await writeSalesWorkbook(file);
    db = await loadFiles({ files: [file], cacheDir });
  });

  it("makes one table per non-empty sheet, named after the sheet, with the sheet as origin", () => {
    expect(db.tables.map((t) => [t.name, t.origin])).toEqual([
      ["sales_2024", "sales.xlsx#Sales 2024"],
      ["regions", "sales.xlsx#Regions"],
    ]);
    expect(db.warnings).toContain("Sheet 'Empty' in sales.xlsx is empty; skipped.");
  });

  it("skips the title, joins the two header rows and fills merged header cells", () => {
    expect(table(db, "sales_2024").columns.map((c) => c.name)).toEqual([
      "region",
      "sold_on",
      "q1_units",
      "q1_revenue",
      "paid",
      "total",
    ]);
    expect(db.warnings.some((w) => w.includes("Skipped 1 row(s) above the header of sales.xlsx#Sales 2024"))).toBe(
      true,
    );
  });

  it("infers DATE, BIGINT, DOUBLE, BOOLEAN and VARCHAR, and TIMESTAMP for dates with a time", () => {
    expect(types(db, "sales_2024")).toEqual({
      region: "VARCHAR",
      sold_on: "DATE",
      q1_units: "BIGINT",
      q1_revenue: "DOUBLE",
      paid: "BOOLEAN",
      total: "DOUBLE",
    });
    expect(types(db, "regions")).toEqual({ region: "VARCHAR", manager: "VARCHAR", opened: "TIMESTAMP" });
  });

  it("loads the values: blank rows dropped, N/A and empty cells as NULL, formula results, date serials as dates", async () => {
    expect(table(db, "sales_2024").rowCount).toBe(5);
    const rows = await query(
      db.databasePath,
      "SELECT region, CAST(sold_on AS VARCHAR), q1_units, q1_revenue, paid, total FROM sales_2024 ORDER BY rowid",
    );
    const serial45300 = new Date(EXCEL_EPOCH + 45_300 * 86_400_000).toISOString().slice(0, 10);
    expect(rows).toEqual([
      ["North", "2024-01-15", 10, 100.5, true, 1005],
      ["South", "2024-02-29", 20, 200.25, false, 4005],
      ["East", null, 5, null, true, 10],
      ["West", serial45300, 7, 70, null, 490],
      ["Central", "2024-12-31", 1, 1.5, false, 1.5],
    ]);
    expect(await query(db.databasePath, "SELECT CAST(opened AS VARCHAR) FROM regions ORDER BY rowid")).toEqual([
      ["2019-05-01 09:30:00"],
      ["2020-07-02 17:00:00"],
    ]);
  });

  it("keeps the original header text as a column comment and the origin as the table comment", async () => {
    const comments = await query(
      db.databasePath,
      "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'sales_2024' ORDER BY column_index",
    );
    expect(comments.slice(0, 4)).toEqual([
      ["region", "Region"],
      ["sold_on", "Sold on"],
      ["q1_units", "Q1 / Units"],
      ["q1_revenue", "Q1 / Revenue"],
    ]);
    expect(await query(db.databasePath, "SELECT comment FROM duckdb_tables() WHERE table_name = 'regions'")).toEqual([
      ["sales.xlsx#Regions"],
    ]);
  });
});

describe("loadFiles on workbook edge cases", () => {
  it("fills a range merged down a data column, leaves the rest of a range merged across NULL", async () => {
    const file = join(temp.dir, "stock.xlsx");
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet("Stock");
      sheet.addRow(["Group", "Item", "Qty"]);
      sheet.addRow(["Fruit", "Apple", 3]);
      sheet.addRow([null, "Pear", 4]);
      sheet.addRow(["Veg", "Sold out", null]);
      sheet.mergeCells("A2:A3");
      sheet.mergeCells("B4:C4");
    });
    const db = await loadFiles({ files: [file], cacheDir });
    expect(types(db, "stock")).toEqual({ group_: "VARCHAR", item: "VARCHAR", qty: "BIGINT" });
    expect(await query(db.databasePath, "SELECT * FROM stock ORDER BY rowid")).toEqual([
      ["Fruit", "Apple", 3],
      ["Fruit", "Pear", 4],
      ["Veg", "Sold out", null],
    ]);
  });

  it("loads formulas without a saved result as NULL and says so", async () => {
    const file = join(temp.dir, "calc.xlsx");
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet("Calc");
      sheet.addRow(["a", "double"]);
      sheet.addRow([1, { formula: "A2*2", result: 2 }]);
      sheet.addRow([2, { formula: "A3*2" }]);
    });
    const db = await loadFiles({ files: [file], cacheDir });
    expect(await query(db.databasePath, "SELECT a, double FROM calc ORDER BY a")).toEqual([
      [1, 2],
      [2, null],
    ]);
    expect(db.warnings.some((w) => w.startsWith("1 formula cell(s) in calc.xlsx#Calc have no saved result"))).toBe(
      true,
    );
  });

  it("names a lone default-named sheet after the file and letters the columns of a headerless sheet", async () => {
    const file = join(temp.dir, "readings.xlsx");
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet("Sheet1");
      sheet.addRow([1, 2.5]);
      sheet.addRow([2, 3.5]);
    });
    const db = await loadFiles({ files: [file], cacheDir });
    expect(db.tables.map((t) => [t.name, t.origin, t.rowCount])).toEqual([["readings", "readings.xlsx#Sheet1", 2]]);
    expect(types(db, "readings")).toEqual({ column_a: "BIGINT", column_b: "DOUBLE" });
    expect(db.warnings.some((w) => w.includes("has no header row"))).toBe(true);
  });

  it("falls back to VARCHAR for mixed columns, reads numbers stored as text as numbers, and reads times as TIME", async () => {
    const file = join(temp.dir, "mixed.xlsx");
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet("Mixed");
      sheet.addRow(["Code", "Amount", "Starts", "Note", "Code", "Order"]);
      sheet.addRow([12, "7", new Date(Date.UTC(1899, 11, 30, 8, 15)), "x", "0042", "a"]);
      sheet.addRow([
        "abc",
        8.5,
        new Date(Date.UTC(1899, 11, 30, 17, 45, 30)),
        new Date(Date.UTC(2024, 0, 15)),
        "0043",
        "b",
      ]);
      sheet.addRow([true, "-", null, 3, "0044", "c"]);
    });
    const db = await loadFiles({ files: [file], cacheDir });
    expect(types(db, "mixed")).toEqual({
      code: "VARCHAR",
      amount: "DOUBLE",
      starts: "TIME",
      note: "VARCHAR",
      code_2: "VARCHAR",
      order_: "VARCHAR",
    });
    expect(
      await query(
        db.databasePath,
        "SELECT code, amount, CAST(starts AS VARCHAR), note, code_2 FROM mixed ORDER BY rowid",
      ),
    ).toEqual([
      ["12", 7, "08:15:00", "x", "0042"],
      ["abc", 8.5, "17:45:30", "2024-01-15", "0043"],
      ["true", null, null, "3", "0044"],
    ]);
    expect(db.warnings).toContain(
      "Column 'code' of mixed.xlsx#Mixed mixes numbers or dates with text; it was loaded as VARCHAR.",
    );
    expect(db.warnings).toContain(
      "Column 'note' of mixed.xlsx#Mixed mixes numbers or dates with text; it was loaded as VARCHAR.",
    );
    expect(db.warnings.some((w) => w.includes("'code_2'"))).toBe(false);
  });

  it("keeps a header-only sheet as an empty table and says so", async () => {
    const file = join(temp.dir, "template.xlsx");
    await writeWorkbook(file, (workbook) => {
      workbook.addWorksheet("Template").addRow(["Name", "Email"]);
    });
    const db = await loadFiles({ files: [file], cacheDir });
    expect(db.tables.map((t) => [t.name, t.rowCount, t.columns.map((c) => c.name)])).toEqual([
      ["template", 0, ["name", "email"]],
    ]);
    expect(db.warnings.some((w) => w.includes("has a header but no data rows"))).toBe(true);
  });
});
