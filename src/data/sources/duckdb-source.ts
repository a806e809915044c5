/**
 * A read-only DataSource over a DuckDB database file. The instance is opened READ_ONLY with file,
 * network and extension access switched off and the configuration locked, so even SQL that slipped
 * past the checks could not read a file, load an extension or change a setting.
 */

import { existsSync, statSync } from "node:fs";
import { basename } from "node:path";
import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from "@duckdb/node-api";
import { DataLoadError, InvalidArgumentError, type SqlRejectedError } from "../../spec/errors.js";
import type { Cell, DataSource, QueryColumn, QueryResult, SqlRunOptions, TableInfo } from "../types.js";
import { runLimits, withDeadline } from "./deadline.js";
import { duckDbCellConverter } from "./duckdb-cells.js";
import { type DuckDbModule, importDuckDb } from "./load-driver.js";
import { type ProfileDialect, type ProfileTarget, quoteIdent, schemaMethods } from "./profile.js";
import { engineRejection, errorMessage } from "./rejections.js";
import { gateSql } from "./sql-gate.js";

export interface OpenDuckDbSourceOptions {
  /** A DuckDB database file, e.g. the one `loadFiles` wrote. */
  databasePath: string;
  /** Shown to users; defaults to the file name. */
  label?: string;
}

/**
 * Instance settings, in the order DuckDB accepts them: `temp_directory` must be set while file
 * access is still allowed, and `lock_configuration` last. An empty temp directory keeps large
 * queries in memory instead of spilling next to the data.
 */
export const LOCKED_DUCKDB_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  temp_directory: "",
  access_mode: "READ_ONLY",
  enable_external_access: "false",
  autoinstall_known_extensions: "false",
  autoload_known_extensions: "false",
  allow_community_extensions: "false",
  lock_configuration: "true",
});

const profileDialect: ProfileDialect = {
  dialect: "duckdb",
  orderable: (type) =>
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL\(\d+,\d+\)|DATE|TIME|TIMESTAMP(_S|_MS|_NS)?|TIMESTAMP WITH TIME ZONE|TIME WITH TIME ZONE|VARCHAR|INTERVAL|UUID)$/i.test(
      type,
    ),
  sampleable: (type) => !/^(BLOB|BYTEA|BIT)/i.test(type),
  distinctCount: (column) => `approx_count_distinct(${column})`,
  asText: (column) => `CAST(${column} AS VARCHAR)`,
  topValues: (column, k) => `approx_top_k(CAST(${column} AS VARCHAR), ${k})`,
  columnsPerQuery: 200,
};

/**
 * Opens a DuckDB file for reading only.
 *
 * @example
 * const source = await openDuckDbSource({ databasePath: "cache/sales.duckdb" });
 * const { rows } = await source.run("SELECT region, sum(amount) FROM sales GROUP BY 1");
 */
export async function openDuckDbSource(options: OpenDuckDbSourceOptions): Promise<DataSource> {
  const path = options.databasePath;
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new DataLoadError({ path, message: `There is no DuckDB database file at ${path}. Check the path.` });
  }
  const duckdb = await importDuckDb();
  let instance: DuckDBInstance;
  try {
    instance = await duckdb.DuckDBInstance.create(path, { ...LOCKED_DUCKDB_CONFIG });
  } catch (cause) {
    throw new DataLoadError({
      path,
      message: `${path} could not be opened as a DuckDB database: ${errorMessage(cause)}`,
      cause,
    });
  }
  return createDuckDbSource({ duckdb, instance, label: options.label ?? basename(path) });
}

