import { describe, expect, it } from "vitest";
import { suggestChart } from "../../../src/data/chart/suggest-chart.js";
import type { VegaLiteSpec } from "../../../src/data/chart/types.js";
import { days, result } from "./helpers.js";

type Enc = Record<string, { field?: string; type?: string; sort?: unknown; bin?: unknown; axis?: { format?: string } }>;
const enc = (spec: VegaLiteSpec | undefined) => spec?.encoding as Enc;
const markOf = (spec: VegaLiteSpec | undefined) => (typeof spec?.mark === "string" ? spec.mark : spec?.mark?.type);
const rows = (spec: VegaLiteSpec | undefined) =>
  (spec?.data as { values: Array<Record<string, unknown>> } | undefined)?.values ?? [];

const regions = result(
  [
    ["region", "VARCHAR"],
    ["total", "BIGINT"],
  ],
  [
    ["north", "12"],
    ["south", "30"],
    ["east", "7"],
    ["west", "19"],
  ],
);
const scatter = result(
  [
    ["price", "REAL"],
    ["weight", "REAL"],
  ],
  Array.from({ length: 30 }, (_, i) => [i * 1.25, 100 - i * 2]),
);

describe("suggestChart rules", () => {
  it("draws a date column and a number as a line over time", () => {
    const spec = suggestChart(
      result(
        [
          ["day", "DATE"],
          ["amount", "DECIMAL(18,3)"],
        ],
        days(10).map((d, i) => [d, `${i * 1.5}`]),
      ),
    );
    expect(markOf(spec)).toBe("line");
    expect(enc(spec).x).toMatchObject({ field: "day", type: "temporal" });
    expect(enc(spec).y).toMatchObject({ field: "amount", type: "quantitative" });
    expect(enc(spec).color).toBeUndefined();
    // DECIMAL arrives as a string; the chart needs numbers.
    expect(rows(spec)[3]).toEqual({ day: "2024-01-04", amount: 4.5 });
    expect(spec?.title).toBe("Amount over time");
    expect(spec?.usermeta?.weft).toEqual({ rule: "time-series", ignoredHint: [] });
  });

  it("folds several numbers over time into coloured series", () => {
    const spec = suggestChart(
      result(
        [
          ["day", "TIMESTAMP"],
          ["revenue", "DOUBLE"],
          ["cost", "DOUBLE"],
        ],
        days(5).map((d, i) => [`${d} 12:00:00`, 100 + i, 50 + i]),
      ),
    );
    expect(markOf(spec)).toBe("line");
    expect(spec?.transform).toEqual([{ fold: ["revenue", "cost"], as: ["series", "value"] }]);
    expect(enc(spec).y).toMatchObject({ field: "value", type: "quantitative" });
    expect(enc(spec).color).toMatchObject({ field: "series", type: "nominal" });
    expect(rows(spec)[0]?.day).toBe("2024-01-01T12:00:00");
  });

  it("colours a time series by a category whose values repeat the timestamps", () => {
    const spec = suggestChart(
      result(
        [
          ["t", "timestamp with time zone"],
          ["city", "TEXT"],
          ["temp", "DOUBLE"],
        ],
        [
          ["2024-01-01 10:00:00+00", "Oslo", -3],
          ["2024-01-01 11:00:00+00", "Oslo", -2],
          ["2024-01-01 10:00:00+00", "Rome", 11],
          ["2024-01-01 11:00:00+00", "Rome", 13],
        ],
      ),
    );
    expect(markOf(spec)).toBe("line");
    expect(enc(spec).x).toMatchObject({ field: "t", type: "temporal" });
    expect(enc(spec).color).toMatchObject({ field: "city", type: "nominal" });
  });

  it("draws an integer year column as an ordered line", () => {
    const spec = suggestChart(
      result(
        [
          ["year", "INTEGER"],
          ["births", "BIGINT"],
        ],
        [
          [2019, 100],
          [2020, 90],
          [2021, 95],
        ],
      ),
    );
    expect(markOf(spec)).toBe("line");
    expect(enc(spec).x).toMatchObject({ field: "year", type: "ordinal" });
  });

  it("draws a few categories and a number as bars, tallest first", () => {
    const spec = suggestChart(regions);
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).x).toMatchObject({ field: "region", type: "nominal", sort: "-y" });
    expect(enc(spec).y).toMatchObject({ field: "total", type: "quantitative" });
    expect(rows(spec)).toContainEqual({ region: "south", total: 30 });
    expect(spec?.title).toBe("Total by region");
  });

  it("lays bars down when there are many or long labels", () => {
    const spec = suggestChart(
      result(
        [
          ["product_name", "TEXT"],
          ["units", "INTEGER"],
        ],
        Array.from({ length: 12 }, (_, i) => [`Product number ${i}`, i * i]),
      ),
    );
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).y).toMatchObject({ field: "product_name", type: "nominal", sort: "-x" });
    expect(enc(spec).x).toMatchObject({ field: "units", type: "quantitative" });
  });

  it("stacks bars by a second small category", () => {
    const spec = suggestChart(
      result(
        [
          ["region", "VARCHAR"],
          ["quarter", "VARCHAR"],
          ["sales", "DOUBLE"],
        ],
        [
          ["n", "Q1", 3],
          ["n", "Q2", 4],
          ["s", "Q1", 5],
          ["s", "Q2", 1],
        ],
      ),
    );
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).x?.field).toBe("region");
    expect(enc(spec).color).toMatchObject({ field: "quarter", type: "nominal" });
  });

  it("draws shares as bars with a percent axis, never as a pie", () => {
    const spec = suggestChart(
      result(
        [
          ["browser", "VARCHAR"],
          ["fraction", "DOUBLE"],
        ],
        [
          ["Chrome", 0.65],
          ["Safari", 0.19],
          ["Firefox", 0.1],
          ["Other", 0.06],
        ],
      ),
    );
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).theta).toBeUndefined();
    expect(enc(spec).y?.axis?.format).toBe(".0%");
    expect(spec?.usermeta?.weft?.rule).toBe("share");
  });

  it("draws two numbers as a scatter plot", () => {
    const spec = suggestChart(scatter);
    expect(markOf(spec)).toBe("point");
    expect(enc(spec).x).toMatchObject({ field: "price", type: "quantitative" });
    expect(enc(spec).y).toMatchObject({ field: "weight", type: "quantitative" });
    expect(spec?.title).toBe("Weight vs price");
  });

  it("draws a lone numeric column with many rows as a histogram", () => {
    const values = Array.from({ length: 50 }, (_, i) => [i % 10]);
    const spec = suggestChart(result([["score", "INTEGER"]], values));
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).x).toMatchObject({ field: "bin_start", bin: { binned: true, step: 1 } });
    expect(enc(spec).y).toMatchObject({ field: "count" });
    expect(rows(spec)).toHaveLength(10);
    expect(rows(spec).every((b) => b.count === 5)).toBe(true);
    expect(spec?.usermeta?.weft?.rule).toBe("histogram");
  });

  it.each([
    ["no rows", result([["n", "INTEGER"]], [])],
    ["a single value", result([["n", "INTEGER"]], [[42]])],
    [
      "a single row",
      result(
        [
          ["a", "INTEGER"],
          ["b", "DOUBLE"],
          ["c", "VARCHAR"],
        ],
        [[1, 2, "x"]],
      ),
    ],
    ["a short numeric column", result([["n", "INTEGER"]], [[1], [2], [3], [4], [5]])],
    [
      "only text",
      result(
        [
          ["name", "TEXT"],
          ["city", "TEXT"],
        ],
        [
          ["a", "x"],
          ["b", "y"],
        ],
      ),
    ],
  ])("draws nothing for %s", (_, input) => {
    expect(suggestChart(input)).toBeUndefined();
  });

  it("declines too many categories, unless maxCategories allows them", () => {
    const many = result(
      [
        ["customer", "VARCHAR"],
        ["orders", "BIGINT"],
      ],
      Array.from({ length: 30 }, (_, i) => [`c${i}`, i]),
    );
    expect(suggestChart(many)).toBeUndefined();
    expect(markOf(suggestChart(many, { maxCategories: 40 }))).toBe("bar");
  });

  it("falls back to a scatter when the categories are too many but there are two numbers", () => {
    const spec = suggestChart(
      result(
        [
          ["city", "VARCHAR"],
          ["population", "BIGINT"],
          ["area", "DOUBLE"],
        ],
        Array.from({ length: 40 }, (_, i) => [`city ${i}`, 1000 * i, i / 2]),
      ),
    );
    expect(markOf(spec)).toBe("point");
    expect(enc(spec).x?.field).toBe("population");
    expect(enc(spec).y?.field).toBe("area");
  });

  it("classifies SQLite columns without a type by their values", () => {
    const spec = suggestChart(
      result(
        [
          ["d", ""],
          ["n", ""],
        ],
        [
          ["2024-01-01", 3],
          ["2024-01-02", 5],
          ["2024-01-03", 4],
        ],
      ),
    );
    expect(markOf(spec)).toBe("line");
    expect(enc(spec).x?.type).toBe("temporal");
  });

  it("escapes column names with dots so Vega-Lite does not read them as paths", () => {
    const spec = suggestChart(
      result(
        [
          ["t.region", "VARCHAR"],
          ["sum(t.total)", "DOUBLE"],
        ],
        [
          ["a", 1],
          ["b", 2],
        ],
      ),
    );
    expect(enc(spec).x?.field).toBe("t\\.region");
    expect(enc(spec).y?.field).toBe("sum(t\\.total)");
    expect(rows(spec)[0]).toEqual({ "t.region": "a", "sum(t.total)": 1 });
  });
});

