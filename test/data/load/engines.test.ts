import { describe, expect, it } from "vitest";
import { importDuckDB, importExcelJS, importOptional } from "../../../src/data/load/engines.js";
import { MissingDependencyError, WeftError } from "../../../src/spec/errors.js";

describe("optional engines", () => {
  it("loads DuckDB and exceljs on demand", async () => {
    expect(typeof (await importDuckDB()).DuckDBInstance.create).toBe("function");
    expect(typeof (await importExcelJS()).Workbook).toBe("function");
  });

  it("names the package to install when it is missing", async () => {
    // Stands in for an install without the optional package: the import fails as Node's would.
    const missing = () =>
      Promise.reject(
        Object.assign(new Error("Cannot find package 'exceljs' imported from weft"), { code: "ERR_MODULE_NOT_FOUND" }),
      );
    const error = await importOptional("exceljs", "Loading .xlsx workbooks", missing).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      "Loading .xlsx workbooks needs the optional package 'exceljs'. Install it with: npm install exceljs",
    );
  });

  it("reports a broken install as such", async () => {
    const broken = () => Promise.reject(new Error("invalid ELF header"));
    const error = await importOptional("@duckdb/node-api", "Loading data files", broken).catch((e: unknown) => e);
    expect(WeftError.isInstance(error) && !MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^@duckdb\/node-api is installed but could not be loaded \(invalid ELF header\)/,
    );
  });
});