function createDuckDbSource(ctx: { duckdb: DuckDbModule; instance: DuckDBInstance; label: string }): DataSource {
  const { duckdb, instance } = ctx;
  const toCell = duckDbCellConverter(duckdb);
  let closed = false;

  const connect = async (): Promise<DuckDBConnection> => {
    if (closed)
      throw new InvalidArgumentError({ argument: "source", message: `${ctx.label} is closed; open it again.` });
    return instance.connect();
  };

  /** Extracts exactly one statement, prepares it (binding checks tables and columns) and demands a SELECT. */
  const prepare = async (connection: DuckDBConnection, sql: string, statement: string) => {
    const extracted = await connection.extractStatements(statement);
    if (extracted.count !== 1) {
      throw engineRejection({
        sql,
        engine: "DuckDB",
        reason: extracted.count === 0 ? "empty" : "multiple-statements",
        detail: `the SQL holds ${extracted.count} statements`,
      });
    }
    const prepared = await extracted.prepare(0);
    if (prepared.statementType !== duckdb.StatementType.SELECT) {
      const name = duckdb.StatementType[prepared.statementType] ?? String(prepared.statementType);
      throw engineRejection({
        sql,
        engine: "DuckDB",
        reason: /INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|MERGE/.test(name) ? "not-read-only" : "forbidden",
        detail: `this is a ${name} statement, not a SELECT`,
      });
    }
    return prepared;
  };

  const execute = async (
    prepared: DuckDBPreparedStatement,
    maxRows: number,
  ): Promise<{ columns: QueryColumn[]; rows: Cell[][]; truncated: boolean }> => {
    const result = await prepared.stream();
    const types = result.columnTypes();
    const columns = result.columnNames().map((name, i) => ({ name, type: String(types[i]) }));
    const rows: Cell[][] = [];
    let truncated = false;
    // Chunks of ~2048 rows are pulled only until one row more than wanted has been seen.
    while (!truncated) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const take = Math.min(chunk.rowCount, maxRows - rows.length);
      if (chunk.rowCount > take) truncated = true;
      for (let r = 0; r < take; r++) {
        const values = chunk.getRowValues(r);
        rows.push(values.map((v, c) => toCell(v, types[c] as (typeof types)[number])));
      }
    }
    return { columns, rows, truncated };
  };

  const run = async (sql: string, options: SqlRunOptions = {}): Promise<QueryResult> => {
    const started = performance.now();
    const { maxRows, timeoutMs } = runLimits(options);
    const statement = gateSql(sql, "duckdb");
    const connection = await connect();
    try {
      const { columns, rows, truncated } = await withDeadline(
        async () => {
          try {
            return await execute(await prepare(connection, sql, statement), maxRows);
          } catch (error) {
            throw toRejection(sql, error);
          }
        },
        { sql, timeoutMs, abortSignal: options.abortSignal, interrupt: () => connection.interrupt() },
      );
      return { sql, columns, rows, truncated, durationMs: performance.now() - started };
    } finally {
      connection.closeSync();
    }
  };

  /** Our own catalog queries: trusted SQL, same limits. */
  const internal = async (sql: string, maxRows = 100_000): Promise<QueryResult> => {
    const connection = await connect();
    try {
      return await withDeadline(
        async () => {
          const started = performance.now();
          const out = await execute(await connection.prepare(sql), maxRows);
          return { sql, ...out, durationMs: performance.now() - started };
        },
        { sql, timeoutMs: 120_000, interrupt: () => connection.interrupt() },
      );
    } finally {
      connection.closeSync();
    }
  };

  const loadTargets = async (): Promise<ProfileTarget[]> => {
    const scope = "database_name = current_database() AND NOT internal AND NOT temporary";
    const relations = await internal(
      `SELECT schema_name, table_name, comment, 'table' AS kind FROM duckdb_tables() WHERE ${scope}
       UNION ALL SELECT schema_name, view_name, comment, 'view' FROM duckdb_views() WHERE ${scope}
       ORDER BY 1, 2`,
    );
    const columns = await internal(
      `SELECT schema_name, table_name, column_name, data_type, is_nullable FROM duckdb_columns()
       WHERE database_name = current_database() AND NOT internal ORDER BY schema_name, table_name, column_index`,
    );
    const keys = await internal(
      `SELECT schema_name, table_name, constraint_type, constraint_column_names, referenced_table, referenced_column_names
       FROM duckdb_constraints() WHERE database_name = current_database() AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')`,
    );
    const targets: ProfileTarget[] = [];
    const byKey = new Map<string, ProfileTarget>();
    for (const [schema, table, comment, kind] of relations.rows as string[][]) {
      const info: TableInfo = { name: schema === "main" ? (table as string) : `${schema}.${table}`, columns: [] };
      if (comment) info.origin = comment;
      const target = { info, ref: `${quoteIdent(schema as string)}.${quoteIdent(table as string)}`, kind };
      targets.push(target);
      byKey.set(`${schema}\u0000${table}`, target);
    }
    for (const [schema, table, name, type, nullable] of columns.rows) {
      byKey
        .get(`${schema}\u0000${table}`)
        ?.info.columns.push({ name: String(name), type: String(type), nullable: nullable === true });
    }
    for (const [schema, table, kind, cols, refTable, refCols] of keys.rows) {
      const info = byKey.get(`${schema}\u0000${table}`)?.info;
      if (!info) continue;
      const names = parseList(cols);
      if (kind === "PRIMARY KEY") {
        info.primaryKey = names;
        continue;
      }
      info.foreignKeys ??= [];
      info.foreignKeys.push({ columns: names, references: { table: String(refTable), columns: parseList(refCols) } });
    }
    const tables = targets.filter((t) => (t as { kind?: string }).kind === "table");
    if (tables.length > 0) {
      // Exact counts are cheap in DuckDB: they come from row-group metadata.
      const counts = await internal(
        tables.map((t, i) => `SELECT ${i} AS i, count(*) AS n FROM ${t.ref}`).join(" UNION ALL "),
      );
      for (const [i, n] of counts.rows) {
        const target = tables[Number(i)];
        if (target) target.info.rowCount = Number(n);
      }
    }
    return targets.map(({ info, ref }) => ({ info, ref }));
  };

  return {
    dialect: "duckdb",
    label: ctx.label,
    ...schemaMethods({
      dialect: "duckdb",
      profileDialect,
      loadTargets,
      run: (sql, maxRows) => internal(sql, maxRows),
    }),
    async check(sql) {
      const statement = gateSql(sql, "duckdb");
      const connection = await connect();
      try {
        (
          await prepare(connection, sql, statement).catch((error) => {
            throw toRejection(sql, error);
          })
        ).destroySync();
      } finally {
        connection.closeSync();
      }
    },
    run,
    async close() {
      if (closed) return;
      closed = true;
      instance.closeSync();
    },
  };
}

