import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadFilesOptions } from "../../../src/data/load/load-files.js";
import { openDataSource } from "../../../src/data/open-source.js";
import { ConnectionError, DataLoadError, InvalidArgumentError } from "../../../src/spec/errors.js";

const dir = mkdtempSync(join(tmpdir(), "weft-open-source-"));
const cacheDir = join(dir, "cache");

beforeAll(async () => {
  const sqlite = new Database(join(dir, "shop.sqlite"));
  sqlite.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders VALUES (1, 9.5), (2, 20)");
  sqlite.close();
  const instance = await DuckDBInstance.create(join(dir, "shop.duckdb"));
  const connection = await instance.connect();
  await connection.run("CREATE TABLE items AS SELECT range AS id FROM range(3)");
  connection.closeSync();
  instance.closeSync();
  writeFileSync(join(dir, "sales.csv"), "region,amount\nNorth,10\nSouth,5\nNorth,7\n");
  writeFileSync(join(dir, "regions.csv"), "region,manager\nNorth,Ada\nSouth,Bo\n");
  mkdirSync(join(dir, "folder"));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected the call to fail");
  return error;
}

describe("openDataSource", () => {
  it("opens a SQLite file, relative to cwd", async () => {
    const source = await openDataSource({ db: "shop.sqlite" }, { cwd: dir });
    try {
      expect(source.dialect).toBe("sqlite");
      expect(source.label).toBe("shop.sqlite");
      expect(source.warnings).toEqual([]);
      expect((await source.run("SELECT sum(total) FROM orders")).rows).toEqual([[29.5]]);
    } finally {
      await source.close();
    }
  });

  it("opens a DuckDB file", async () => {
    const source = await openDataSource({ db: join(dir, "shop.duckdb") });
    try {
      expect(source.dialect).toBe("duckdb");
      expect((await source.run("SELECT count(*) FROM items")).rows).toEqual([[3]]);
    } finally {
      await source.close();
    }
  });

  it("loads files into DuckDB through loadFiles, twice from the same cache at once", async () => {
    const first = await openDataSource({ file: ["sales.csv", "regions.csv"] }, { cwd: dir, cacheDir });
    const second = await openDataSource({ file: ["sales.csv", "regions.csv"] }, { cwd: dir, cacheDir });
    try {
      expect(first.dialect).toBe("duckdb");
      expect(first.label).toBe("sales.csv, regions.csv");
      expect(Array.isArray(first.warnings)).toBe(true);
      const tables = await first.tables();
      expect(tables.map((t) => t.name).sort()).toEqual(["regions", "sales"]);
      expect(tables.find((t) => t.name === "sales")?.origin).toContain("sales.csv");
      const sql =
        "SELECT s.region, sum(s.amount) AS total, r.manager FROM sales s JOIN regions r USING (region) GROUP BY ALL ORDER BY 1";
      const expected = [
        ["North", 17, "Ada"],
        ["South", 5, "Bo"],
      ];
      expect((await first.run(sql)).rows).toEqual(expected);
      expect((await second.run(sql)).rows).toEqual(expected);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("hands files, cacheDir and cwd to a replacement loader", async () => {
    const calls: LoadFilesOptions[] = [];
    const source = await openDataSource(
      { file: "anything.xlsx" },
      {
        cwd: dir,
        cacheDir: "elsewhere",
        loadFiles: async (options) => {
          calls.push(options);
          return { databasePath: join(dir, "shop.duckdb"), tables: [], warnings: ["a warning"], cached: true };
        },
      },
    );
    try {
      expect(calls).toEqual([{ files: ["anything.xlsx"], cacheDir: "elsewhere", cwd: dir, abortSignal: undefined }]);
      expect(source.warnings).toEqual(["a warning"]);
      expect(source.label).toBe("anything.xlsx");
    } finally {
      await source.close();
    }
  });

  it("routes postgres:// and postgresql:// URLs to PostgreSQL", async () => {
    for (const scheme of ["postgres", "postgresql"]) {
      const error = await failure(openDataSource({ db: `${scheme}://weft:pw@127.0.0.1:1/db` }));
      expect(ConnectionError.isInstance(error)).toBe(true);
      expect(error.message).toContain("PostgreSQL");
    }
  });

  it("explains what is wrong with a location it cannot open", async () => {
    const missing = await failure(openDataSource({ db: "nope.sqlite" }, { cwd: dir }));
    expect(DataLoadError.isInstance(missing)).toBe(true);
    expect(missing.message).toContain(join(dir, "nope.sqlite"));
    const csv = await failure(openDataSource({ db: join(dir, "sales.csv") }));
    expect(DataLoadError.isInstance(csv)).toBe(true);
    expect(csv.message).toMatch(/not a SQLite or DuckDB database.*--file/);
    const folder = await failure(openDataSource({ db: join(dir, "folder") }));
    expect(folder.message).toContain("directory");
    const mysql = await failure(openDataSource({ db: "mysql://localhost/db" }));
    expect(InvalidArgumentError.isInstance(mysql)).toBe(true);
    expect(mysql.message).toContain("mysql://");
    const nothing = await failure(openDataSource({} as never));
    expect(InvalidArgumentError.isInstance(nothing)).toBe(true);
  });
});
