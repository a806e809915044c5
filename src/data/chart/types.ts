/**
 * Chart types. weft writes charts as Vega-Lite specs (plain JSON, renderable anywhere Vega runs) and
 * renders them to SVG or PNG with the optional vega, vega-lite and @resvg/resvg-js packages.
 */

/** The marks a chart hint may ask for. Pies are deliberately absent: bars compare shares more accurately. */
export type ChartMark = "bar" | "line" | "point" | "area" | "histogram";

/**
 * A model's (or a person's) wish for a chart. Every part is checked against the actual result:
 * unknown columns, unknown marks and impossible combinations are ignored in favour of the rule-based choice.
 */
export interface ChartHint {
  mark?: ChartMark;
  /** Column for the x axis. */
  x?: string;
  /** Column for the y axis. */
  y?: string;
  /** Column that splits the data into coloured series. */
  color?: string;
  title?: string;
}

/** Why weft chose the chart it did, stored in the spec's `usermeta.weft`. */
export interface ChartChoice {
  /** Which rule chose the chart (`"hint"` when a valid hint decided it). */
  rule: string;
  /** Parts of the hint that were ignored, each with the reason. */
  ignoredHint: string[];
}

/**
 * A Vega-Lite (v6) specification. Only the parts weft reads are typed; any valid Vega-Lite spec fits.
 * Data is inlined in `data.values` so the spec is self-contained.
 */
export interface VegaLiteSpec {
  $schema?: string;
  title?: string | { text: string | string[]; subtitle?: string | string[]; [key: string]: unknown };
  description?: string;
  width?: number | "container" | { step: number };
  height?: number | "container" | { step: number };
  autosize?: string | { type?: string; contains?: string; resize?: boolean };
  data?: { values: unknown[]; [key: string]: unknown } | { url: string; [key: string]: unknown };
  mark?: string | { type: string; [key: string]: unknown };
  encoding?: Record<string, unknown>;
  transform?: Array<Record<string, unknown>>;
  usermeta?: { weft?: ChartChoice; [key: string]: unknown };
  [key: string]: unknown;
}

export interface SuggestChartOptions {
  hint?: ChartHint;
  /** Most categories a bar chart shows before weft declines to draw one (default 20). */
  maxCategories?: number;
}

export type ChartFormat = "svg" | "png";

export interface RenderChartOptions {
  format: ChartFormat;
  /** Width of the whole picture in CSS pixels, axes and title included (default: the spec's own size). */
  width?: number;
  /** Height of the whole picture in CSS pixels (default: the spec's own size). */
  height?: number;
  /** Pixel density multiplier: a PNG of scale 2 has twice the width and height (default 1). */
  scale?: number;
}
