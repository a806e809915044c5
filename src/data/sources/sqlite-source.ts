/**
 * A read-only DataSource over a SQLite file. The file is opened `readonly` with `query_only` on,
 * in a child process that is killed when a query runs too long (see sqlite-process.ts).
 */

import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { DataLoadError, InvalidArgumentError, type SqlRejectedError } from "../../spec/errors.js";
import type { DataSource, QueryResult, SqlRunOptions, TableInfo } from "../types.js";
import { runLimits, withDeadline } from "./deadline.js";
import { type ProfileDialect, type ProfileTarget, quoteIdent, schemaMethods } from "./profile.js";
import { engineRejection, errorMessage } from "./rejections.js";
import { gateSql } from "./sql-gate.js";
import { type SqliteReply, type SqliteRequest, startSqliteProcess } from "./sqlite-process.js";

export interface OpenSqliteSourceOptions {
  /** A SQLite database file. */
  path: string;
  /** Shown to users; defaults to the file name. */
  label?: string;
}

const SQLITE_HEADER = "SQLite format 3\u0000";

const profileDialect: ProfileDialect = {
  dialect: "sqlite",
  // SQLite orders any mix of values; only binary columns make meaningless bounds.
  orderable: (type) => !/BLOB/i.test(type),
  sampleable: (type) => !/BLOB/i.test(type),
  distinctCount: (column) => `count(DISTINCT ${column})`,
  asText: (column) => `CAST(${column} AS TEXT)`,
  // Stays under SQLite's 500 terms per compound SELECT and 2000 result columns.
  columnsPerQuery: 100,
};

