import type { QueryResult } from "../types.js";
import { type ChartColumn, type ChartTable, chartTable } from "./chart-data.js";
import { histogramSpec } from "./histogram.js";
import { buildSpec, type ChartPlan } from "./plan-spec.js";
import type { ChartHint, ChartMark, SuggestChartOptions, VegaLiteSpec } from "./types.js";

const DEFAULT_MAX_CATEGORIES = 20;
/** Most series a line or stacked bar colours before the legend stops being readable. */
const MAX_COLORS = 10;
/** A lone numeric column becomes a histogram from this many values on. */
const MIN_HISTOGRAM_ROWS = 20;
const MARKS: ReadonlySet<string> = new Set<ChartMark>(["bar", "line", "point", "area", "histogram"]);

type RuleResult = { plan: ChartPlan } | { none: string };

const isSequence = (c: ChartColumn) => c.kind === "temporal" || c.kind === "ordinal";

function ruleChoice(table: ChartTable, maxCategories: number): RuleResult {
  const { columns, values } = table;
  const seq = columns.filter(isSequence);
  const num = columns.filter((c) => c.kind === "quantitative");
  const cat = columns.filter((c) => c.kind === "nominal");
  if (seq.length > 0 && num.length > 0) {
    const x = seq[0] as ChartColumn;
    if (num.length > 1) {
      return {
        plan: { rule: "time-series", mark: "line", x, y: num[0] as ChartColumn, fold: num.slice(0, MAX_COLORS) },
      };
    }
    const plan: ChartPlan = { rule: "time-series", mark: "line", x, y: num[0] as ChartColumn };
    const series = cat[0];
    // One row per x value: a nominal column is a label, not a series.
    if (!series || x.distinct === x.present) return { plan };
    if (series.distinct > MAX_COLORS) return { none: `too many series in '${series.name}' (${series.distinct})` };
    return { plan: { ...plan, color: series } };
  }
  if (cat.length > 0 && num.length > 0) {
    const x = cat.find((c) => c.distinct <= maxCategories);
    if (x) {
      const y = num[0] as ChartColumn;
      const stack = cat.find((c) => c !== x && c.distinct <= MAX_COLORS);
      const share = looksLikeShare(y, values);
      return { plan: { rule: share ? "share" : "category-bar", mark: "bar", x, y, color: stack, share } };
    }
    if (num.length > 1)
      return { plan: { rule: "scatter", mark: "point", x: num[0] as ChartColumn, y: num[1] as ChartColumn } };
    return { none: `too many categories in '${cat[0]?.name}' (${cat[0]?.distinct}, at most ${maxCategories})` };
  }
  if (num.length > 1)
    return { plan: { rule: "scatter", mark: "point", x: num[0] as ChartColumn, y: num[1] as ChartColumn } };
  if (num.length === 1) {
    const only = num[0] as ChartColumn;
    if (only.present >= MIN_HISTOGRAM_ROWS) return { plan: { rule: "histogram", mark: "histogram", x: only } };
    return { none: `a single numeric column with only ${only.present} values` };
  }
  return { none: "no numeric column to plot" };
}

const SHARE_NAME = /share|percent|pct|ratio|fraction|proportion/i;

/** Shares: fractions summing to about 1, or a column named like one. */
function looksLikeShare(column: ChartColumn, values: ChartTable["values"]): "fraction" | "named" | undefined {
  const numbers = values.map((v) => v[column.name]).filter((n): n is number => typeof n === "number");
  const sum = numbers.reduce((a, b) => a + b, 0);
  if (numbers.length > 1 && numbers.every((n) => n >= 0 && n <= 1) && Math.abs(sum - 1) < 0.02) return "fraction";
  return SHARE_NAME.test(column.name) ? "named" : undefined;
}

function findColumn(columns: ChartColumn[], name: string): ChartColumn | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

function resolveHintColumns(hint: ChartHint, columns: ChartColumn[], ignored: string[]) {
  const pick = (key: "x" | "y" | "color") => {
    const name = hint[key];
    if (name === undefined) return undefined;
    const column = typeof name === "string" ? findColumn(columns, name) : undefined;
    if (!column) ignored.push(`${key}: the result has no column '${String(name)}'`);
    return column;
  };
  return { x: pick("x"), y: pick("y"), color: pick("color") };
}

