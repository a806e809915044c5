import { InvalidArgumentError } from "../../spec/errors.js";
import { type ChartImporters, defaultImporters, importOptional } from "./load-engines.js";
import type { RenderChartOptions, VegaLiteSpec } from "./types.js";

type Vega = typeof import("vega");
type VegaLite = typeof import("vega-lite");
type Resvg = typeof import("@resvg/resvg-js");

const FEATURE = "Rendering charts";
const MAX_SIDE = 10_000;
const COMPOSITE = ["hconcat", "vconcat", "concat", "facet", "repeat"];

function checkOptions(options: RenderChartOptions): void {
  if (options?.format !== "svg" && options?.format !== "png") {
    throw new InvalidArgumentError({
      argument: "format",
      message: `Chart format must be "svg" or "png", got ${JSON.stringify(options?.format)}.`,
    });
  }
  for (const key of ["width", "height"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 1 && v <= MAX_SIDE)) {
      throw new InvalidArgumentError({
        argument: key,
        message: `Chart ${key} must be a number of pixels from 1 to ${MAX_SIDE}, got ${v}.`,
      });
    }
  }
  const scale = options.scale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0 && scale <= 10)) {
    throw new InvalidArgumentError({
      argument: "scale",
      message: `Chart scale must be a number above 0 and at most 10, got ${scale}.`,
    });
  }
}

/** The spec with the requested outer size: `fit` autosizing makes width × height the whole picture. */
function sized(spec: VegaLiteSpec, options: RenderChartOptions): VegaLiteSpec {
  if (options.width === undefined && options.height === undefined) return spec;
  if (COMPOSITE.some((key) => key in spec)) return spec;
  return {
    ...spec,
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
    autosize: { type: "fit", contains: "padding" },
  };
}

function collectingLogger(messages: { errors: string[]; warnings: string[] }) {
  const logger = {
    level: (_?: number) => logger,
    error: (...args: unknown[]) => {
      messages.errors.push(args.map(String).join(" "));
      return logger;
    },
    warn: (...args: unknown[]) => {
      messages.warnings.push(args.map(String).join(" "));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

const urlRefused = (uri: string) =>
  new InvalidArgumentError({
    argument: "spec",
    message: `The chart refers to '${uri}'; weft renders only charts whose data is inlined in data.values.`,
  });

const refuseLoading = async (uri: string): Promise<never> => {
  throw urlRefused(uri);
};

const MARK_TYPES = new Set([
  "arc",
  "area",
  "bar",
  "boxplot",
  "circle",
  "errorband",
  "errorbar",
  "geoshape",
  "image",
  "line",
  "point",
  "rect",
  "rule",
  "square",
  "text",
  "tick",
  "trail",
]);

/** Vega-Lite crashes with an unhelpful TypeError on an unknown mark, so that one is checked first. */
function checkMark(spec: VegaLiteSpec): void {
  if (spec.mark === undefined) return;
  const type = typeof spec.mark === "string" ? spec.mark : spec.mark?.type;
  if (typeof type !== "string" || !MARK_TYPES.has(type)) {
    throw new InvalidArgumentError({
      argument: "spec",
      message: `The chart spec has an unknown mark ${JSON.stringify(type)}; use one of ${[...MARK_TYPES].join(", ")}.`,
    });
  }
}

async function compileToVega(
  spec: VegaLiteSpec,
  importers: ChartImporters,
  messages: { errors: string[]; warnings: string[] },
) {
  checkMark(spec);
  const vl = await importOptional<VegaLite>("vega-lite", FEATURE, importers.vegaLite);
  let compiled: ReturnType<VegaLite["compile"]>;
  try {
    compiled = vl.compile(spec as Parameters<VegaLite["compile"]>[0], { logger: collectingLogger(messages) as never });
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "spec",
      message: `The chart spec is not valid Vega-Lite: ${(error as Error).message}. Check the mark, encoding fields and data.`,
    });
  }
  // Data behind a URL would be fetched from the network or the file system while rendering.
  for (const data of compiled.spec.data ?? []) {
    if ("url" in data && data.url !== undefined) throw urlRefused(String(data.url));
  }
  return compiled.spec;
}

async function toSvg(spec: VegaLiteSpec, importers: ChartImporters, scale: number): Promise<string> {
  const messages = { errors: [] as string[], warnings: [] as string[] };
  const vgSpec = await compileToVega(spec, importers, messages);
  const vega = await importOptional<Vega>("vega", FEATURE, importers.vega);
  const loader = { load: refuseLoading, sanitize: refuseLoading, http: refuseLoading, file: refuseLoading };
  const view = new vega.View(vega.parse(vgSpec), {
    renderer: "none",
    loader,
    logger: collectingLogger(messages) as never,
    logLevel: vega.Warn,
  });
  try {
    const svg = await view.toSVG(scale);
    if (messages.errors.length > 0) {
      throw new InvalidArgumentError({
        argument: "spec",
        message: `The chart could not be drawn: ${messages.errors[0]}. Check the spec's fields and transforms.`,
      });
    }
    return svg;
  } finally {
    view.finalize();
  }
}

async function svgToPng(svg: string, width: number, importers: ChartImporters): Promise<Buffer> {
  const { Resvg } = await importOptional<Resvg>("@resvg/resvg-js", "Rendering charts as PNG", importers.resvg);
  const image = new Resvg(svg, {
    fitTo: { mode: "width", value: width },
    // Vega writes `sans-serif`; DejaVu Sans is the common Linux font, and resvg falls back when it is absent.
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    logLevel: "error",
  }).render();
  return image.asPng();
}

function svgWidth(svg: string): number {
  const match = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  return match ? Number(match[1]) : 0;
}

/**
 * Same as renderChart, with the package importers replaceable (tests simulate a missing package).
 * @internal
 */
export async function renderChartWith(
  importers: ChartImporters,
  spec: VegaLiteSpec,
  options: RenderChartOptions,
): Promise<string | Buffer> {
  checkOptions(options);
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new InvalidArgumentError({ argument: "spec", message: "renderChart needs a Vega-Lite spec object." });
  }
  const scale = options.scale ?? 1;
  // Vega tags every data object it ingests; a deep copy keeps the caller's spec untouched.
  const input = sized(structuredClone(spec), options);
  if (options.format === "svg") return toSvg(input, importers, scale);
  const svg = await toSvg(input, importers, 1);
  const width = Math.round((options.width ?? svgWidth(svg)) * scale);
  return svgToPng(svg, Math.max(1, width), importers);
}

/**
 * Draws a Vega-Lite spec as SVG text or a PNG image, without a browser: Vega renders to SVG
 * headlessly and resvg rasterises it with the system fonts. `width` and `height` set the size of the
 * whole picture for single and layered charts. Needs the optional packages vega and vega-lite, plus
 * @resvg/resvg-js for PNG; a missing one raises MissingDependencyError naming it.
 *
 * @example
 * const svg = await renderChart(spec, { format: "svg" });
 * const png = await renderChart(spec, { format: "png", width: 800, height: 500, scale: 2 }); // 1600×1000
 */
export function renderChart(spec: VegaLiteSpec, options: RenderChartOptions & { format: "svg" }): Promise<string>;
export function renderChart(spec: VegaLiteSpec, options: RenderChartOptions & { format: "png" }): Promise<Buffer>;
export function renderChart(spec: VegaLiteSpec, options: RenderChartOptions): Promise<string | Buffer>;
export function renderChart(spec: VegaLiteSpec, options: RenderChartOptions): Promise<string | Buffer> {
  return renderChartWith(defaultImporters, spec, options);
}