/** Whether the file starts with SQLite's 16-byte header. */
export function isSqliteFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const fd = openSync(path, "r");
    try {
      const header = Buffer.alloc(16);
      return readSync(fd, header, 0, 16, 0) === 16 && header.toString("latin1") === SQLITE_HEADER;
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Opens a SQLite file for reading only.
 *
 * @example
 * const source = await openSqliteSource({ path: "concert_singer.sqlite" });
 * console.log(await source.tables());
 */
export async function openSqliteSource(options: OpenSqliteSourceOptions): Promise<DataSource> {
  const { path } = options;
  if (!existsSync(path)) {
    throw new DataLoadError({ path, message: `There is no file at ${path}. Check the path to the SQLite database.` });
  }
  if (!isSqliteFile(path)) {
    throw new DataLoadError({
      path,
      message: `${path} is not a SQLite database (it does not start with the SQLite header). Pass a .sqlite/.db file, or load spreadsheets and CSV files with { file }.`,
    });
  }
  let sqlite: Awaited<ReturnType<typeof startSqliteProcess>>;
  try {
    sqlite = await startSqliteProcess(path);
  } catch (cause) {
    throw new DataLoadError({
      path,
      message: `${path} could not be opened with SQLite: ${errorMessage(cause)}`,
      cause,
    });
  }
  const label = options.label ?? basename(path);
  let closed = false;

  const ask = async (sql: string, request: SqliteRequest, timeoutMs: number, abortSignal?: AbortSignal) => {
    if (closed) throw new InvalidArgumentError({ argument: "source", message: `${label} is closed; open it again.` });
    const pending = sqlite.request(request);
    const reply = await withDeadline(
      () =>
        pending.reply.catch((cause) => {
          throw engineRejection({ sql, engine: "SQLite", reason: "engine", detail: errorMessage(cause), cause });
        }),
      { sql, timeoutMs, abortSignal, interrupt: () => pending.interrupt() },
    );
    if (!reply.ok) throw toRejection(sql, reply);
    return reply;
  };

  const internal = async (sql: string, params: Array<string | number> = [], maxRows = 100_000) => {
    const started = performance.now();
    const reply = await ask(sql, { mode: "run", sql, params, maxRows }, 120_000);
    return {
      sql,
      columns: reply.ok ? (reply.columns ?? []) : [],
      rows: reply.ok ? (reply.rows ?? []) : [],
      truncated: reply.ok ? (reply.truncated ?? false) : false,
      durationMs: performance.now() - started,
    } satisfies QueryResult;
  };

  const loadTargets = async (): Promise<ProfileTarget[]> => {
    const { rows } = await internal(
      "SELECT name, type, coalesce(sql, '') FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name",
    );
    const virtual = rows
      .filter(([, , sql]) => /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(String(sql)))
      .map(([name]) => String(name));
    const targets: ProfileTarget[] = [];
    for (const [name] of rows) {
      const table = String(name);
      // SQLite's own tables, virtual tables (their module may be missing here) and their shadow tables.
      if (/^sqlite_/i.test(table) || virtual.some((v) => table === v || table.startsWith(`${v}_`))) continue;
      let columns: QueryResult;
      let keys: QueryResult;
      try {
        columns = await internal('SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid', [table]);
        keys = await internal('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq', [
          table,
        ]);
      } catch {
        // A view over a dropped table cannot be described; it could not be queried either.
        continue;
      }
      const info: TableInfo = {
        name: table,
        columns: columns.rows.map(([column, type, notnull]) => ({
          name: String(column),
          type: String(type ?? ""),
          nullable: Number(notnull) === 0,
        })),
      };
      const pk = columns.rows
        .filter(([, , , position]) => Number(position) > 0)
        .sort((a, b) => Number(a[3]) - Number(b[3]))
        .map(([column]) => String(column));
      if (pk.length > 0) info.primaryKey = pk;
      const foreign = new Map<number, NonNullable<TableInfo["foreignKeys"]>[number]>();
      for (const [id, refTable, from, to] of keys.rows) {
        const key = foreign.get(Number(id)) ?? { columns: [], references: { table: String(refTable), columns: [] } };
        key.columns.push(String(from));
        // A missing target column means "the referenced table's primary key".
        if (to !== null) key.references.columns.push(String(to));
        foreign.set(Number(id), key);
      }
      if (foreign.size > 0) info.foreignKeys = [...foreign.values()];
      targets.push({ info, ref: quoteIdent(table) });
    }
    return targets;
  };

  return {
    dialect: "sqlite",
    label,
    ...schemaMethods({
      dialect: "sqlite",
      profileDialect,
      loadTargets,
      run: (sql, maxRows) => internal(sql, [], maxRows),
    }),
    async check(sql) {
      const statement = gateSql(sql, "sqlite");
      await ask(sql, { mode: "check", sql: statement }, 30_000);
    },
    async run(sql: string, options: SqlRunOptions = {}): Promise<QueryResult> {
      const started = performance.now();
      const { maxRows, timeoutMs } = runLimits(options);
      const statement = gateSql(sql, "sqlite");
      const reply = await ask(sql, { mode: "run", sql: statement, maxRows }, timeoutMs, options.abortSignal);
      if (!reply.ok) throw new Error("unreachable");
      return {
        sql,
        columns: reply.columns ?? [],
        rows: reply.rows ?? [],
        truncated: reply.truncated ?? false,
        durationMs: performance.now() - started,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await sqlite.close();
    },
  };
}

/** Maps better-sqlite3's errors and the statement checks to rejection reasons. */
function toRejection(sql: string, reply: Extract<SqliteReply, { ok: false }>): SqlRejectedError {
  if (reply.kind === "not-reader") {
    return engineRejection({
      sql,
      engine: "SQLite",
      reason: "not-read-only",
      detail: "this statement does not return rows, so it is not a query",
    });
  }
  if (reply.kind === "not-read-only") {
    return engineRejection({
      sql,
      engine: "SQLite",
      reason: "not-read-only",
      detail: "this statement writes to the database",
    });
  }
  const detail = reply.message ?? "unknown error";
  let reason: SqlRejectedError["reason"] = "engine";
  if (/more than one statement/i.test(detail)) reason = "multiple-statements";
  else if (/contains no statements/i.test(detail)) reason = "empty";
  else if (/no such (table|column|function|module|collation)|ambiguous column/i.test(detail)) reason = "unknown-object";
  else if (/syntax error|incomplete input|unrecognized token|parser stack overflow|recursion limit/i.test(detail))
    reason = "syntax";
  else if (/not authorized/i.test(detail)) reason = "forbidden";
  else if (/readonly database|read-only|query_only/i.test(detail)) reason = "not-read-only";
  return engineRejection({ sql, engine: "SQLite", reason, detail });
}
