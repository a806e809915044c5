import type * as TS from "typescript";
import type { StepIssue } from "../types.js";
import type { TypeScriptApi } from "./typescript.js";

/**
 * The syntax errors of TypeScript source, from the compiler's parser (no type checking, no
 * imports resolved), as issues a model can act on: where, what, and the offending line.
 *
 * @example
 * typescriptSyntaxIssues(ts, "const x = (1 + ;", "a.test.ts");
 * // [{ path: "line 1, column 16", message: "Expression expected. The line reads: `const x = (1 + ;`" }]
 */
export function typescriptSyntaxIssues(ts: TypeScriptApi, code: string, fileName = "file.ts"): StepIssue[] {
  const sf = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  // A one-file program with no lib and no resolution: only the parser's diagnostics are computed.
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sf : undefined),
    getDefaultLibFileName: () => "lib.d.ts",
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [fileName],
    options: { noLib: true, noResolve: true, types: [], allowJs: true },
    host,
  });
  const lines = code.split("\n");
  return program.getSyntacticDiagnostics(sf).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.start === undefined) return { message };
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    const text = (lines[line] ?? "").trim();
    return {
      path: `line ${line + 1}, column ${character + 1}`,
      message: text ? `${message} The line reads: \`${text.slice(0, 160)}\`` : message,
    };
  });
}
