import { describe, expect, it } from "vitest";
import { axisTitle, chartTable, fieldRef } from "../../../src/data/chart/chart-data.js";
import { columnKind, kindOfTypeName, normaliseDateText, toNumber } from "../../../src/data/chart/column-kind.js";
import { result } from "./helpers.js";

describe("kindOfTypeName", () => {
  it.each([
    ["BIGINT", "quantitative"],
    ["INTEGER", "quantitative"],
    ["int8", "quantitative"],
    ["HUGEINT", "quantitative"],
    ["UBIGINT", "quantitative"],
    ["DOUBLE", "quantitative"],
    ["double precision", "quantitative"],
    ["REAL", "quantitative"],
    ["FLOAT", "quantitative"],
    ["DECIMAL(18,3)", "quantitative"],
    ["NUMERIC", "quantitative"],
    ["numeric(10, 2)", "quantitative"],
    ["UNSIGNED BIG INT", "quantitative"],
    ["DATE", "temporal"],
    ["TIMESTAMP", "temporal"],
    ["TIMESTAMP WITH TIME ZONE", "temporal"],
    ["timestamp with time zone", "temporal"],
    ["timestamp without time zone", "temporal"],
    ["timestamptz", "temporal"],
    ["TIMESTAMP_NS", "temporal"],
    ["DATETIME", "temporal"],
    ["VARCHAR", "nominal"],
    ["character varying(20)", "nominal"],
    ["TEXT", "nominal"],
    ["BOOLEAN", "nominal"],
    ["UUID", "nominal"],
    ["TIME", "nominal"],
    ["INTERVAL", "nominal"],
    ["VARYING CHARACTER(255)", "nominal"],
  ])("%s is %s", (type, kind) => {
    expect(kindOfTypeName(type)).toBe(kind);
  });

  it.each(["", "  ", "BLOB", "bytea", "ANY", "GEOMETRY"])("'%s' says nothing", (type) => {
    expect(kindOfTypeName(type)).toBeUndefined();
  });
});

describe("columnKind", () => {
  it("reads the values when SQLite gives no type", () => {
    expect(columnKind({ name: "n", type: "" }, [1, 2, null, 4.5])).toBe("quantitative");
    expect(columnKind({ name: "n", type: "" }, ["1.5", "2"])).toBe("quantitative");
    expect(columnKind({ name: "d", type: "" }, ["2024-01-01", "2024-02-01 10:30:00", null])).toBe("temporal");
    expect(columnKind({ name: "s", type: "" }, ["a", 1])).toBe("nominal");
    expect(columnKind({ name: "s", type: "" }, [null, null])).toBe("nominal");
  });

  it("believes the values over a declared type they contradict", () => {
    // SQLite lets any column hold anything: a DATE column of Unix seconds is numeric.
    expect(columnKind({ name: "d", type: "DATE" }, [1704067200, 1704153600])).toBe("quantitative");
    expect(columnKind({ name: "n", type: "INTEGER" }, ["n/a", "12"])).toBe("nominal");
    expect(columnKind({ name: "n", type: "BIGINT" }, ["9007199254740993", null])).toBe("quantitative");
  });

  it("treats an integer year column as ordinal, but not other integers", () => {
    expect(columnKind({ name: "year", type: "INTEGER" }, [2019, 2020, 2021])).toBe("ordinal");
    expect(columnKind({ name: "order_year", type: "BIGINT" }, ["2019", "2020"])).toBe("ordinal");
    expect(columnKind({ name: "year", type: "INTEGER" }, [1, 2, 3])).toBe("quantitative");
    expect(columnKind({ name: "count", type: "INTEGER" }, [2019, 2020])).toBe("quantitative");
  });
});

describe("value helpers", () => {
  it("converts cells to numbers only when they are numbers", () => {
    expect(toNumber("123.450")).toBe(123.45);
    expect(toNumber(" -2e3 ")).toBe(-2000);
    expect(toNumber(7)).toBe(7);
    expect(toNumber("12 apples")).toBeNull();
    expect(toNumber("")).toBeNull();
    expect(toNumber(true)).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
  });

  it("normalises SQLite and PostgreSQL date-times to parseable ISO text", () => {
    expect(normaliseDateText("2024-01-01 10:00:00+00")).toBe("2024-01-01T10:00:00+00:00");
    expect(normaliseDateText("2024-01-01")).toBe("2024-01-01");
    expect(Date.parse(normaliseDateText("2024-01-01 10:00:00+00"))).toBe(Date.UTC(2024, 0, 1, 10));
  });

  it("escapes field names Vega-Lite would read as paths and humanises titles", () => {
    expect(fieldRef("a.b[0]")).toBe("a\\.b\\[0\\]");
    expect(axisTitle("total_sales")).toBe("Total sales");
    expect(axisTitle("totalSales")).toBe("Total sales");
    expect(axisTitle("GDP_per_capita")).toBe("GDP per capita");
    expect(axisTitle("sum(amount)")).toBe("sum(amount)");
  });

  it("makes column names unique and non-empty, and converts numeric strings", () => {
    const table = chartTable(
      result(
        [
          ["n", "BIGINT"],
          ["n", "DOUBLE"],
          ["", "TEXT"],
        ],
        [
          ["10", 1.5, "a"],
          ["20", null, "b"],
        ],
      ),
    );
    expect(table.columns.map((c) => c.name)).toEqual(["n", "n_2", "column_3"]);
    expect(table.values).toEqual([
      { n: 10, n_2: 1.5, column_3: "a" },
      { n: 20, n_2: null, column_3: "b" },
    ]);
    expect(table.columns[1]).toMatchObject({ distinct: 1, present: 1 });
  });
});