describe("suggestChart hints", () => {
  it("follows a valid hint for mark, axes and title", () => {
    const spec = suggestChart(regions, { hint: { mark: "line", x: "region", y: "total", title: "Totals" } });
    expect(markOf(spec)).toBe("line");
    expect(enc(spec).x?.field).toBe("region");
    expect(enc(spec).y?.field).toBe("total");
    expect(spec?.title).toBe("Totals");
    expect(spec?.usermeta?.weft).toEqual({ rule: "hint", ignoredHint: [] });
  });

  it("matches hinted columns case-insensitively", () => {
    const spec = suggestChart(scatter, { hint: { x: "WEIGHT", y: "Price" } });
    expect(enc(spec).x?.field).toBe("weight");
    expect(enc(spec).y?.field).toBe("price");
  });

  it("ignores unknown columns and marks, keeping the rule's choice and saying why", () => {
    const spec = suggestChart(regions, { hint: { mark: "pie" as never, x: "country", y: "total" } });
    expect(markOf(spec)).toBe("bar");
    expect(enc(spec).x?.field).toBe("region");
    const ignored = spec?.usermeta?.weft?.ignoredHint ?? [];
    expect(ignored).toHaveLength(2);
    expect(ignored.join("\n")).toContain("'pie'");
    expect(ignored.join("\n")).toContain("no column 'country'");
  });

  it("turns a scatter into a histogram of the hinted column", () => {
    const spec = suggestChart(scatter, { hint: { mark: "histogram", x: "weight" } });
    expect(enc(spec).x).toMatchObject({ field: "bin_start", title: "Weight" });
    const counted = rows(spec).reduce((n, b) => n + (b.count as number), 0);
    expect(counted).toBe(30);
  });

  it("refuses a bar chart of two text columns", () => {
    const input = result(
      [
        ["name", "TEXT"],
        ["city", "TEXT"],
        ["age", "INTEGER"],
      ],
      [
        ["a", "x", 1],
        ["b", "y", 2],
      ],
    );
    const spec = suggestChart(input, { hint: { mark: "bar", x: "name", y: "city" } });
    expect(enc(spec).x?.field).toBe("name");
    expect(enc(spec).y?.field).toBe("age");
    expect(spec?.usermeta?.weft?.ignoredHint.join()).toContain("needs a numeric column");
  });

  it("ignores a colour that is already an axis", () => {
    const spec = suggestChart(regions, { hint: { color: "region" } });
    expect(enc(spec).color).toBeUndefined();
    expect(spec?.usermeta?.weft?.ignoredHint).toEqual(["color: 'region' is already on an axis"]);
  });

  it("lets a hint draw a chart the rules would not, but never for a single row", () => {
    const short = result(
      [
        ["label", "TEXT"],
        ["x", "TEXT"],
        ["n", "INTEGER"],
      ],
      Array.from({ length: 30 }, (_, i) => [`l${i}`, `x${i}`, i]),
    );
    expect(suggestChart(short)).toBeUndefined();
    const spec = suggestChart(short, { hint: { mark: "point", x: "n", y: "label" } });
    expect(markOf(spec)).toBe("point");
    expect(suggestChart(result([["n", "INTEGER"]], [[1]]), { hint: { mark: "bar", x: "n" } })).toBeUndefined();
  });

  it("still declines a hinted bar chart with too many categories", () => {
    const many = result(
      [
        ["customer", "VARCHAR"],
        ["orders", "BIGINT"],
        ["spent", "DOUBLE"],
      ],
      Array.from({ length: 30 }, (_, i) => [`c${i}`, i, i * 2]),
    );
    expect(markOf(suggestChart(many))).toBe("point");
    expect(suggestChart(many, { hint: { mark: "bar", x: "customer", y: "orders" } })).toBeUndefined();
  });
});
