/**
 * The two heavy engines the loader needs, imported on first use: both are optional, so `import("weft")`
 * stays cheap and a missing one is a MissingDependencyError naming the package to install.
 */
import { MissingDependencyError, WeftError } from "../../spec/errors.js";

export type DuckDBModule = typeof import("@duckdb/node-api");
export type ExcelJSModule = typeof import("exceljs");
export type DuckDBConnection = import("@duckdb/node-api").DuckDBConnection;

/** DuckDB settings for loading: never download or auto-load an extension (csv, json and parquet are built in). */
export const DUCKDB_LOAD_CONFIG: Record<string, string> = {
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
};

function isModuleMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error).includes(packageName);
}

/** Runs `importer`, turning "package not installed" into MissingDependencyError and other failures into a WeftError. */
export async function importOptional<T>(packageName: string, feature: string, importer: () => Promise<T>): Promise<T> {
  try {
    return await importer();
  } catch (error) {
    if (isModuleMissing(error, packageName)) throw new MissingDependencyError({ packageName, feature, cause: error });
    throw new WeftError(
      "data-engine",
      `${packageName} is installed but could not be loaded (${error instanceof Error ? error.message : String(error)}). Reinstall it with: npm install ${packageName}`,
      { cause: error },
    );
  }
}

/** Imports `@duckdb/node-api`, or throws MissingDependencyError. */
export function importDuckDB(): Promise<DuckDBModule> {
  return importOptional("@duckdb/node-api", "Loading data files", () => import("@duckdb/node-api"));
}

/** Imports `exceljs` (a CommonJS package, so its API sits on `default` under ESM), or throws MissingDependencyError. */
export async function importExcelJS(): Promise<ExcelJSModule> {
  const mod = await importOptional("exceljs", "Loading .xlsx workbooks", () => import("exceljs"));
  return ((mod as { default?: ExcelJSModule }).default ?? mod) as ExcelJSModule;
}
