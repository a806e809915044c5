/**
 * The contract between weft's structured-data pieces: where tables come from (files loaded into
 * DuckDB, SQLite files, PostgreSQL), how SQL is checked and run safely on them, and what a result
 * looks like. Everything in `data/` talks to a source through `DataSource` only.
 */

export type SqlDialect = "duckdb" | "sqlite" | "postgres";

export interface ColumnInfo {
  name: string;
  /** The engine's type name, e.g. `BIGINT`, `DOUBLE`, `DATE`, `VARCHAR`, `TEXT`, `timestamp with time zone`. */
  type: string;
  nullable?: boolean;
}

export interface TableInfo {
  /** Name as it must be written in SQL (unquoted); `schema.table` for non-default schemas. */
  name: string;
  columns: ColumnInfo[];
  /** Row count when cheap to know. */
  rowCount?: number;
  /** Where the table came from, e.g. `sales.xlsx#Sheet1` or `orders.csv`. */
  origin?: string;
  primaryKey?: string[];
  foreignKeys?: Array<{ columns: string[]; references: { table: string; columns: string[] } }>;
}

export interface ColumnProfile extends ColumnInfo {
  /** Share of rows where the value is NULL, 0..1. */
  nullShare: number;
  distinctCount: number;
  min?: string | number | null;
  max?: string | number | null;
  /** A few distinct non-null values, rendered as strings, at most ~40 characters each. */
  samples: string[];
}

export interface TableProfile extends Omit<TableInfo, "columns"> {
  rowCount: number;
  columns: ColumnProfile[];
}

export interface SchemaProfile {
  dialect: SqlDialect;
  tables: TableProfile[];
}

/** A JSON-safe cell: numbers that do not fit a double (BIGINT, DECIMAL) are strings; dates are ISO strings. */
export type Cell = string | number | boolean | null;

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  sql: string;
  columns: QueryColumn[];
  /** Row-major, in column order. */
  rows: Cell[][];
  /** True when more rows existed than `maxRows`. */
  truncated: boolean;
  durationMs: number;
}

export interface SqlRunOptions {
  /** Rows returned at most (default 1000). The query is cut off, not re-written. */
  maxRows?: number;
  /** Wall-clock limit (default 10 s); the engine interrupts the query. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/**
 * An open, read-only view of some tables. `check` and `run` refuse anything but exactly one
 * read-only statement over existing tables and columns, with a SqlRejectedError naming the reason.
 */
export interface DataSource {
  readonly dialect: SqlDialect;
  /** Human label: the file or database it shows. */
  readonly label: string;
  tables(): Promise<TableInfo[]>;
  /** Statistics for the prompt and for `weft data schema`. */
  profile(options?: { tables?: string[]; sampleValues?: number }): Promise<SchemaProfile>;
  /** Checks without running: parse, one statement, read-only, objects exist (EXPLAIN / prepare). */
  check(sql: string): Promise<void>;
  /** check + run with a row limit and a timeout on a read-only connection. */
  run(sql: string, options?: SqlRunOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

/** Where to find the data: files (loaded into DuckDB) or a database queried in place. */
export type DataLocation =
  | { file: string | string[] }
  /** A SQLite file path or a `postgres://` / `postgresql://` URL. */
  | { db: string };
