import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTool } from "../../../src/agents/tools/sql.js";
import { openDataSource } from "../../../src/data/open-source.js";
import type { DataSource } from "../../../src/data/types.js";
import { SqlRejectedError } from "../../../src/spec/errors.js";

const signal = new AbortController().signal;
let source: DataSource;

beforeAll(async () => {
  const path = join(mkdtempSync(join(tmpdir(), "weft-sql-tool-")), "shop.sqlite");
  const db = new Database(path);
  db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, total REAL)");
  const insert = db.prepare("INSERT INTO orders (customer, total) VALUES (?, ?)");
  for (let i = 0; i < 120; i++) insert.run(i % 2 ? "ada" : "bob", i * 1.5);
  db.close();
  source = await openDataSource({ db: path });
});
afterAll(() => source.close());

describe("sql tool", () => {
  it("shows the schema in its description and runs a query", async () => {
    const sql = await sqlTool({ source });
    expect(sql.description).toContain("orders");
    expect(sql.description).toContain("customer");
    const out = await sql.execute(
      { sql: "SELECT customer, count(*) AS n FROM orders GROUP BY customer ORDER BY customer" },
      { toolCallId: "1", abortSignal: signal },
    );
    expect(out.columns).toEqual(["customer", "n"]);
    expect(out.rows).toEqual([
      ["ada", 60],
      ["bob", 60],
    ]);
    expect(out.truncated).toBe(false);
  });

  it("caps the rows the model sees", async () => {
    const sql = await sqlTool({ source, maxRows: 7 });
    const out = await sql.execute({ sql: "SELECT * FROM orders" }, { toolCallId: "1", abortSignal: signal });
    expect(out.rows).toHaveLength(7);
    expect(out.truncated).toBe(true);
  });

  it("refuses writes and unknown columns with an error the model can read", async () => {
    const sql = await sqlTool({ source });
    await expect(
      sql.execute({ sql: "DELETE FROM orders" }, { toolCallId: "1", abortSignal: signal }),
    ).rejects.toSatisfy((e) => SqlRejectedError.isInstance(e));
    await expect(
      sql.execute({ sql: "SELECT price FROM orders" }, { toolCallId: "1", abortSignal: signal }),
    ).rejects.toThrow(/price/);
    const after = await sql.execute({ sql: "SELECT count(*) FROM orders" }, { toolCallId: "1", abortSignal: signal });
    expect(after.rows).toEqual([[120]]);
  });
});
