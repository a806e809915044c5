import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDataCacheDir, type LoadedDatabase, loadFiles } from "../../../src/data/index.js";
import { InvalidArgumentError } from "../../../src/spec/errors.js";
import { makeTempDir, query } from "./helpers.js";

const temp = makeTempDir();
afterAll(() => temp.remove());
const cacheDir = join(temp.dir, "cache");

function write(name: string, content: string): string {
  const path = join(temp.dir, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
  return path;
}

async function writeParquet(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT i AS id, 'item ' || i AS "Item Name", i * 1.5 AS price, DATE '2024-01-01' + i::INTEGER AS "day"
           FROM range(1, 101) t(i)) TO '${path}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
}

describe("loadFiles with CSV, TSV, JSON, NDJSON and Parquet", () => {
  let db: LoadedDatabase;
  beforeAll(async () => {
    const parquet = join(temp.dir, "Sales Items.parquet");
    await writeParquet(parquet);
    db = await loadFiles({
      files: [
        write(
          "orders.csv",
          "Order ID,Customer Name,Amount,Shipped,Placed\n1,Ada,10.5,true,2024-01-02\n2,Grace,N/A,false,2024-01-03\n3,Linus,7,,NULL\n",
        ),
        write("semicolon.csv", "city;population\nOslo;709037\nBergen;291940\n"),
        write("wells.tsv", "well\tdepth m\nF-1\t3100\nF-4\t2900\n"),
        write("events.jsonl", '{"kind":"start","at":1}\n\n{"kind":"stop","at":2,"extra":{"ok":true}}\n'),
        write("people.json", '[{"name":"Ada","age":36},{"name":"Grace","age":85}]'),
        parquet,
        write("2023 report.csv", "select,from\n1,2\n"),
      ],
      cacheDir,
    });
  });

  it("makes one table per file, named after the file as a safe identifier", () => {
    expect(db.cached).toBe(false);
    expect(db.tables.map((t) => [t.name, t.origin, t.rowCount])).toEqual([
      ["orders", "orders.csv", 3],
      ["semicolon", "semicolon.csv", 2],
      ["wells", "wells.tsv", 2],
      ["events", "events.jsonl", 2],
      ["people", "people.json", 2],
      ["sales_items", "Sales Items.parquet", 100],
      ["t_2023_report", "2023 report.csv", 1],
    ]);
  });

  it("detects CSV types, reads NULL/N/A/empty as NULL and renames columns to snake_case", async () => {
    expect(db.tables[0]?.columns.map((c) => [c.name, c.type])).toEqual([
      ["order_id", "BIGINT"],
      ["customer_name", "VARCHAR"],
      ["amount", "DOUBLE"],
      ["shipped", "BOOLEAN"],
      ["placed", "DATE"],
    ]);
    expect(
      await query(db.databasePath, "SELECT amount, shipped, CAST(placed AS VARCHAR) FROM orders ORDER BY order_id"),
    ).toEqual([
      [10.5, true, "2024-01-02"],
      [null, false, "2024-01-03"],
      [7, null, null],
    ]);
    const comments = await query(
      db.databasePath,
      "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'orders' AND comment IS NOT NULL ORDER BY column_index",
    );
    expect(comments).toEqual([
      ["order_id", "Order ID"],
      ["customer_name", "Customer Name"],
      ["amount", "Amount"],
      ["shipped", "Shipped"],
      ["placed", "Placed"],
    ]);
  });

  it("finds the delimiter of semicolon CSVs and reads TSV", async () => {
    expect(await query(db.databasePath, "SELECT city, population FROM semicolon ORDER BY city")).toEqual([
      ["Bergen", 291940],
      ["Oslo", 709037],
    ]);
    expect(await query(db.databasePath, "SELECT well, depth_m FROM wells ORDER BY well")).toEqual([
      ["F-1", 3100],
      ["F-4", 2900],
    ]);
  });

  it("reads JSON arrays and newline-delimited JSON, skipping blank lines", async () => {
    expect(await query(db.databasePath, "SELECT kind, at_, extra.ok FROM events ORDER BY at_")).toEqual([
      ["start", 1, null],
      ["stop", 2, true],
    ]);
    expect(await query(db.databasePath, "SELECT name, age FROM people ORDER BY age")).toEqual([
      ["Ada", 36],
      ["Grace", 85],
    ]);
  });

  it("reads Parquet with its own types", async () => {
    expect(db.tables[5]?.columns.map((c) => [c.name, c.type])).toEqual([
      ["id", "BIGINT"],
      ["item_name", "VARCHAR"],
      ["price", "DECIMAL(21,1)"],
      ["day", "DATE"],
    ]);
    expect(await query(db.databasePath, "SELECT sum(id), max(item_name) FROM sales_items")).toEqual([
      [5050, "item 99"],
    ]);
  });

  it("avoids reserved words and leading digits in names", async () => {
    expect(db.tables[6]?.columns.map((c) => c.name)).toEqual(["select_", "from_"]);
    expect(await query(db.databasePath, "SELECT select_ + from_ FROM t_2023_report")).toEqual([[3]]);
  });
});

