import { MissingDependencyError } from "../../spec/errors.js";

/** How a package is imported; tests pass one that names a package that is not installed. */
export type Importer = () => Promise<unknown>;

/** The chart engines, imported on first use: each is an optional peer dependency of weft. */
export interface ChartImporters {
  vega: Importer;
  vegaLite: Importer;
  resvg: Importer;
}

export const defaultImporters: ChartImporters = {
  vega: () => import("vega"),
  vegaLite: () => import("vega-lite"),
  resvg: () => import("@resvg/resvg-js"),
};

function isMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error).includes(packageName);
}

/**
 * Imports an optional package, turning "not installed" into a MissingDependencyError that names it.
 *
 * @example
 * const vega = await importOptional<typeof import("vega")>("vega", "Rendering charts", () => import("vega"));
 */
export async function importOptional<T>(packageName: string, feature: string, importer: Importer): Promise<T> {
  try {
    return (await importer()) as T;
  } catch (error) {
    if (isMissing(error, packageName)) throw new MissingDependencyError({ packageName, feature, cause: error });
    throw error;
  }
}
