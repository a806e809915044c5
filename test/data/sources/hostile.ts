/**
 * Hostile SQL: writes, DDL, hidden second statements, file and program access, engine commands,
 * settings, huge and endless queries. Every statement runs on every engine (a statement another
 * engine does not understand must still be refused, not crash); each must be rejected with a
 * SqlRejectedError or, where noted, run harmlessly. Afterwards the caller proves that nothing was
 * written and that the canary file's secret never came back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DataSource, SqlDialect } from "../../../src/data/types.js";
import type { SqlRejectedError } from "../../../src/spec/errors.js";
import { BOMB, rejection } from "./conformance.js";

export interface HostileContext {
  /** A file whose content (`secret`) must never appear in a result or message. */
  canary: string;
  secret: string;
  /** A directory the engine must not write to (results of COPY, ATTACH, VACUUM INTO would land here). */
  dir: string;
  /** The database file itself, for table functions that read another database. */
  dbFile: string;
}

interface HostileCase {
  name: string;
  sql: (ctx: HostileContext) => string;
  /** The reason expected on these engines (any reason is accepted elsewhere). */
  reason?: Partial<Record<SqlDialect, SqlRejectedError["reason"]>> | SqlRejectedError["reason"];
  /** Runs harmlessly instead of being rejected. */
  harmless?: SqlDialect[];
}

const q = (s: string) => s.replaceAll("'", "''");
const all = (reason: SqlRejectedError["reason"]) => reason;