function hintedPlan(hint: ChartHint, table: ChartTable, base: ChartPlan | undefined, ignored: string[]) {
  const { columns } = table;
  let mark: ChartMark | undefined;
  if (hint.mark !== undefined) {
    if (typeof hint.mark === "string" && MARKS.has(hint.mark)) mark = hint.mark;
    else ignored.push(`mark: '${String(hint.mark)}' is not one of ${[...MARKS].join(", ")}`);
  }
  const h = resolveHintColumns(hint, columns, ignored);
  if (!mark && !h.x && !h.y && !h.color) return base;
  const num = columns.filter((c) => c.kind === "quantitative");
  if ((mark ?? base?.mark) === "histogram") {
    const field = [h.x, h.y, mark ? undefined : base?.x].find((c) => c?.kind === "quantitative") ?? num[0];
    if (field) return { rule: "hint", mark: "histogram", x: field } satisfies ChartPlan;
    ignored.push("mark: a histogram needs a numeric column and the result has none");
    return base;
  }
  const finalMark = mark ?? base?.mark ?? (num.length >= 2 && !h.x ? "point" : "bar");
  const keepFold = !h.y && finalMark !== "point";
  let x = h.x ?? base?.x;
  let y = h.y ?? (keepFold ? base?.y : undefined);
  // Without a base plan (or when the hint replaced one axis), fill the other axis sensibly.
  x ??= columns.find((c) => c !== y && c.kind !== "quantitative") ?? num.find((c) => c !== y);
  if (!y || y === x) y = num.find((c) => c !== x);
  if (!x || !y || x === y) {
    ignored.push(`the hint does not give two different columns to plot`);
    return base;
  }
  if (finalMark !== "point" && x.kind !== "quantitative" && y.kind !== "quantitative") {
    ignored.push(
      `a ${finalMark} chart needs a numeric column on x or y, and '${x.name}' and '${y.name}' are not numeric`,
    );
    return base;
  }
  let color = h.color ?? (keepFold && !h.x ? base?.color : undefined);
  if (color === x || color === y) {
    ignored.push(`color: '${color.name}' is already on an axis`);
    color = undefined;
  }
  const fold = keepFold && !h.x && !h.color ? base?.fold : undefined;
  return { rule: "hint", mark: finalMark, x, y, color, fold, share: base?.share } satisfies ChartPlan;
}

/**
 * Picks a chart for a query result, or none when a chart would not help, and returns it as a Vega-Lite
 * spec with the data inlined. The rules, first match wins:
 *
 * | result | chart |
 * |---|---|
 * | no rows, one row, or only one value | none |
 * | a date/time (or `year`) column + numeric columns | line; several numeric columns become coloured series |
 * | a category column with at most `maxCategories` values + a numeric column | bar sorted by value (also for shares: no pies) |
 * | a category column with more values | scatter of two numeric columns if there are two, else none |
 * | two numeric columns | scatter (point) |
 * | one numeric column with 20 or more values | histogram |
 *
 * A `hint` (typically from a model) may choose the mark, axes, colour and title; each part naming a
 * column or mark that does not exist is ignored, and the spec's `usermeta.weft.ignoredHint` says why.
 *
 * @example
 * const result = await source.run("SELECT region, sum(amount) AS total FROM sales GROUP BY region");
 * const spec = suggestChart(result); // bar chart of total by region, tallest first
 * if (spec) await writeChart(spec, "sales.png");
 */
export function suggestChart(result: QueryResult, options: SuggestChartOptions = {}): VegaLiteSpec | undefined {
  if (result.rows.length <= 1 || result.columns.length === 0) return undefined;
  const maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
  const table = chartTable(result);
  const ruled = ruleChoice(table, maxCategories);
  const ignored: string[] = [];
  const base = "plan" in ruled ? ruled.plan : undefined;
  const plan = options.hint ? hintedPlan(options.hint, table, base, ignored) : base;
  if (!plan) return undefined;
  // Too many bars stay unreadable whoever asked for them.
  const category = plan.mark === "bar" ? [plan.x, plan.y].find((c) => c?.kind === "nominal") : undefined;
  if (category && category.distinct > maxCategories) return undefined;
  const title = options.hint?.title?.trim() || undefined;
  if (plan.mark === "histogram") {
    const index = table.columns.indexOf(plan.x);
    const values = result.rows.map((row) => row[index] ?? null);
    const spec = histogramSpec({ values, field: plan.x.name, title });
    return { ...spec, usermeta: { weft: { rule: plan.rule, ignoredHint: ignored } } };
  }
  return buildSpec(plan, table, { title, ignoredHint: ignored });
}
