/** What every format loader gets: an open DuckDB connection to the database being built, and the shared bookkeeping. */
import type { DuckDBConnection, DuckDBModule } from "./engines.js";
import { claimName, quoteIdentifier, sqlString } from "./identifiers.js";
import type { LoadedTable } from "./loaded-table.js";

export interface LoadContext {
  duckdb: DuckDBModule;
  connection: DuckDBConnection;
  /** Table names already used, lowercased. */
  takenTables: Set<string>;
  /** Origins that produced each table name, for the duplicate-name warning. */
  tableOrigins: Map<string, string>;
  /** DuckDB's reserved keywords, which identifiers must avoid. */
  reserved: ReadonlySet<string>;
  warnings: string[];
  abortSignal?: AbortSignal;
}

/** Rows of a query, as plain JS values. */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS() as unknown[][];
}

/**
 * Keywords that cannot stand unquoted as a column or table name (`order`, `group`, `at`, `join`, ...),
 * read from the engine so the list matches its parser. The `type_function` category is included:
 * most of those break a plain `SELECT at FROM t` too.
 */
export async function reservedKeywords(connection: DuckDBConnection): Promise<Set<string>> {
  const rows = await queryRows(
    connection,
    "SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function')",
  );
  return new Set(rows.map((row) => String(row[0]).toLowerCase()));
}

/** Claims a unique table name, warning when a suffix was needed because another file or sheet had it first. */
export function claimTableName(context: LoadContext, wanted: string, origin: string): string {
  const name = claimName(wanted, context.takenTables);
  if (name !== wanted) {
    const first = context.tableOrigins.get(wanted.toLowerCase()) ?? "another input";
    context.warnings.push(`Table name '${wanted}' from ${origin} was already taken by ${first}; loaded as '${name}'.`);
  }
  context.tableOrigins.set(name.toLowerCase(), origin);
  return name;
}

/**
 * Stores the origin as the table's comment and original headers as column comments, so anything
 * opening the database later (not only this loader's manifest) can tell where a table came from.
 */
export async function writeComments(
  context: LoadContext,
  table: string,
  origin: string,
  columnComments: Map<string, string>,
): Promise<void> {
  const statements = [`COMMENT ON TABLE ${quoteIdentifier(table)} IS ${sqlString(origin)}`];
  for (const [column, comment] of columnComments) {
    statements.push(`COMMENT ON COLUMN ${quoteIdentifier(table)}.${quoteIdentifier(column)} IS ${sqlString(comment)}`);
  }
  await context.connection.run(statements.join(";\n"));
}

/** Name, type and row count of a table just written. */
export async function describeTable(context: LoadContext, table: string, origin: string): Promise<LoadedTable> {
  const columns = await queryRows(
    context.connection,
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ${sqlString(table)} ORDER BY ordinal_position`,
  );
  const count = await queryRows(context.connection, `SELECT count(*) FROM ${quoteIdentifier(table)}`);
  return {
    name: table,
    origin,
    rowCount: Number(count[0]?.[0] ?? 0),
    columns: columns.map(([name, type, nullable]) => ({
      name: String(name),
      type: String(type),
      nullable: nullable === "YES",
    })),
  };
}
