import type { Message } from "../spec/language-model.js";
import type { Cell, QueryResult, SqlDialect } from "./types.js";

const DIALECT_RULES: Record<SqlDialect, string> = {
  sqlite: [
    "SQLite: dates are stored as text or numbers; use date(), strftime('%Y', col) and julianday() to work with them.",
    "Concatenate with ||. There is no ILIKE; LIKE already ignores ASCII case.",
    "Integer division truncates: multiply by 1.0 for ratios and averages of integers.",
  ].join("\n- "),
  duckdb: [
    "DuckDB: use extract(year FROM col), date_trunc('month', col) and strftime(col, '%Y-%m') for dates.",
    "ILIKE matches ignoring case. / divides as a decimal; // is integer division.",
    "Write table and column names exactly as the schema does, double quotes included.",
  ].join("\n- "),
  postgres: [
    "PostgreSQL: names with capitals or spaces must be in double quotes exactly as the schema writes them.",
    "Use extract(year FROM col), date_trunc('month', col) and to_char for dates; ILIKE matches ignoring case.",
    "Integer / integer truncates: cast to numeric for ratios; round(x::numeric, 2) rounds.",
  ].join("\n- "),
};

const DIALECT_NAMES: Record<SqlDialect, string> = { duckdb: "DuckDB", sqlite: "SQLite", postgres: "PostgreSQL" };

/** The system prompt for writing SQL: the dialect, its rules, and what the runner forbids. */
export function sqlSystemPrompt(dialect: SqlDialect, withChart: boolean): string {
  const rules = [
    "Write exactly one read-only query: SELECT, or WITH ... SELECT. Nothing that writes or changes anything (no INSERT, UPDATE, DELETE, CREATE, DROP, PRAGMA, ATTACH, COPY, SET) and no functions that read files.",
    "Use only the tables and columns of the schema, written as the schema writes them.",
    "Put string literals in single quotes and spell values as the sample values do.",
    "Return exactly the columns the question asks for, in the order it asks for them.",
    "Add LIMIT only when the question asks for a number of rows (such as the top 5); the runner already limits the rows shown.",
    DIALECT_RULES[dialect],
  ];
  const chart = withChart
    ? `\nAlso fill "chart" when a chart would help answer the question: mark (bar, line, point, area or histogram) and the result columns for x, y and optionally color, plus a short title; otherwise set it to null.`
    : "";
  return `You write SQL for a ${DIALECT_NAMES[dialect]} database to answer the user's question.\nRules:\n- ${rules.join("\n- ")}\nReply with JSON whose "sql" field holds the query.${chart}`;
}

/** The first user message: the schema, then the question. */
export function sqlUserPrompt(schema: string, question: string): string {
  return `Schema:\n${schema}\n\nQuestion: ${question}`;
}

/** What the model is told when its SQL was rejected or failed, so it can repair it. */
export function repairPrompt(error: string): string {
  return `The database rejected that SQL:\n${error}\nWrite a corrected query that answers the question, and reply with the same JSON shape.`;
}

export const ANSWER_SYSTEM_PROMPT =
  "You answer a question from the result of a SQL query that was run for it. Answer in one to three plain sentences with the key values from the result. Use only values in the result; if it is empty, say that nothing matched; if only part of it is shown, say the answer covers the rows shown. No SQL, no tables, no markdown.";

function cellText(cell: Cell, width: number): string {
  const text = cell === null ? "NULL" : String(cell);
  const flat = text.replace(/\s+/g, " ");
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/**
 * A query result as compact text for a prompt: a header line, then at most `maxRows` rows with
 * cells separated by ` | ` and long cells cut, then a note on what was left out.
 *
 * @example
 * resultText(result, { maxRows: 20 }); // "name | total\nNorth | 120\n..."
 */
export function resultText(
  result: Pick<QueryResult, "columns" | "rows" | "truncated">,
  options: { maxRows?: number; maxCellChars?: number } = {},
): string {
  const maxRows = options.maxRows ?? 30;
  const width = options.maxCellChars ?? 80;
  const lines = [result.columns.map((c) => c.name).join(" | ")];
  for (const row of result.rows.slice(0, maxRows)) lines.push(row.map((c) => cellText(c, width)).join(" | "));
  const hidden = result.rows.length - Math.min(maxRows, result.rows.length);
  if (result.rows.length === 0) lines.push("(no rows)");
  if (hidden > 0 || result.truncated) {
    const more = result.truncated ? "more rows exist" : `${hidden} more row(s)`;
    lines.push(`(${Math.min(maxRows, result.rows.length)} row(s) shown; ${more})`);
  }
  return lines.join("\n");
}

/** The messages of the answer call: question, the SQL that ran, and the (cut) result. */
export function answerMessages(options: {
  question: string;
  sql: string;
  result: Pick<QueryResult, "columns" | "rows" | "truncated">;
  maxRows?: number;
}): Message[] {
  const table = resultText(options.result, { maxRows: options.maxRows });
  return [
    { role: "system", content: ANSWER_SYSTEM_PROMPT },
    {
      role: "user",
      content: `Question: ${options.question}\n\nSQL:\n${options.sql}\n\nResult (${options.result.rows.length}${options.result.truncated ? "+" : ""} row(s)):\n${table}`,
    },
  ];
}
