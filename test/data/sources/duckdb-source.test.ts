import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCKED_DUCKDB_CONFIG, openDuckDbSource } from "../../../src/data/sources/duckdb-source.js";
import { DataLoadError } from "../../../src/spec/errors.js";
import { describeSourceConformance } from "./conformance.js";
import { datasetStatements, directorySnapshot } from "./fixtures.js";
import { describeHostileSuite, type HostileContext } from "./hostile.js";

const dir = mkdtempSync(join(tmpdir(), "weft-duckdb-source-"));
const dbFile = join(dir, "wells.duckdb");
const canary = join(dir, "canary.csv");
const secret = `canary-${Math.random().toString(36).slice(2)}`;
const context = (): HostileContext => ({ canary, secret, dir, dbFile });

beforeAll(async () => {
  writeFileSync(canary, `secret\n${secret}\n`);
  chmodSync(dir, 0o755);
  const instance = await DuckDBInstance.create(dbFile);
  const connection = await instance.connect();
  for (const sql of datasetStatements("duckdb")) await connection.run(sql);
  await connection.run("CHECKPOINT");
  connection.closeSync();
  instance.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = () => openDuckDbSource({ databasePath: dbFile });

describeSourceConformance("duckdb", "duckdb", open, { endlessRowsSql: "SELECT range AS n FROM range(1000000000000)" });

describeHostileSuite("duckdb", "duckdb", open, context, {
  snapshot: async () => directorySnapshot(dir),
  bomb: true,
});

describe("duckdb source", () => {
  it("converts DuckDB's types to JSON-safe cells", async () => {
    const source = await open();
    try {
      const { rows, columns } = await source.run(
        `SELECT 9007199254740993::BIGINT AS big, 42::HUGEINT AS huge, 170141183460469231731687303715884105727::HUGEINT AS huger,
           12345678901234567.89::DECIMAL(20,2) AS exact, 1.50::DECIMAL(10,2) AS small, DATE '2020-01-02' AS d,
           TIMESTAMP '2020-01-02 03:04:05.123' AS ts, TIMESTAMPTZ '2020-01-02 03:04:05+02' AS tz, '\\xAA\\xBB'::BLOB AS b,
           [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, 'nan'::DOUBLE AS nan, true AS yes, NULL AS nothing`,
      );
      expect(rows).toEqual([
        [
          "9007199254740993",
          42,
          "170141183460469231731687303715884105727",
          "12345678901234567.89",
          1.5,
          "2020-01-02",
          "2020-01-02T03:04:05.123",
          "2020-01-02T01:04:05Z",
          "<blob 2 bytes>",
          "[1,2]",
          '{"a":1,"b":"x"}',
          "NaN",
          true,
          null,
        ],
      ]);
      expect(columns.find((c) => c.name === "exact")?.type).toBe("DECIMAL(20,2)");
      expect(columns.find((c) => c.name === "l")?.type).toBe("INTEGER[]");
    } finally {
      await source.close();
    }
  });

  it("has file access, extension loading and settings changes switched off and locked", async () => {
    const source = await open();
    try {
      const { rows } = await source.run(
        `SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration',
           'autoload_known_extensions', 'autoinstall_known_extensions', 'allow_community_extensions', 'access_mode') ORDER BY name`,
      );
      expect(Object.fromEntries(rows as string[][])).toEqual({
        access_mode: "read_only",
        allow_community_extensions: "false",
        autoinstall_known_extensions: "false",
        autoload_known_extensions: "false",
        enable_external_access: "false",
        lock_configuration: "true",
      });
    } finally {
      await source.close();
    }
  });

  it("reports the table's origin from its comment and counts rows", async () => {
    const commented = join(dir, "commented.duckdb");
    const instance = await DuckDBInstance.create(commented);
    const connection = await instance.connect();
    await connection.run("CREATE TABLE sales AS SELECT range AS id FROM range(7)");
    await connection.run("COMMENT ON TABLE sales IS 'sales.xlsx#Sheet1'");
    connection.closeSync();
    instance.closeSync();
    const source = await openDuckDbSource({ databasePath: commented, label: "sales" });
    try {
      expect(source.label).toBe("sales");
      expect(await source.tables()).toEqual([
        {
          name: "sales",
          origin: "sales.xlsx#Sheet1",
          rowCount: 7,
          columns: [{ name: "id", type: "BIGINT", nullable: true }],
        },
      ]);
    } finally {
      await source.close();
      rmSync(commented, { force: true });
    }
  });

  it("refuses a missing file and a file that is not DuckDB with DataLoadError", async () => {
    const missing = await openDuckDbSource({ databasePath: join(dir, "nope.duckdb") }).catch((e: unknown) => e);
    expect(DataLoadError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toContain("nope.duckdb");
    const bad = await openDuckDbSource({ databasePath: canary }).catch((e: unknown) => e);
    expect(DataLoadError.isInstance(bad)).toBe(true);
    expect((bad as Error).message).toContain("could not be opened as a DuckDB database");
  });
});

describe("duckdb engine layer (the settings behind the SQL gate)", () => {
  // These statements go to an instance opened with the source's settings, as if the SQL gate had missed them.
  it("cannot read or write files, attach, install, load, change settings or write tables", async () => {
    const before = directorySnapshot(dir);
    const instance = await DuckDBInstance.create(dbFile, { ...LOCKED_DUCKDB_CONFIG });
    const connection = await instance.connect();
    const seen: string[] = [];
    try {
      for (const sql of [
        `SELECT * FROM read_csv('${canary}')`,
        `SELECT * FROM read_text('${canary}')`,
        `SELECT * FROM '${canary}'`,
        "SELECT * FROM glob('/*')",
        `COPY wells TO '${join(dir, "out.csv")}'`,
        `EXPORT DATABASE '${join(dir, "export")}'`,
        `ATTACH '${join(dir, "evil.duckdb")}' AS evil`,
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET enable_external_access",
        "INSERT INTO wells (id, field) VALUES (99, 'x')",
        "CREATE TABLE evil (a INTEGER)",
      ]) {
        const error = await connection.run(sql).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error, sql).toBeInstanceOf(Error);
        seen.push(error?.message ?? "");
      }
      // Allowed on a read-only database, and a no-op there: the snapshot below proves it.
      await connection.run("CHECKPOINT");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    expect(seen.join("\n")).not.toContain(secret);
    expect(directorySnapshot(dir)).toEqual(before);
  });
});
