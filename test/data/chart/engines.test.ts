import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { suggestChart } from "../../../src/data/chart/suggest-chart.js";
import type { VegaLiteSpec } from "../../../src/data/chart/types.js";
import type { Cell, QueryResult } from "../../../src/data/types.js";

// Real engines on files on disk: the type names and value shapes are the ones each engine really produces.
const scratch = mkdtempSync(join(tmpdir(), "weft-chart-engines-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const markOf = (spec: VegaLiteSpec | undefined) => (typeof spec?.mark === "string" ? spec.mark : spec?.mark?.type);
const field = (spec: VegaLiteSpec | undefined, channel: string) =>
  (spec?.encoding?.[channel] as { field?: string; type?: string } | undefined) ?? {};

describe("charts of DuckDB results", () => {
  it("reads DuckDB's type names and JSON values", async () => {
    const instance = await DuckDBInstance.create(join(scratch, "sales.duckdb"));
    const connection = await instance.connect();
    try {
      await connection.run(`CREATE TABLE sales AS
        SELECT DATE '2024-01-01' + (i % 20)::INTEGER AS day,
               ['north', 'south', 'east'][(i % 3) + 1] AS region,
               (i * 1.25)::DECIMAL(18,3) AS amount,
               TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_hours(i::BIGINT) AS placed_at
        FROM range(60) t(i)`);
      const query = async (sql: string): Promise<QueryResult> => {
        const reader = await connection.runAndReadAll(sql);
        return {
          sql,
          columns: reader.columnNames().map((name, i) => ({ name, type: String(reader.columnTypes()[i]) })),
          rows: reader.getRowsJson() as Cell[][],
          truncated: false,
          durationMs: 0,
        };
      };

      const byDay = await query("SELECT day, sum(amount) AS total FROM sales GROUP BY day ORDER BY day");
      expect(byDay.columns.map((c) => c.type)).toEqual(["DATE", "DECIMAL(38,3)"]);
      const line = suggestChart(byDay);
      expect(markOf(line)).toBe("line");
      expect(field(line, "x")).toMatchObject({ field: "day", type: "temporal" });

      const byRegion = await query("SELECT region, count(*) AS orders FROM sales GROUP BY region");
      const bar = suggestChart(byRegion);
      expect(markOf(bar)).toBe("bar");
      expect(field(bar, "x")).toMatchObject({ field: "region", type: "nominal" });
      const values = (bar?.data as { values: Array<{ orders: unknown }> } | undefined)?.values ?? [];
      // count(*) is a BIGINT, which arrives as a string and is drawn as a number.
      expect(values.map((v) => v.orders)).toEqual([20, 20, 20]);

      const hourly = await query("SELECT placed_at, amount FROM sales ORDER BY placed_at");
      expect(hourly.columns[0]?.type).toBe("TIMESTAMP WITH TIME ZONE");
      const series = suggestChart(hourly);
      expect(markOf(series)).toBe("line");
      expect(field(series, "x").type).toBe("temporal");

      const amounts = suggestChart(await query("SELECT amount FROM sales"));
      expect(field(amounts, "x").field).toBe("bin_start");
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("charts of SQLite results", () => {
  it("classifies computed columns, which SQLite leaves without a type", () => {
    const db = new Database(join(scratch, "shop.sqlite"));
    try {
      db.exec(`CREATE TABLE orders (placed DATE, city TEXT, total REAL)`);
      const insert = db.prepare("INSERT INTO orders VALUES (?, ?, ?)");
      for (let i = 0; i < 30; i++) insert.run(`2024-02-${String((i % 10) + 1).padStart(2, "0")}`, `c${i % 4}`, i * 2.5);
      const query = (sql: string): QueryResult => {
        const statement = db.prepare(sql);
        return {
          sql,
          columns: statement.columns().map((c) => ({ name: c.name, type: c.type ?? "" })),
          rows: statement.raw().all() as Cell[][],
          truncated: false,
          durationMs: 0,
        };
      };

      const daily = query("SELECT date(placed) AS day, sum(total) AS revenue FROM orders GROUP BY 1 ORDER BY 1");
      expect(daily.columns.map((c) => c.type)).toEqual(["", ""]);
      const line = suggestChart(daily);
      expect(markOf(line)).toBe("line");
      expect(field(line, "x")).toMatchObject({ field: "day", type: "temporal" });

      const cities = query("SELECT city, avg(total) AS average FROM orders GROUP BY city");
      const bar = suggestChart(cities);
      expect(markOf(bar)).toBe("bar");
      expect(field(bar, "y")).toMatchObject({ field: "average", type: "quantitative" });
    } finally {
      db.close();
    }
  });
});
