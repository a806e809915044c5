import { MissingDependencyError } from "../../../spec/errors.js";

/** The TypeScript compiler API, as the `typescript` package exports it. */
export type TypeScriptApi = typeof import("typescript");

/** How the compiler is imported; tests replace it to simulate a missing package. */
export type ImportTypeScript = () => Promise<unknown>;

const importTypeScript: ImportTypeScript = () => import("typescript");

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") &&
    String((error as Error).message).includes("typescript")
  );
}

/**
 * Loads the TypeScript compiler on first use: it is an optional peer dependency of weft, needed only
 * by the features that read or check TypeScript source.
 *
 * @example
 * const ts = await loadTypeScript("Writing unit tests");
 * ts.createSourceFile("a.ts", "const x = 1;", ts.ScriptTarget.Latest);
 */
export async function loadTypeScript(
  feature: string,
  load: ImportTypeScript = importTypeScript,
): Promise<TypeScriptApi> {
  try {
    const mod = (await load()) as TypeScriptApi & { default?: TypeScriptApi };
    return mod.default ?? mod;
  } catch (error) {
    if (isMissing(error)) throw new MissingDependencyError({ packageName: "typescript", feature, cause: error });
    throw error;
  }
}
