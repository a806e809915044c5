import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "node-html-parser";
import { afterAll, describe, expect, it } from "vitest";
import { histogramSpec } from "../../../src/data/chart/histogram.js";
import { defaultImporters } from "../../../src/data/chart/load-engines.js";
import { renderChart, renderChartWith } from "../../../src/data/chart/render-chart.js";
import { suggestChart } from "../../../src/data/chart/suggest-chart.js";
import type { VegaLiteSpec } from "../../../src/data/chart/types.js";
import { writeChart } from "../../../src/data/chart/write-chart.js";
import { InvalidArgumentError, MissingDependencyError } from "../../../src/spec/errors.js";
import { days, pngSize, result, seeded } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "weft-chart-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const regions = suggestChart(
  result(
    [
      ["region", "VARCHAR"],
      ["total_sales", "BIGINT"],
    ],
    [
      ["north", "12"],
      ["south", "30"],
      ["east", "7"],
      ["west", "19"],
      ["centre", "3"],
    ],
  ),
) as VegaLiteSpec;

const marksOf = (svg: string, role: string) => parse(svg).querySelectorAll(`path[aria-roledescription="${role}"]`);
const axisTitles = (svg: string) =>
  parse(svg)
    .querySelectorAll("g.role-axis-title text")
    .map((t) => t.text);

describe("renderChart to SVG", () => {
  it("draws one bar per category with the axis titles", async () => {
    const svg = await renderChart(regions, { format: "svg" });
    const root = parse(svg).querySelector("svg");
    expect(root).not.toBeNull();
    expect(marksOf(svg, "bar")).toHaveLength(5);
    expect(axisTitles(svg).sort()).toEqual(["Region", "Total sales"]);
    expect(svg).toContain("Total sales by region");
    // Tallest first: bars from left to right by total.
    const left = (d: string | undefined) => Number(/^M([\d.]+),/.exec(d ?? "")?.[1]);
    const order = marksOf(svg, "bar")
      .sort((a, b) => left(a.getAttribute("d")) - left(b.getAttribute("d")))
      .map((bar) => /Region: (\w+)/.exec(bar.getAttribute("aria-label") ?? "")?.[1]);
    expect(order).toEqual(["south", "west", "north", "east", "centre"]);
  });

  it("draws a line chart of a time series", async () => {
    const spec = suggestChart(
      result(
        [
          ["day", "DATE"],
          ["visits", "INTEGER"],
        ],
        days(14).map((d, i) => [d, 100 + ((i * 37) % 50)]),
      ),
    ) as VegaLiteSpec;
    const svg = await renderChart(spec, { format: "svg", width: 500, height: 300 });
    expect(marksOf(svg, "line mark")).toHaveLength(1);
    expect(marksOf(svg, "point")).toHaveLength(14);
    expect(axisTitles(svg).sort()).toEqual(["Day", "Visits"]);
    expect(parse(svg).querySelector("svg")?.getAttribute("width")).toBe("500");
    expect(parse(svg).querySelector("svg")?.getAttribute("height")).toBe("300");
  });

  it("draws a histogram bar per bin and renders 15,000 values", async () => {
    const random = seeded(3);
    const values = Array.from({ length: 15_000 }, () => (random() + random() + random()) * 10);
    const spec = histogramSpec({ values: [...values, null, null], field: "load", bins: 30 });
    const bins = (spec.data as { values: unknown[] }).values.length;
    const svg = await renderChart(spec, { format: "svg" });
    expect(marksOf(svg, "bar")).toHaveLength(bins);
    expect(svg).toContain("2 null values excluded");
    const png = await renderChart(spec, { format: "png", width: 640, height: 360 });
    expect(pngSize(png)).toEqual({ signature: true, chunk: "IHDR", width: 640, height: 360 });
  });

  it("renders a scatter plot of 15,000 inlined points", async () => {
    const random = seeded(11);
    const rows = Array.from({ length: 15_000 }, () => [random() * 100, random() * 50]);
    const spec = suggestChart(
      result(
        [
          ["x", "DOUBLE"],
          ["y", "DOUBLE"],
        ],
        rows,
      ),
    ) as VegaLiteSpec;
    const svg = await renderChart(spec, { format: "svg" });
    expect(marksOf(svg, "point")).toHaveLength(15_000);
  });
});

