import { describe, expect, it } from "vitest";
import { gateSql, MAX_SQL_LENGTH } from "../../../src/data/sources/sql-gate.js";
import { tokenizeSql } from "../../../src/data/sources/sql-tokens.js";
import type { SqlDialect } from "../../../src/data/types.js";
import { SqlRejectedError } from "../../../src/spec/errors.js";

function reason(sql: string, dialect: SqlDialect): string | undefined {
  try {
    gateSql(sql, dialect);
    return undefined;
  } catch (error) {
    if (!SqlRejectedError.isInstance(error)) throw error;
    return error.reason;
  }
}

const DIALECTS: SqlDialect[] = ["duckdb", "sqlite", "postgres"];

describe("tokenizeSql", () => {
  it("skips comments and keeps strings and quoted names whole", () => {
    const { tokens } = tokenizeSql(`SELECT "a;b", 'c;''d' -- e;\n/* f; */ FROM t`, "sqlite");
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ["word", "select"],
      ["quoted", "a;b"],
      ["punct", ","],
      ["string", "c;''d"],
      ["word", "from"],
      ["word", "t"],
    ]);
  });

  it("follows each dialect: nested comments, E-strings, dollar quotes, SQLite's brackets and backticks", () => {
    expect(tokenizeSql("/* a /* b */ c */ x", "postgres").tokens.map((t) => t.text)).toEqual(["x"]);
    expect(tokenizeSql("/* a /* b */ c */ x", "sqlite").tokens.map((t) => t.text)).toEqual(["c", "*", "/", "x"]);
    expect(tokenizeSql("SELECT E'\\';' x", "postgres").tokens.map((t) => t.kind)).toEqual(["word", "string", "word"]);
    expect(tokenizeSql("SELECT $tag$ ; $$ ; $tag$ x", "duckdb").tokens.map((t) => t.kind)).toEqual([
      "word",
      "string",
      "word",
    ]);
    expect(tokenizeSql("SELECT [a;b], `c;d` FROM t", "sqlite").tokens.map((t) => t.kind)).toEqual([
      "word",
      "quoted",
      "punct",
      "quoted",
      "word",
      "word",
    ]);
    expect(tokenizeSql("SELECT $1, a::text", "postgres").tokens.map((t) => t.text)).toEqual([
      "select",
      "$1",
      ",",
      "a",
      ":",
      ":",
      "text",
    ]);
  });

  it("reports what is left open", () => {
    expect(tokenizeSql("SELECT 'a", "sqlite").unterminated).toBe("string");
    expect(tokenizeSql('SELECT "a', "sqlite").unterminated).toBe("quoted name");
    expect(tokenizeSql("SELECT 1 /* a", "duckdb").unterminated).toBe("comment");
    expect(tokenizeSql("SELECT $x$ a", "postgres").unterminated).toBe("string");
  });
});

describe("gateSql", () => {
  it("returns the one statement without surrounding comments or the trailing semicolon", () => {
    expect(gateSql("  -- why\nSELECT 1 ;  /* end */ ", "sqlite")).toBe("SELECT 1");
    expect(gateSql("(SELECT 1) UNION (SELECT 2);", "postgres")).toBe("(SELECT 1) UNION (SELECT 2)");
  });

  it("lets reading statements through on every dialect", () => {
    for (const dialect of DIALECTS) {
      for (const sql of ["SELECT 1", "with a as (select 1) select * from a", "VALUES (1)", "(SELECT 1)"]) {
        expect(reason(sql, dialect), `${dialect}: ${sql}`).toBeUndefined();
      }
    }
    expect(reason("FROM wells", "duckdb")).toBeUndefined();
    expect(reason("TABLE wells", "postgres")).toBeUndefined();
    expect(reason("FROM wells", "sqlite")).toBe("forbidden");
  });

  it("names the reason for each kind of refusal", () => {
    for (const dialect of DIALECTS) {
      expect(reason("", dialect)).toBe("empty");
      expect(reason("/* */ ;;", dialect)).toBe("empty");
      expect(reason(`SELECT '${"x".repeat(MAX_SQL_LENGTH)}'`, dialect)).toBe("too-large");
      expect(reason("SELECT 1; SELECT 2", dialect)).toBe("multiple-statements");
      expect(reason("DELETE FROM t", dialect)).toBe("not-read-only");
      expect(reason("  create table t (a int)", dialect)).toBe("not-read-only");
      expect(reason("PRAGMA table_info(t)", dialect)).toBe("forbidden");
      expect(reason("ATTACH 'x' AS y", dialect)).toBe("forbidden");
      expect(reason("SELECT 'open", dialect)).toBe("syntax");
      expect(reason("42", dialect)).toBe("syntax");
    }
  });

  it("refuses each dialect's file, dynamic-SQL and settings functions, however they are written", () => {
    expect(reason("SELECT * FROM read_csv('/etc/passwd')", "duckdb")).toBe("forbidden");
    expect(reason("SELECT * FROM READ_PARQUET ('x')", "duckdb")).toBe("forbidden");
    expect(reason("SELECT * FROM query('SELECT 1')", "duckdb")).toBe("forbidden");
    expect(reason("SELECT load_extension('x')", "sqlite")).toBe("forbidden");
    expect(reason("SELECT pg_read_file('/etc/passwd')", "postgres")).toBe("forbidden");
    expect(reason("SELECT pg_catalog.pg_read_file /* hi */ ('/etc/passwd')", "postgres")).toBe("forbidden");
    expect(reason("SELECT \"PG_READ_FILE\"('x')", "postgres")).toBe("forbidden");
    expect(reason("SELECT set_config('statement_timeout', '0', true)", "postgres")).toBe("forbidden");
    expect(reason("SELECT lo_import('/etc/passwd')", "postgres")).toBe("forbidden");
    expect(reason("SELECT U&\"\\0070g_read_file\"('x')", "postgres")).toBe("forbidden");
    // A column that happens to share a name is not a call.
    expect(reason("SELECT query, glob FROM logs", "duckdb")).toBeUndefined();
    expect(reason("SELECT 'pg_read_file(x)' AS s", "postgres")).toBeUndefined();
  });

  it("says what is wrong and what to do in its message", () => {
    const error = (() => {
      try {
        gateSql("SELECT 1; -- x\n DROP TABLE t", "sqlite");
      } catch (e) {
        return e as SqlRejectedError;
      }
    })();
    expect(error?.message).toBe(
      "Only one SELECT statement can run at a time, but this SQL holds 2; remove all but one.",
    );
    expect(error?.sql).toBe("SELECT 1; -- x\n DROP TABLE t");
  });
});