function parseList(cell: Cell | undefined): string[] {
  if (typeof cell !== "string") return [];
  try {
    const parsed: unknown = JSON.parse(cell);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** Maps DuckDB's error classes (the prefix of its messages) to rejection reasons. */
function toRejection(sql: string, error: unknown): unknown {
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "sql-rejected")
    return error;
  const raw = errorMessage(error);
  // The engine's caret diagram ("LINE 1: ...") repeats the SQL; the first lines carry the meaning.
  const detail = raw
    .replace(/^Failed to (extract statements|prepare statement)[^:]*:\s*/i, "")
    .split(/\n\s*LINE \d+:/)[0] as string;
  let reason: SqlRejectedError["reason"] = "engine";
  if (/^Parser Error/i.test(detail)) reason = "syntax";
  else if (/^Catalog Error/i.test(detail)) reason = "unknown-object";
  else if (/^Binder Error/i.test(detail) && /not found|does not exist|could not find|not in the catalog/i.test(detail))
    reason = "unknown-object";
  else if (/^Permission Error/i.test(detail) || /disabled by configuration|No extension found/i.test(detail))
    reason = "forbidden";
  else if (/read-only|read only/i.test(detail)) reason = "not-read-only";
  else if (/^INTERRUPT/i.test(detail)) reason = "timeout";
  return engineRejection({ sql, engine: "DuckDB", reason, detail, cause: error });
}