describe("renderChart to PNG", () => {
  it("has the PNG signature and exactly the requested size", async () => {
    const png = await renderChart(regions, { format: "png", width: 640, height: 400 });
    expect(Buffer.isBuffer(png)).toBe(true);
    expect(pngSize(png)).toEqual({ signature: true, chunk: "IHDR", width: 640, height: 400 });
  });

  it("multiplies the size by the scale", async () => {
    const png = await renderChart(regions, { format: "png", width: 300, height: 200, scale: 2 });
    expect(pngSize(png)).toMatchObject({ width: 600, height: 400 });
  });

  it("uses the spec's own size when none is given", async () => {
    const svg = await renderChart(regions, { format: "svg" });
    const root = parse(svg).querySelector("svg");
    const png = await renderChart(regions, { format: "png" });
    expect(pngSize(png)).toMatchObject({
      width: Number(root?.getAttribute("width")),
      height: Number(root?.getAttribute("height")),
    });
  });
});

describe("renderChart input checks", () => {
  it.each([
    [{ format: "gif" }, /"svg" or "png"/],
    [{ format: "png", width: 0 }, /width must be/],
    [{ format: "png", height: Number.NaN }, /height must be/],
    [{ format: "svg", scale: -1 }, /scale must be/],
  ])("rejects options %j", async (options, message) => {
    await expect(renderChart(regions, options as never)).rejects.toThrow(message);
  });

  it("rejects an unknown mark and an invalid encoding with InvalidArgumentError", async () => {
    const badMark = { ...regions, mark: "pie" };
    await expect(renderChart(badMark, { format: "svg" })).rejects.toThrow(/unknown mark "pie"/);
    const badType = { ...regions, encoding: { x: { field: "region", type: "bogus" } } };
    const error = await renderChart(badType, { format: "svg" }).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain("not valid Vega-Lite");
  });

  it("refuses data behind a URL instead of fetching it", async () => {
    const remote: VegaLiteSpec = { ...regions, data: { url: "http://127.0.0.1:9/data.json" } };
    await expect(renderChart(remote, { format: "svg" })).rejects.toThrow(/inlined in data.values/);
  });

  it("names the missing package when an engine is not installed", async () => {
    const missing = (name: string) => () => import(name);
    const noVega = { ...defaultImporters, vega: missing("vega-not-installed") };
    const error = await renderChartWith(noVega, regions, { format: "svg" }).catch((e: unknown) => e);
    expect(MissingDependencyError.isInstance(error)).toBe(true);
    expect((error as MissingDependencyError).packageName).toBe("vega");
    expect(String(error)).toContain("npm install vega");

    const noVegaLite = { ...defaultImporters, vegaLite: missing("vega-lite-not-installed") };
    await expect(renderChartWith(noVegaLite, regions, { format: "svg" })).rejects.toThrow(/npm install vega-lite/);

    const noResvg = { ...defaultImporters, resvg: missing("@resvg/resvg-js-not-installed") };
    // SVG needs no rasteriser; PNG does.
    await expect(renderChartWith(noResvg, regions, { format: "svg" })).resolves.toContain("<svg");
    await expect(renderChartWith(noResvg, regions, { format: "png" })).rejects.toThrow(/npm install @resvg\/resvg-js/);
  });
});

describe("writeChart", () => {
  it("picks the format from the extension and creates folders", async () => {
    const svgPath = join(scratch, "out", "nested", "chart.svg");
    await writeChart(regions, svgPath);
    expect(marksOf(readFileSync(svgPath, "utf8"), "bar")).toHaveLength(5);

    const pngPath = join(scratch, "chart.PNG");
    await writeChart(regions, pngPath, { width: 320, height: 240 });
    expect(pngSize(readFileSync(pngPath))).toEqual({ signature: true, chunk: "IHDR", width: 320, height: 240 });

    // Rendering left the caller's spec as it was, so the JSON file holds exactly what was passed.
    const jsonPath = join(scratch, "chart.json");
    await writeChart(regions, jsonPath);
    expect(JSON.parse(readFileSync(jsonPath, "utf8"))).toEqual(regions);
  });

  it("lists the choices for an unknown extension", async () => {
    const error = await writeChart(regions, join(scratch, "chart.jpg")).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(".svg, .png, .json");
    await expect(writeChart(regions, join(scratch, "chart"))).rejects.toThrow(/end the file name with/);
  });
});
