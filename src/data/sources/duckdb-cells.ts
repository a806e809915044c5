/** DuckDB values → JSON-safe cells (see cells.ts for the shared rules). */

import type { DuckDBType, DuckDBValue } from "@duckdb/node-api";
import type { Cell } from "../types.js";
import { bigintCell, blobCell, floatCell, isoTimestamp, numericCell } from "./cells.js";
import type { DuckDbModule } from "./load-driver.js";

/** Returns a converter bound to the loaded DuckDB module (its value classes are checked with instanceof). */
export function duckDbCellConverter(duckdb: DuckDbModule): (value: DuckDBValue, type: DuckDBType) => Cell {
  const json = duckdb.JsonDuckDBValueConverter;
  return (value, type) => {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case "boolean":
      case "string":
        return value;
      case "number":
        return floatCell(value);
      case "bigint":
        return bigintCell(value);
    }
    if (value instanceof duckdb.DuckDBDecimalValue) return numericCell(value.toString());
    if (value instanceof duckdb.DuckDBTimestampTZValue) {
      // Rendered in UTC: the library would use the machine's time zone.
      const utc = isoTimestamp(new duckdb.DuckDBTimestampValue(value.micros).toString());
      return utc.includes("T") ? `${utc}Z` : utc;
    }
    if (
      value instanceof duckdb.DuckDBTimestampValue ||
      value instanceof duckdb.DuckDBTimestampSecondsValue ||
      value instanceof duckdb.DuckDBTimestampMillisecondsValue ||
      value instanceof duckdb.DuckDBTimestampNanosecondsValue
    ) {
      return isoTimestamp(value.toString());
    }
    if (value instanceof duckdb.DuckDBBlobValue) return blobCell(value.bytes.length);
    if (
      value instanceof duckdb.DuckDBListValue ||
      value instanceof duckdb.DuckDBArrayValue ||
      value instanceof duckdb.DuckDBStructValue ||
      value instanceof duckdb.DuckDBMapValue ||
      value instanceof duckdb.DuckDBUnionValue ||
      value instanceof duckdb.DuckDBVariantValue
    ) {
      return JSON.stringify(json(value, type, json));
    }
    return String(value);
  };
}
