import { axisTitle, type ChartColumn, type ChartTable, fieldRef } from "./chart-data.js";
import { VEGA_LITE_SCHEMA } from "./histogram.js";
import type { ChartMark, VegaLiteSpec } from "./types.js";

/** The chart the rules (or a validated hint) settled on, before it is written as Vega-Lite. */
export interface ChartPlan {
  rule: string;
  mark: ChartMark;
  x: ChartColumn;
  y?: ChartColumn;
  color?: ChartColumn;
  /** Several numeric columns drawn as series of one chart (Vega-Lite `fold`). */
  fold?: ChartColumn[];
  share?: "fraction" | "named";
}

const WIDTH = 560;
const HEIGHT = 320;
/** Beyond this many bars, or this label length, bars lie down so their labels stay horizontal. */
const MAX_UPRIGHT_BARS = 6;
const MAX_UPRIGHT_LABEL = 10;
const MAX_TOOLTIP_FIELDS = 8;

type Encoding = Record<string, unknown>;

function unusedName(table: ChartTable, base: string): string {
  let name = base;
  for (let n = 2; table.columns.some((c) => c.name === name); n++) name = `${base}_${n}`;
  return name;
}

function isDateOnly(column: ChartColumn, table: ChartTable): boolean {
  return table.values.every((row) => {
    const v = row[column.name];
    return v === null || (typeof v === "string" && v.length === 10);
  });
}

function channel(column: ChartColumn, table: ChartTable, extra: Encoding = {}): Encoding {
  const encoding: Encoding = { field: fieldRef(column.name), type: column.kind, title: axisTitle(column.name) };
  // Bare dates parse as UTC midnight; a UTC scale keeps them on their own day in every time zone.
  if (column.kind === "temporal" && isDateOnly(column, table)) encoding.scale = { type: "utc" };
  if (column.kind === "ordinal") encoding.axis = { labelAngle: 0 };
  return { ...encoding, ...extra };
}

function tooltip(table: ChartTable): Encoding[] {
  return table.columns
    .slice(0, MAX_TOOLTIP_FIELDS)
    .map((c) => ({ field: fieldRef(c.name), type: c.kind, title: axisTitle(c.name) }));
}

function barEncoding(plan: ChartPlan, table: ChartTable): { encoding: Encoding; horizontal: boolean } {
  const y = plan.y as ChartColumn;
  let category = plan.x;
  let value = y;
  let horizontal = false;
  if (plan.x.kind === "quantitative" && y.kind !== "quantitative") {
    category = y;
    value = plan.x;
    horizontal = true;
  }
  if (plan.rule !== "hint") {
    const longest = Math.max(...table.values.map((row) => String(row[category.name] ?? "").length));
    horizontal = category.kind === "nominal" && (category.distinct > MAX_UPRIGHT_BARS || longest > MAX_UPRIGHT_LABEL);
  }
  const valueChannel = horizontal ? "x" : "y";
  const categoryType = category.kind === "quantitative" ? "ordinal" : category.kind;
  // Categories read best tallest first; dates and years keep their own order.
  const sort = category.kind === "nominal" ? { sort: `-${valueChannel}` } : {};
  const axis = horizontal ? {} : { axis: { labelAngle: 0 } };
  const categoryEncoding = channel(category, table, { type: categoryType, ...sort, ...axis });
  const valueEncoding = channel(value, table, plan.share === "fraction" ? { axis: { format: ".0%" } } : {});
  const encoding: Encoding = horizontal
    ? { y: categoryEncoding, x: valueEncoding }
    : { x: categoryEncoding, y: valueEncoding };
  if (plan.color) encoding.color = channel(plan.color, table);
  return { encoding, horizontal };
}

/** `Product name` → `product name` inside a sentence; acronyms like `GDP` stay as they are. */
const inSentence = (title: string) => (/^[A-Z][^A-Z]/.test(title) ? title[0]?.toLowerCase() + title.slice(1) : title);

function defaultTitle(plan: ChartPlan): string {
  const x = inSentence(axisTitle(plan.x.name));
  const y = plan.fold ? plan.fold.map((c) => axisTitle(c.name)).join(", ") : axisTitle(plan.y?.name ?? "");
  if (plan.mark === "point") return `${y} vs ${x}`;
  if ((plan.mark === "line" || plan.mark === "area") && plan.x.kind === "temporal") return `${y} over time`;
  if (plan.share && !/share/i.test(y)) return `Share of ${inSentence(y)} by ${x}`;
  return `${y} by ${x}`;
}

/**
 * Writes a chart plan as a Vega-Lite spec with the data inlined.
 *
 * @example
 * buildSpec({ rule: "scatter", mark: "point", x: price, y: weight }, table, { ignoredHint: [] });
 */
export function buildSpec(
  plan: ChartPlan,
  table: ChartTable,
  options: { title?: string; ignoredHint: string[] },
): VegaLiteSpec {
  let encoding: Encoding;
  let height = HEIGHT;
  let mark: { type: string; [key: string]: unknown } = { type: plan.mark, tooltip: true };
  const transform: Array<Record<string, unknown>> = [];
  if (plan.mark === "bar") {
    const bar = barEncoding(plan, table);
    encoding = bar.encoding;
    if (bar.horizontal) height = Math.max(HEIGHT, 22 * (plan.y?.kind === "nominal" ? plan.y : plan.x).distinct);
  } else if (plan.mark === "point") {
    encoding = { x: channel(plan.x, table), y: channel(plan.y as ChartColumn, table), tooltip: tooltip(table) };
    if (plan.color) encoding.color = channel(plan.color, table);
    mark = { type: "point", filled: true };
  } else {
    encoding = { x: channel(plan.x, table) };
    if (plan.fold) {
      const key = unusedName(table, "series");
      const value = unusedName(table, "value");
      transform.push({ fold: plan.fold.map((c) => fieldRef(c.name)), as: [key, value] });
      encoding.y = { field: value, type: "quantitative", title: plan.fold.map((c) => axisTitle(c.name)).join(", ") };
      encoding.color = { field: key, type: "nominal", title: "Series" };
    } else {
      encoding.y = channel(plan.y as ChartColumn, table);
      if (plan.color) encoding.color = channel(plan.color, table);
    }
    // Points on a short line show where the measurements are; on a long one they are clutter.
    if (plan.mark === "line" && table.values.length <= 50) mark.point = true;
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? defaultTitle(plan),
    width: WIDTH,
    height,
    data: { values: table.values },
    ...(transform.length ? { transform } : {}),
    mark,
    encoding,
    usermeta: { weft: { rule: plan.rule, ignoredHint: options.ignoredHint } },
  };
}
