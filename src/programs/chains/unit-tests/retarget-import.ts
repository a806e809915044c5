import { dirname, relative, sep } from "node:path";
import type * as TS from "typescript";
import type { TypeScriptApi } from "./typescript.js";

const RUNTIME_EXTENSION: Record<string, string> = { ".ts": ".js", ".tsx": ".js", ".mts": ".mjs", ".cts": ".cjs" };

/** The specifier a file uses to import `target` (a .ts file) under NodeNext rules, e.g. `../src/math.js`. */
export function importSpecifier(fromFile: string, target: string): string {
  const ext = Object.keys(RUNTIME_EXTENSION).find((e) => target.endsWith(e)) ?? "";
  const runtime = ext ? target.slice(0, -ext.length) + RUNTIME_EXTENSION[ext] : target;
  const path = relative(dirname(fromFile), runtime).split(sep).join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

/** `import("...")` and vitest's `vi.mock("...")`, `vi.importActual("...")` and the like. */
function isModuleCall(ts: TypeScriptApi, node: TS.CallExpression): boolean {
  const callee = node.expression;
  if (callee.kind === ts.SyntaxKind.ImportKeyword) return true;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "vi";
}

/**
 * Rewrites the module specifier `from` (also written without extension or with `.ts`) to `to` in
 * the imports, re-exports, `import()` and `vi.mock()`-style calls of TypeScript code; the rest is
 * left byte for byte.
 *
 * @example
 * retargetImport(ts, 'import { add } from "./math.js";', { from: "./math.js", to: "../src/math.js" });
 * // 'import { add } from "../src/math.js";'
 */
export function retargetImport(ts: TypeScriptApi, code: string, options: { from: string; to: string }): string {
  const stem = options.from.replace(/\.[cm]?js$/, "");
  const accepted = new Set([options.from, stem, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`]);
  const sf = ts.createSourceFile("test.ts", code, ts.ScriptTarget.Latest, true);
  const ranges: Array<[number, number]> = [];
  const visit = (node: TS.Node) => {
    const specifier =
      ts.isImportDeclaration(node) || ts.isExportDeclaration(node)
        ? node.moduleSpecifier
        : ts.isCallExpression(node) && isModuleCall(ts, node)
          ? node.arguments[0]
          : undefined;
    if (specifier && ts.isStringLiteral(specifier) && accepted.has(specifier.text)) {
      ranges.push([specifier.getStart(sf) + 1, specifier.getEnd() - 1]);
    }
    node.forEachChild(visit);
  };
  visit(sf);
  let out = code;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start) + options.to + out.slice(end);
  return out;
}
