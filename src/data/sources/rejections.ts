/**
 * SqlRejectedError messages for errors that come from an engine. The engine's own words are kept
 * (they name the missing table or column, often with a suggestion) because they are fed back to
 * the model that wrote the SQL; a short sentence says what to do.
 */

import { SqlRejectedError } from "../../spec/errors.js";

const ADVICE: Record<SqlRejectedError["reason"], string> = {
  empty: "Write one SELECT statement.",
  "multiple-statements": "Only one SELECT statement can run at a time; remove the others.",
  "not-read-only": "Only reading queries can run; write one SELECT statement.",
  forbidden: "Only the tables can be queried; files, extensions and settings are out of reach.",
  syntax: "Fix the syntax and try again.",
  "unknown-object": "Use only the tables and columns of the schema.",
  timeout: "Make the query cheaper or allow more time.",
  "too-large": "Write a shorter query.",
  engine: "Change the query and try again.",
};

/**
 * Wraps an engine's error message.
 *
 * @example
 * engineRejection({ sql, engine: "SQLite", reason: "unknown-object", detail: "no such table: wels" });
 * // message: "SQLite: no such table: wels. Use only the tables and columns of the schema."
 */
export function engineRejection(opts: {
  sql: string;
  engine: string;
  reason: SqlRejectedError["reason"];
  detail: string;
  cause?: unknown;
}): SqlRejectedError {
  const detail = opts.detail.trim().replace(/\s*\n\s*/g, " ");
  const sentence = /[.!?]$/.test(detail) ? detail : `${detail}.`;
  return new SqlRejectedError({
    sql: opts.sql,
    reason: opts.reason,
    message: `${opts.engine}: ${sentence} ${ADVICE[opts.reason]}`,
    cause: opts.cause,
  });
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
