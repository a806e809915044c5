import { InvalidArgumentError } from "../../spec/errors.js";
import type { Cell, QueryResult } from "../types.js";
import { axisTitle } from "./chart-data.js";
import { toNumber } from "./column-kind.js";
import type { VegaLiteSpec } from "./types.js";

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const DEFAULT_BINS = 20;

export interface HistogramOptions {
  /** The numbers to bin (cells: numeric strings count, nulls are excluded and reported). */
  values?: ReadonlyArray<Cell>;
  /** Or a query result to take the `field` column from. */
  result?: QueryResult;
  /** The column to bin, or the axis label for `values`. */
  field: string;
  /** Most bins to draw (default 20); edges are multiples of 1, 2 or 5 × a power of ten where that fits. */
  bins?: number;
  title?: string;
}

/** One bin: `[start, end)`, except that the last float bin also holds its end value. */
export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

export interface Binned {
  bins: HistogramBin[];
  step: number;
  nulls: number;
  /** Non-null values that are not numbers. */
  invalid: number;
}

const round = (x: number) => Number(x.toPrecision(12));

function stepCandidates(raw: number): number[] {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10, 20, 50, 100].map((m) => round(m * power));
}

function layout(min: number, max: number, maxBins: number, integers: boolean) {
  if (min === max) {
    const step = integers ? 1 : (stepCandidates(Math.max(Math.abs(min), 1) / 10)[0] ?? 1);
    return { start: round(Math.floor(min / step) * step), step, count: 1, closedEnd: true };
  }
  for (const candidate of stepCandidates((max - min) / maxBins)) {
    const step = integers ? Math.max(1, Math.ceil(candidate)) : candidate;
    const start = round(Math.floor(min / step) * step);
    // Integer bins stay half-open so the largest value gets a bin of its own; float bins close the last one.
    const count = integers ? Math.floor((max - start) / step) + 1 : Math.max(1, Math.ceil(round((max - start) / step)));
    if (count <= maxBins) return { start, step, count, closedEnd: !integers };
  }
  // Round edges cannot fit (a range across zero in a single bin): equal bins from the minimum instead.
  if (integers) {
    const step = Math.ceil((max - min + 1) / maxBins);
    return { start: min, step, count: Math.floor((max - min) / step) + 1, closedEnd: false };
  }
  return { start: min, step: (max - min) / maxBins, count: maxBins, closedEnd: true };
}

/**
 * Counts numbers into at most `maxBins` equal-width bins with round edges. Nulls and non-numbers are
 * counted, not binned.
 *
 * @example
 * binValues([1, 2, 2, 9, null], 5); // { bins: [...], step: 2, nulls: 1, invalid: 0 }
 */
export function binValues(values: ReadonlyArray<Cell>, maxBins = DEFAULT_BINS): Binned {
  let nulls = 0;
  let invalid = 0;
  const numbers: number[] = [];
  for (const v of values) {
    if (v === null || v === undefined) nulls++;
    else {
      const n = toNumber(v);
      if (n === null) invalid++;
      else numbers.push(n);
    }
  }
  if (numbers.length === 0) return { bins: [], step: 0, nulls, invalid };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const n of numbers) {
    if (n < min) min = n;
    if (n > max) max = n;
  }
  const { start, step, count, closedEnd } = layout(min, max, maxBins, numbers.every(Number.isInteger));
  const counts = new Array<number>(count).fill(0);
  for (const n of numbers) {
    // The small epsilon keeps 0.3 out of the [0.2, 0.3) bin despite 0.3 / 0.1 = 2.9999999999999996.
    let i = Math.floor((n - start) / step + 1e-9);
    if (closedEnd && i >= count) i = count - 1;
    i = Math.min(Math.max(i, 0), count - 1);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const bins = counts.map((c, i) => ({ start: round(start + i * step), end: round(start + (i + 1) * step), count: c }));
  return { bins, step, nulls, invalid };
}

function pickValues(options: HistogramOptions): ReadonlyArray<Cell> {
  if (options.values && options.result) {
    throw new InvalidArgumentError({
      argument: "values",
      message: "Pass either values or result to histogramSpec, not both.",
    });
  }
  if (options.values) return options.values;
  if (!options.result) {
    throw new InvalidArgumentError({
      argument: "values",
      message: "histogramSpec needs the numbers: pass values (an array) or result (a query result) with field.",
    });
  }
  const { columns, rows } = options.result;
  let index = columns.findIndex((c) => c.name === options.field);
  if (index < 0) index = columns.findIndex((c) => c.name.toLowerCase() === options.field.toLowerCase());
  if (index < 0) {
    throw new InvalidArgumentError({
      argument: "field",
      message: `The result has no column '${options.field}'. Its columns are: ${columns.map((c) => c.name).join(", ") || "(none)"}.`,
    });
  }
  return rows.map((row) => row[index] ?? null);
}

function excludedNote(nulls: number, invalid: number): string | undefined {
  const parts: string[] = [];
  if (nulls > 0) parts.push(`${nulls} null value${nulls === 1 ? "" : "s"}`);
  if (invalid > 0) parts.push(`${invalid} non-numeric value${invalid === 1 ? "" : "s"}`);
  return parts.length ? `${parts.join(" and ")} excluded` : undefined;
}

/**
 * A Vega-Lite histogram: a bar per bin with its count. Bins are computed here, so the spec holds one
 * small row per bin however many values there are. Nulls are left out and their number is given in the subtitle.
 *
 * @example
 * const spec = histogramSpec({ values: [3.1, 4.7, 5.0, null], field: "price", bins: 10 });
 * await writeChart(spec, "price.svg");
 */
export function histogramSpec(options: HistogramOptions): VegaLiteSpec {
  const maxBins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(maxBins) || maxBins < 1 || maxBins > 1000) {
    throw new InvalidArgumentError({
      argument: "bins",
      message: `bins must be a whole number from 1 to 1000, got ${maxBins}.`,
    });
  }
  const values = pickValues(options);
  const { bins, step, nulls, invalid } = binValues(values, maxBins);
  if (bins.length === 0) {
    throw new InvalidArgumentError({
      argument: "values",
      message: `'${options.field}' has no numeric values to draw a histogram of (${values.length} value(s), ${nulls} null). Pick a numeric column.`,
    });
  }
  const label = axisTitle(options.field);
  const subtitle = excludedNote(nulls, invalid);
  const text = options.title ?? `Distribution of ${label}`;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: subtitle ? { text, subtitle } : text,
    width: 560,
    height: 320,
    data: { values: bins.map((b) => ({ bin_start: b.start, bin_end: b.end, count: b.count })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "bin_start", type: "quantitative", bin: { binned: true, step }, title: label },
      x2: { field: "bin_end" },
      y: { field: "count", type: "quantitative", title: "Count" },
    },
    usermeta: { weft: { rule: "histogram", ignoredHint: [] } },
  };
}