describe("loadFiles text edge cases", () => {
  it("reads a UTF-8 BOM with CRLF line ends, falls back to Latin-1, and keeps a header-only CSV as an empty table", async () => {
    const latin = join(temp.dir, "cities.csv");
    writeFileSync(latin, Buffer.from("name,country\nM\xe1laga,Espa\xf1a\n", "latin1"));
    const db = await loadFiles({
      files: [write("scores.csv", "\uFEFFname,score\r\nA,1\r\nB,2\r\n"), latin, write("header.csv", "id,label\n")],
      cacheDir,
    });
    expect(db.tables.map((t) => [t.name, t.rowCount, t.columns.map((c) => c.name)])).toEqual([
      ["scores", 2, ["name", "score"]],
      ["cities", 1, ["name", "country"]],
      ["header", 0, ["id", "label"]],
    ]);
    expect(
      await query(
        db.databasePath,
        "SELECT (SELECT sum(score) FROM scores), (SELECT name || '/' || country FROM cities)",
      ),
    ).toEqual([[3, "Málaga/España"]]);
    expect(db.warnings).toEqual([
      "cities.csv is not UTF-8; it was read as Latin-1 (ISO-8859-1).",
      "header.csv has no data rows; table 'header' is empty.",
    ]);
  });
});

describe("loadFiles table names", () => {
  it("adds a suffix when two inputs want the same table name and warns", async () => {
    const db = await loadFiles({
      files: [write("a/orders.csv", "x\n1\n"), write("b/orders.csv", "x\n2\n"), write("b/Orders.json", '[{"x":3}]')],
      cacheDir,
    });
    expect(db.tables.map((t) => t.name)).toEqual(["orders", "orders_2", "orders_3"]);
    expect(
      await query(db.databasePath, "SELECT (SELECT x FROM orders), (SELECT x FROM orders_2), (SELECT x FROM orders_3)"),
    ).toEqual([[1, 2, 3]]);
    expect(db.warnings).toEqual([
      "Table name 'orders' from orders.csv was already taken by orders.csv; loaded as 'orders_2'.",
      "Table name 'orders' from Orders.json was already taken by orders.csv; loaded as 'orders_3'.",
    ]);
  });

  it("rejects an empty file list", async () => {
    const error = await loadFiles({ files: [], cacheDir }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
  });
});

describe("defaultDataCacheDir", () => {
  it("sits next to the default store, unless WEFT_DATA_CACHE says otherwise", () => {
    expect(defaultDataCacheDir({ cwd: "/project", env: {} })).toBe("/project/.weft/data-cache");
    expect(defaultDataCacheDir({ cwd: "/project", env: { WEFT_DATA_CACHE: "cache/data" } })).toBe(
      "/project/cache/data",
    );
    expect(defaultDataCacheDir({ cwd: "/project", env: { WEFT_DATA_CACHE: "/var/cache/weft" } })).toBe(
      "/var/cache/weft",
    );
  });
});