export const HOSTILE_CASES: HostileCase[] = [
  // Writes
  {
    name: "INSERT",
    sql: () => "INSERT INTO wells (id, name, field) VALUES (99, 'x', 'x')",
    reason: all("not-read-only"),
  },
  { name: "UPDATE", sql: () => "UPDATE wells SET name = 'x'", reason: all("not-read-only") },
  { name: "DELETE", sql: () => "DELETE FROM wells", reason: all("not-read-only") },
  { name: "REPLACE", sql: () => "REPLACE INTO wells (id, field) VALUES (1, 'x')", reason: all("not-read-only") },
  {
    name: "UPSERT",
    sql: () => "INSERT INTO wells (id, field) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET name = 'x'",
    reason: all("not-read-only"),
  },
  {
    name: "INSERT ... RETURNING",
    sql: () => "INSERT INTO wells (id, field) VALUES (98, 'x') RETURNING *",
    reason: all("not-read-only"),
  },
  {
    name: "MERGE",
    sql: () => "MERGE INTO wells USING production ON wells.id = production.well_id WHEN MATCHED THEN DELETE",
    reason: all("not-read-only"),
  },
  { name: "DELETE in a CTE", sql: () => "WITH gone AS (DELETE FROM wells RETURNING *) SELECT * FROM gone" },
  { name: "DELETE after a CTE", sql: () => "WITH x AS (SELECT 1) DELETE FROM wells" },
  { name: "UPDATE after a CTE", sql: () => "WITH x AS (SELECT 1) UPDATE wells SET name = 'x'" },
  { name: "SELECT INTO", sql: () => "SELECT * INTO evil FROM wells" },
  { name: "SELECT FOR UPDATE", sql: () => "SELECT * FROM wells FOR UPDATE", harmless: ["duckdb"] },
  // DDL
  { name: "CREATE TABLE", sql: () => "CREATE TABLE evil (a INTEGER)", reason: all("not-read-only") },
  {
    name: "CREATE TEMP TABLE AS",
    sql: () => "CREATE TEMP TABLE evil AS SELECT * FROM wells",
    reason: all("not-read-only"),
  },
  { name: "CREATE VIEW", sql: () => "CREATE VIEW evil AS SELECT 1", reason: all("not-read-only") },
  { name: "CREATE INDEX", sql: () => "CREATE INDEX evil ON wells (name)", reason: all("not-read-only") },
  { name: "DROP TABLE", sql: () => "DROP TABLE wells", reason: all("not-read-only") },
  { name: "ALTER TABLE", sql: () => "ALTER TABLE wells ADD COLUMN evil INTEGER", reason: all("not-read-only") },
  { name: "TRUNCATE", sql: () => "TRUNCATE wells", reason: all("not-read-only") },
  // A second statement, plainly or hidden
  { name: "two statements", sql: () => "SELECT 1; DROP TABLE wells", reason: all("multiple-statements") },
  {
    name: "second statement after a line comment",
    sql: () => "SELECT 1; -- x\n DROP TABLE wells",
    reason: all("multiple-statements"),
  },
  {
    name: "semicolon in a block comment",
    sql: () => "SELECT 1 /* ; */; DELETE FROM wells",
    reason: all("multiple-statements"),
  },
  { name: "semicolon in a string", sql: () => "SELECT 'a;b'; DELETE FROM wells", reason: all("multiple-statements") },
  {
    name: "nested block comment",
    sql: () => "SELECT 1 /* /* */ ; DELETE FROM wells; /* */",
    reason: { sqlite: "multiple-statements", duckdb: "syntax", postgres: "syntax" },
  },
  { name: "escape string hiding a quote", sql: () => "SELECT E'\\''; DELETE FROM wells; --'" },
  {
    name: "dollar quoting",
    sql: () => "SELECT $$;$$; DELETE FROM wells",
    reason: { duckdb: "multiple-statements", postgres: "multiple-statements" },
  },
  {
    name: "statement after many blanks",
    sql: () => `SELECT 1;${" ".repeat(5000)}DELETE FROM wells`,
    reason: all("multiple-statements"),
  },
  // Files and other databases
  { name: "read_csv", sql: (c) => `SELECT * FROM read_csv('${q(c.canary)}')`, reason: { duckdb: "forbidden" } },
  {
    name: "read_csv_auto",
    sql: (c) => `SELECT * FROM read_csv_auto('${q(c.canary)}')`,
    reason: { duckdb: "forbidden" },
  },
  { name: "read_text", sql: (c) => `SELECT * FROM read_text('${q(c.canary)}')`, reason: { duckdb: "forbidden" } },
  { name: "read_blob", sql: (c) => `SELECT * FROM read_blob('${q(c.canary)}')`, reason: { duckdb: "forbidden" } },
  { name: "read_json", sql: (c) => `SELECT * FROM read_json('${q(c.canary)}')`, reason: { duckdb: "forbidden" } },
  { name: "read_parquet", sql: (c) => `SELECT * FROM read_parquet('${q(c.canary)}')`, reason: { duckdb: "forbidden" } },
  { name: "glob", sql: () => "SELECT * FROM glob('/*')", reason: { duckdb: "forbidden" } },
  {
    name: "sqlite_scan",
    sql: (c) => `SELECT * FROM sqlite_scan('${q(c.dbFile)}', 'wells')`,
    reason: { duckdb: "forbidden" },
  },
  { name: "file path as a table", sql: (c) => `SELECT * FROM '${q(c.canary)}'` },
  { name: "quoted file path as a table", sql: (c) => `SELECT * FROM "${c.canary}"` },
  {
    name: "SQL in a string",
    sql: (c) => `SELECT * FROM query('SELECT * FROM read_text(''${q(c.canary)}'')')`,
    reason: { duckdb: "forbidden" },
  },
  { name: "pg_read_file", sql: (c) => `SELECT pg_read_file('${q(c.canary)}')`, reason: { postgres: "forbidden" } },
  {
    name: "pg_read_file, qualified",
    sql: (c) => `SELECT pg_catalog . pg_read_file ('${q(c.canary)}')`,
    reason: { postgres: "forbidden" },
  },
  {
    name: "pg_read_file, quoted",
    sql: (c) => `SELECT "pg_read_file"('${q(c.canary)}')`,
    reason: { postgres: "forbidden" },
  },
  {
    name: "pg_read_file, unicode-escaped",
    sql: (c) => `SELECT U&"\\0070g_read_file"('${q(c.canary)}')`,
    reason: { postgres: "forbidden" },
  },
  {
    name: "pg_read_binary_file",
    sql: (c) => `SELECT pg_read_binary_file('${q(c.canary)}')`,
    reason: { postgres: "forbidden" },
  },
  { name: "pg_ls_dir", sql: () => "SELECT pg_ls_dir('/')", reason: { postgres: "forbidden" } },
  { name: "lo_import", sql: (c) => `SELECT lo_import('${q(c.canary)}')`, reason: { postgres: "forbidden" } },
  { name: "lo_export", sql: (c) => `SELECT lo_export(1, '${q(c.dir)}/pwned')`, reason: { postgres: "forbidden" } },
  {
    name: "query_to_xml",
    sql: (c) => `SELECT query_to_xml('SELECT pg_read_file(''${q(c.canary)}'')', true, false, '')`,
    reason: { postgres: "forbidden" },
  },
  { name: "load_extension", sql: (c) => `SELECT load_extension('${q(c.dir)}/evil')`, reason: { sqlite: "forbidden" } },
  { name: "fts3_tokenizer", sql: () => "SELECT fts3_tokenizer('simple')", reason: { sqlite: "forbidden" } },
  // Engine commands
  { name: "ATTACH a new file", sql: (c) => `ATTACH '${q(c.dir)}/evil.db' AS evil`, reason: all("forbidden") },
  { name: "ATTACH memory", sql: () => "ATTACH ':memory:' AS m", reason: all("forbidden") },
  { name: "DETACH", sql: () => "DETACH m", reason: all("forbidden") },
  { name: "INSTALL", sql: () => "INSTALL httpfs", reason: all("forbidden") },
  { name: "LOAD", sql: () => "LOAD httpfs", reason: all("forbidden") },
  { name: "PRAGMA read", sql: () => "PRAGMA table_info(wells)", reason: all("forbidden") },
  { name: "PRAGMA write", sql: () => "PRAGMA query_only = 0", reason: all("forbidden") },
  { name: "PRAGMA writable_schema", sql: () => "PRAGMA writable_schema = 1", reason: all("forbidden") },
  { name: "COPY TO a file", sql: (c) => `COPY wells TO '${q(c.dir)}/out.csv'`, reason: all("forbidden") },
  {
    name: "COPY TO PROGRAM",
    sql: (c) => `COPY (SELECT 1) TO PROGRAM 'touch ${q(c.dir)}/pwned'`,
    reason: all("forbidden"),
  },
  { name: "EXPORT DATABASE", sql: (c) => `EXPORT DATABASE '${q(c.dir)}/export'`, reason: all("forbidden") },
  { name: "SET", sql: () => "SET enable_external_access = true", reason: all("forbidden") },
  { name: "SET statement_timeout", sql: () => "SET statement_timeout = 0", reason: all("forbidden") },
  {
    name: "set_config",
    sql: () => "SELECT set_config('statement_timeout', '0', false)",
    reason: { postgres: "forbidden" },
  },
  { name: "RESET", sql: () => "RESET ALL", reason: all("forbidden") },
  { name: "CALL", sql: () => "CALL pragma_version()", reason: all("forbidden") },
  { name: "CHECKPOINT", sql: () => "CHECKPOINT", reason: all("forbidden") },
  { name: "VACUUM", sql: () => "VACUUM", reason: all("forbidden") },
  { name: "VACUUM INTO", sql: (c) => `VACUUM INTO '${q(c.dir)}/copy.db'`, reason: all("forbidden") },
  { name: "ANALYZE", sql: () => "ANALYZE", reason: all("forbidden") },
  { name: "BEGIN", sql: () => "BEGIN", reason: all("forbidden") },
  { name: "COMMIT", sql: () => "COMMIT", reason: all("forbidden") },
  { name: "EXPLAIN ANALYZE DELETE", sql: () => "EXPLAIN ANALYZE DELETE FROM wells", reason: all("forbidden") },
  {
    name: "DO block",
    sql: () => "DO $$ BEGIN DELETE FROM wells; END $$",
    reason: { duckdb: "forbidden", postgres: "forbidden" },
  },
  { name: "PREPARE", sql: () => "PREPARE p AS DELETE FROM wells", reason: all("forbidden") },
  { name: "LOCK", sql: () => "LOCK TABLE wells", reason: all("forbidden") },
  { name: "GRANT", sql: () => "GRANT ALL ON wells TO PUBLIC", reason: all("not-read-only") },
  { name: "advisory lock", sql: () => "SELECT pg_advisory_lock(1)", reason: { postgres: "forbidden" } },
  {
    name: "terminate a backend",
    sql: () => "SELECT pg_terminate_backend(pg_backend_pid())",
    reason: { postgres: "forbidden" },
  },
  // Size and shape
  { name: "empty", sql: () => "", reason: all("empty") },
  { name: "only a comment", sql: () => "  -- nothing here\n", reason: all("empty") },
  { name: "only semicolons", sql: () => " ; ; ", reason: all("empty") },
  { name: "unclosed string", sql: () => "SELECT 'abc", reason: all("syntax") },
  { name: "over 100k characters", sql: () => `SELECT 1 ${"-".repeat(100_001)}`, reason: all("too-large") },
  {
    name: "deep nesting",
    sql: () => `SELECT ${"(".repeat(3000)}1${")".repeat(3000)}`,
    harmless: ["duckdb", "sqlite", "postgres"],
  },
  // Harmless reads that must stay harmless
  {
    name: "a comment hiding nothing",
    sql: () => "SELECT 1 -- ; DROP TABLE wells",
    harmless: ["duckdb", "sqlite", "postgres"],
  },
];

