import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { InvalidArgumentError } from "../../spec/errors.js";
import { renderChart } from "./render-chart.js";
import type { RenderChartOptions, VegaLiteSpec } from "./types.js";

const EXTENSIONS = [".svg", ".png", ".json"] as const;

/**
 * Writes a chart to a file, the format chosen by the extension: `.svg` and `.png` render the chart,
 * `.json` saves the Vega-Lite spec itself (open it in any Vega editor). Missing folders are created.
 *
 * @example
 * await writeChart(spec, "out/sales.png", { width: 800, height: 450 });
 */
export async function writeChart(
  spec: VegaLiteSpec,
  path: string,
  options: Omit<RenderChartOptions, "format"> = {},
): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (!(EXTENSIONS as readonly string[]).includes(ext)) {
    throw new InvalidArgumentError({
      argument: "path",
      message: `Cannot tell the chart format from '${path}': end the file name with ${EXTENSIONS.join(", ")}.`,
    });
  }
  const content =
    ext === ".json"
      ? `${JSON.stringify(spec, null, 2)}\n`
      : await renderChart(spec, { ...options, format: ext === ".svg" ? "svg" : "png" });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
