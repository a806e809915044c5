import type { ColumnInfo } from "../types.js";

/** One table written into the database by `loadFiles`. */
export interface LoadedTable {
  /** Name as written in SQL (lowercase snake_case, never needs quoting). */
  name: string;
  /** Where it came from: `orders.csv`, or `sales.xlsx#Sheet 1` for a sheet. */
  origin: string;
  rowCount: number;
  columns: ColumnInfo[];
}
