/** Shared by the loader tests: temporary folders, workbook fixtures written with exceljs, and reading back a database. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";

/** A fresh temporary folder and a function removing it. */
export function makeTempDir(prefix = "weft-load-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs read-only queries on a loaded database and returns plain rows (BIGINTs as numbers, dates as ISO strings). */
export async function query(databasePath: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(databasePath, { access_mode: "READ_ONLY" });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader
        .getRowsJS()
        .map((row) =>
          row.map((value) =>
            typeof value === "bigint" ? Number(value) : value instanceof Date ? value.toISOString() : value,
          ),
        );
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** Writes a workbook built by `build` to `path`. */
export async function writeWorkbook(path: string, build: (workbook: ExcelJS.Workbook) => void): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  await workbook.xlsx.writeFile(path);
}

/**
 * The main fixture: a "Sales 2024" sheet with a merged title row, a two-row header (a merged group header
 * over sub-headers, a header merged down two rows), dates, numbers, booleans, formulas and empty
 * cells; a plain "Regions" sheet; and an empty sheet.
 */
export async function writeSalesWorkbook(path: string): Promise<void> {
  await writeWorkbook(path, (workbook) => {
    const sales = workbook.addWorksheet("Sales 2024");
    sales.addRow(["Quarterly sales report"]);
    sales.addRow([]);
    sales.addRow(["Region", "Sold on", "Q1", null, "Paid", "Total"]);
    sales.addRow([null, null, "Units", "Revenue", null, null]);
    sales.mergeCells("C3:D3");
    sales.mergeCells("A3:A4");
    sales.mergeCells("A1:F1");
    sales.addRow(["North", new Date(Date.UTC(2024, 0, 15)), 10, 100.5, true, { formula: "C5*D5", result: 1005 }]);
    sales.addRow(["South", new Date(Date.UTC(2024, 1, 29)), 20, 200.25, false, { formula: "C6*D6", result: 4005 }]);
    sales.addRow(["East", null, 5, "N/A", true, { formula: "C7*2", result: 10 }]);
    sales.addRow(["West", 45_300, 7, 70, null, { formula: "C8*D8", result: 490 }]);
    sales.getCell("B8").numFmt = "yyyy-mm-dd";
    sales.addRow([]);
    sales.addRow(["Central", new Date(Date.UTC(2024, 11, 31)), 1, 1.5, false, { formula: "C10*D10", result: 1.5 }]);

    const regions = workbook.addWorksheet("Regions");
    regions.addRow(["Region", "Manager", "Opened"]);
    regions.addRow(["North", "Ada", new Date(Date.UTC(2019, 4, 1, 9, 30))]);
    regions.addRow(["South", "Grace", new Date(Date.UTC(2020, 6, 2, 17, 0))]);

    workbook.addWorksheet("Empty");
  });
}