/**
 * Registers the hostile suite for one source. `snapshot()` captures everything that must not
 * change (file hashes, table contents); it is compared after the suite.
 *
 * @example
 * describeHostileSuite("sqlite", "sqlite", () => openSqliteSource({ path }), ctx, { snapshot });
 */
export function describeHostileSuite(
  name: string,
  dialect: SqlDialect,
  open: () => Promise<DataSource>,
  context: () => HostileContext,
  options: { snapshot: () => Promise<unknown>; bomb: boolean },
): void {
  describe(`${name}: hostile SQL`, () => {
    let source: DataSource;
    let before: unknown;
    const seen: string[] = [];
    beforeAll(async () => {
      before = await options.snapshot();
      source = await open();
    });
    afterAll(async () => {
      await source?.close();
    });

    for (const hostile of HOSTILE_CASES) {
      it(`${hostile.name}: refused${hostile.harmless?.includes(dialect) ? " or harmless" : ""}`, async () => {
        const sql = hostile.sql(context());
        const outcome = await source.run(sql, { timeoutMs: 5000 }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        );
        seen.push(
          "result" in outcome ? JSON.stringify(outcome.result.rows) : String((outcome.error as Error)?.message),
        );
        if (hostile.harmless?.includes(dialect)) {
          if ("error" in outcome) await rejection(Promise.reject(outcome.error));
          return;
        }
        if ("result" in outcome) expect.fail(`ran and returned ${JSON.stringify(outcome.result.rows).slice(0, 200)}`);
        const error = await rejection(Promise.reject(outcome.error));
        const expected = typeof hostile.reason === "string" ? hostile.reason : hostile.reason?.[dialect];
        if (expected) expect(error.reason, error.message).toBe(expected);
        expect(error.message.length).toBeGreaterThan(20);
        const checked = await source.check(sql).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(checked, "check() must refuse what run() refuses").toBeDefined();
        seen.push(String((checked as Error).message));
      });
    }

    it.skipIf(!options.bomb)("a recursive CTE bomb: stopped at the time limit", async () => {
      const error = await rejection(source.run(BOMB, { timeoutMs: 500 }));
      expect(error.reason).toBe("timeout");
    });

    it("after the suite: nothing was written and the canary never came back", async () => {
      expect((await source.run("SELECT count(*) FROM wells")).rows).toEqual([[4]]);
      expect(await options.snapshot()).toEqual(before);
      const everything = seen.join("\n");
      expect(everything.length).toBeGreaterThan(1000);
      expect(everything).not.toContain(context().secret);
    });
  });
}
