/**
 * The first, engine-independent check on SQL from a model or a user: size, exactly one statement,
 * a reading statement (SELECT / WITH / VALUES ...), and no function that reaches outside the
 * tables (files, other SQL, server settings). Each engine then checks again with its own parser.
 */

import { SqlRejectedError } from "../../spec/errors.js";
import type { SqlDialect } from "../types.js";
import { type SqlToken, tokenizeSql } from "./sql-tokens.js";

/** SQL longer than this is refused before any parsing. */
export const MAX_SQL_LENGTH = 100_000;

const READING_START: Record<SqlDialect, ReadonlySet<string>> = {
  sqlite: new Set(["select", "with", "values"]),
  postgres: new Set(["select", "with", "values", "table"]),
  duckdb: new Set(["select", "with", "values", "table", "from"]),
};

const WRITING_START = new Set([
  "insert",
  "update",
  "delete",
  "replace",
  "upsert",
  "merge",
  "create",
  "drop",
  "alter",
  "truncate",
  "rename",
  "grant",
  "revoke",
  "comment",
  "reindex",
  "cluster",
  "refresh",
  "security",
  "import",
]);

/** Functions that read files, run SQL given as a string, or change the server. */
const FORBIDDEN_FUNCTIONS: Record<SqlDialect, RegExp> = {
  sqlite: /^(load_extension|fts3_tokenizer|readfile|writefile|edit|fsdir|zipfile|sqlar_\w+)$/,
  duckdb:
    /^(read_\w+|glob|sniff_csv|parquet_\w+|sqlite_\w+|postgres_\w+|mysql_\w+|iceberg_\w+|delta_scan|query|query_table|json_execute_serialized_sql|getenv|duckdb_secrets|which_secret|load_aws_credentials|http_\w+)$/,
  postgres:
    /^(pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_file_\w+|pg_logdir_ls|lo_\w+|dblink\w*|set_config|query_to_xml\w*|query_to_xmlschema|cursor_to_xml\w*|ts_stat|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile\w*|pg_promote|pg_switch_wal|pg_create_\w+|pg_drop_replication_slot|pg_replication_\w+|pg_logical_\w+|pg_copy_\w+|pg_advisory_\w+|pg_try_advisory_\w+|pg_notify|pg_import_system_collations|pg_backup_\w+|pg_start_backup|pg_stop_backup|pg_wal_replay_\w+|pg_log_backend_memory_contexts)$/,
};

/**
 * Checks `sql` without an engine and returns the one statement to hand to it (comments around it
 * and a trailing `;` removed), or throws SqlRejectedError.
 *
 * @example
 * gateSql("SELECT 1; -- done", "sqlite"); // "SELECT 1"
 * gateSql("SELECT 1; DROP TABLE t", "sqlite"); // throws, reason "multiple-statements"
 */
export function gateSql(sql: string, dialect: SqlDialect): string {
  const reject = (reason: SqlRejectedError["reason"], message: string) =>
    new SqlRejectedError({ sql, reason, message });
  if (typeof sql !== "string" || sql.trim() === "") {
    throw reject("empty", "The SQL is empty. Write one SELECT statement.");
  }
  if (sql.length > MAX_SQL_LENGTH) {
    throw reject(
      "too-large",
      `The SQL is ${sql.length} characters long; the limit is ${MAX_SQL_LENGTH}. Write a shorter query.`,
    );
  }
  const { tokens, unterminated, unicodeEscape } = tokenizeSql(sql, dialect);
  if (unterminated) {
    throw reject("syntax", `The SQL has an unclosed ${unterminated}. Close it or remove it.`);
  }
  const statements = splitStatements(tokens);
  if (statements.length === 0) {
    throw reject("empty", "The SQL holds only comments or semicolons. Write one SELECT statement.");
  }
  if (statements.length > 1) {
    throw reject(
      "multiple-statements",
      `Only one SELECT statement can run at a time, but this SQL holds ${statements.length}; remove all but one.`,
    );
  }
  const statement = statements[0] as SqlToken[];
  const first = statement.find((t) => t.kind !== "punct" || t.text !== "(");
  const keyword = first?.kind === "word" ? first.text : undefined;
  if (keyword === undefined || !READING_START[dialect].has(keyword)) {
    const shown = keyword?.toUpperCase() ?? first?.text ?? "";
    if (keyword !== undefined && WRITING_START.has(keyword)) {
      throw reject(
        "not-read-only",
        `Only reading queries can run: ${shown} changes data or the schema. Write one SELECT (or WITH ... SELECT) statement.`,
      );
    }
    throw reject(
      keyword === undefined ? "syntax" : "forbidden",
      `${shown} statements cannot run here; only one SELECT (or WITH ... SELECT) statement can.`,
    );
  }
  if (unicodeEscape) {
    throw reject("forbidden", "Unicode-escaped names and strings (U&'...') are not allowed; write them plainly.");
  }
  const denied = FORBIDDEN_FUNCTIONS[dialect];
  for (let i = 0; i + 1 < statement.length; i++) {
    const token = statement[i] as SqlToken;
    const name = token.kind === "quoted" ? token.text.toLowerCase() : token.kind === "word" ? token.text : undefined;
    if (name !== undefined && statement[i + 1]?.text === "(" && denied.test(name)) {
      throw reject(
        "forbidden",
        `The function ${name}() is not allowed: it reaches outside the tables (files, other SQL or server settings). Query the tables directly.`,
      );
    }
  }
  const last = statement[statement.length - 1] as SqlToken;
  return sql.slice((statement[0] as SqlToken).start, last.end);
}

/** Groups tokens by top-level `;`, dropping empty statements. */
function splitStatements(tokens: SqlToken[]): SqlToken[][] {
  const statements: SqlToken[][] = [];
  let current: SqlToken[] = [];
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";") {
      if (current.length > 0) statements.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push(current);
  return statements;
}
