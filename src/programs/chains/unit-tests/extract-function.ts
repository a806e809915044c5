import { readFile, stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import type * as TS from "typescript";
import { InvalidArgumentError } from "../../../spec/errors.js";
import { type ImportTypeScript, loadTypeScript, type TypeScriptApi } from "./typescript.js";

/** A function found in a TypeScript file, with what a test writer needs to know about it. */
export interface FunctionSource {
  name: string;
  /** Absolute path of the file. */
  file: string;
  /** The function's text, with its doc comment (all overload signatures included). */
  source: string;
  /** Top-level declarations of the same file the function refers to (types, constants), or "". */
  context: string;
  /** 1-based line where the function starts. */
  line: number;
  /** How the module exports it; a function that is not exported cannot be imported by a test. */
  exported: "named" | "default" | "none";
  /** The name to import: the export alias when it is exported under another name. */
  importName: string;
}

export const TYPESCRIPT_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];

/** Reads a TypeScript source file, failing with a clear message for a missing or non-TypeScript file. */
export async function readTypeScriptFile(file: string, cwd = process.cwd()): Promise<{ path: string; code: string }> {
  const path = resolve(cwd, file);
  if (!TYPESCRIPT_EXTENSIONS.includes(extname(path)) || path.endsWith(".d.ts")) {
    throw new InvalidArgumentError({
      argument: "file",
      message: `'${file}' is not a TypeScript source file; pass a .ts, .tsx, .mts or .cts file that defines the function.`,
    });
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new InvalidArgumentError({
      argument: "file",
      message: `Cannot read '${file}': ${info ? "it is a directory" : "no such file"} (looked at ${path}). Check the path.`,
    });
  }
  return { path, code: await readFile(path, "utf8") };
}

function hasModifier(ts: TypeScriptApi, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

interface Candidate {
  name: string;
  /** The statement to quote (a function declaration or the variable statement around an arrow function). */
  node: TS.Node;
  exported: FunctionSource["exported"];
}

/** Top-level functions: declarations, and constants initialised with an arrow or function expression. */
function topLevelFunctions(ts: TypeScriptApi, sf: TS.SourceFile): Candidate[] {
  const found: Candidate[] = [];
  const exportOf = (node: TS.Node): Candidate["exported"] =>
    !hasModifier(ts, node, ts.SyntaxKind.ExportKeyword)
      ? "none"
      : hasModifier(ts, node, ts.SyntaxKind.DefaultKeyword)
        ? "default"
        : "named";
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      found.push({ name: statement.name.text, node: statement, exported: exportOf(statement) });
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const init = decl.initializer;
        if (ts.isIdentifier(decl.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          found.push({ name: decl.name.text, node: statement, exported: exportOf(statement) });
        }
      }
    }
  }
  return found;
}

/** `export { name }`, `export { name as alias }` and `export default name` after the declaration. */
function laterExport(
  ts: TypeScriptApi,
  sf: TS.SourceFile,
  name: string,
): { kind: "named" | "default"; as: string } | undefined {
  for (const statement of sf.statements) {
    if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      if (statement.expression.text === name) return { kind: "default", as: name };
    }
    if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause) {
      if (!ts.isNamedExports(statement.exportClause) || statement.isTypeOnly) continue;
      for (const el of statement.exportClause.elements) {
        if ((el.propertyName ?? el.name).getText(sf) !== name) continue;
        const as = el.name.getText(sf);
        return as === "default" ? { kind: "default", as: name } : { kind: "named", as };
      }
    }
  }
  return undefined;
}

/** Declarations of the file (types, interfaces, enums, classes, constants) named inside the function. */
function relatedDeclarations(ts: TypeScriptApi, sf: TS.SourceFile, fn: TS.Node[], name: string): string {
  const used = new Set<string>();
  const visit = (node: TS.Node) => {
    if (ts.isIdentifier(node)) used.add(node.text);
    node.forEachChild(visit);
  };
  for (const node of fn) visit(node);
  used.delete(name);
  const declared = (statement: TS.Statement): string[] => {
    if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      ts.isClassDeclaration(statement)
    ) {
      return statement.name ? [statement.name.text] : [];
    }
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    }
    if (ts.isFunctionDeclaration(statement) && statement.name) return [statement.name.text];
    return [];
  };
  return sf.statements
    .filter((s) => !fn.includes(s) && declared(s).some((n) => used.has(n)))
    .map((s) => s.getText(sf))
    .join("\n\n");
}

/**
 * Finds a top-level function in TypeScript source with the compiler API. A missing name fails with
 * the list of the functions the file has.
 *
 * @example
 * const fn = findFunction(ts, { file: "/src/math.ts", code, name: "clamp" });
 * fn.source; // "export function clamp(...) { ... }"
 */
export function findFunction(ts: TypeScriptApi, options: { file: string; code: string; name: string }): FunctionSource {
  const sf = ts.createSourceFile(options.file, options.code, ts.ScriptTarget.Latest, true);
  const all = topLevelFunctions(ts, sf);
  const matches = all.filter((c) => c.name === options.name);
  const first = matches[0];
  const last = matches.at(-1);
  if (!first || !last) {
    const names = [...new Set(all.map((c) => c.name))];
    throw new InvalidArgumentError({
      argument: "function",
      message: `No top-level function named '${options.name}' in ${options.file}. ${
        names.length > 0
          ? `Functions found: ${names.join(", ")}.`
          : "It has no top-level functions (function declarations or const arrow functions)."
      }`,
    });
  }
  const start = first.node.getStart(sf, true);
  const nodes = matches.map((m) => m.node);
  const declaredExport = matches.find((m) => m.exported !== "none")?.exported ?? "none";
  const later = declaredExport === "none" ? laterExport(ts, sf, options.name) : undefined;
  return {
    name: options.name,
    file: options.file,
    source: options.code.slice(start, last.node.getEnd()),
    context: relatedDeclarations(ts, sf, nodes, options.name),
    line: sf.getLineAndCharacterOfPosition(start).line + 1,
    exported: later?.kind ?? declaredExport,
    importName: later?.as ?? options.name,
  };
}

/**
 * Reads a TypeScript file and extracts one function's source.
 *
 * @example
 * const fn = await extractFunction({ file: "src/math.ts", name: "clamp" });
 */
export async function extractFunction(options: {
  file: string;
  name: string;
  cwd?: string;
  importTypeScript?: ImportTypeScript;
}): Promise<FunctionSource> {
  const { path, code } = await readTypeScriptFile(options.file, options.cwd);
  const ts = await loadTypeScript("Extracting a function from TypeScript source", options.importTypeScript);
  return findFunction(ts, { file: path, code, name: options.name });
}
