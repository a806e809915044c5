import { createRequire } from "node:module";
import { InvalidArgumentError } from "../../spec/errors.js";
import { TemplateSyntaxError } from "./errors.js";

// Required on first use rather than imported, so that `import("weft")` does not pay for it.
const require = createRequire(import.meta.url);
const handlebars = (): typeof import("handlebars") => require("handlebars");

/** A parsed program, ready to run any number of times. */
export interface CompiledProgram {
  readonly kind: "weft-program";
  readonly source: string;
  /** Used in error messages (e.g. a partial's or file's name). */
  readonly name?: string;
  readonly ast: hbs.AST.Program;
  /** True when the program calls the model (gen, select, geneach). */
  readonly usesModel: boolean;
  /** Names of the values the program can wait for with `{{await}}`, in order of appearance. */
  readonly awaits: string[];
}

const ROLE_BLOCKS = new Set(["system", "user", "assistant", "role"]);

interface LexerLocation {
  first_line: number;
  first_column: number;
}

/**
 * Parses a template with the handlebars parser (whitespace control `~` and standalone lines behave as
 * in handlebars) and checks how the built-ins are used, so syntax errors surface before any model call.
 *
 * @example
 * const program = compileProgram("Q: {{question}}\nA:{{gen 'answer' max_tokens=20}}");
 * program.usesModel; // true
 */
export function compileProgram(source: string, options: { name?: string } = {}): CompiledProgram {
  if (typeof source !== "string") {
    throw new InvalidArgumentError({ argument: "source", message: "compileProgram expects the template text." });
  }
  let ast: hbs.AST.Program;
  try {
    ast = handlebars().parse(source);
  } catch (error) {
    throw syntaxErrorFrom(error, source, options.name);
  }
  const info = { usesModel: false, awaits: [] as string[] };
  checkProgram(ast, { inSelect: false, inRole: false, name: options.name }, info);
  return { kind: "weft-program", source, name: options.name, ast, usesModel: info.usesModel, awaits: info.awaits };
}

/**
 * True for values made by compileProgram.
 *
 * @example
 * isCompiledProgram(compileProgram("Hi")); // true
 */
export function isCompiledProgram(value: unknown): value is CompiledProgram {
  return typeof value === "object" && value !== null && (value as CompiledProgram).kind === "weft-program";
}

function lexerLocation(): LexerLocation | undefined {
  const parser = (handlebars() as unknown as { Parser?: { lexer?: { yylloc?: LexerLocation } } }).Parser;
  return parser?.lexer?.yylloc;
}

function syntaxErrorFrom(error: unknown, source: string, program: string | undefined): TemplateSyntaxError {
  const message = error instanceof Error ? error.message : String(error);
  const hbsError = error as { lineNumber?: number; column?: number };
  let line: number;
  let column: number;
  if (typeof hbsError.lineNumber === "number" && typeof hbsError.column === "number") {
    line = hbsError.lineNumber;
    column = hbsError.column + 1;
  } else {
    const loc = lexerLocation();
    line = loc?.first_line ?? 1;
    column = (loc?.first_column ?? 0) + 1;
  }
  const { detail, hint } = explain(message, source);
  return new TemplateSyntaxError({
    line,
    column,
    program,
    detail,
    hint,
    excerpt: excerptAt(source, line, column),
    cause: error,
  });
}

function excerptAt(source: string, line: number, column: number): string | undefined {
  const text = source.split("\n")[line - 1];
  if (text === undefined) return undefined;
  const start = Math.max(0, column - 60);
  return `  ${text.slice(start, start + 100)}\n  ${" ".repeat(Math.max(0, column - 1 - start))}^`;
}

/** The innermost block opened but never closed, found with a tag scan (good enough for a hint). */
function unclosedBlock(source: string): string | undefined {
  const stack: string[] = [];
  for (const m of source.matchAll(/\{\{~?\s*([#/])\s*>?\s*([^\s}~]+)/g)) {
    if (m[1] === "#") stack.push(m[2] as string);
    else if (stack[stack.length - 1] === m[2]) stack.pop();
  }
  return stack.pop();
}

function explain(message: string, source: string): { detail: string; hint: string } {
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(message);
  if (mismatch) {
    return {
      detail: `{{/${mismatch[2]}}} closes {{#${mismatch[1]}}}`,
      hint: `close blocks in the reverse order they were opened: {{#${mismatch[1]}}} needs {{/${mismatch[1]}}} first.`,
    };
  }
  if (message.startsWith("Lexical error")) {
    return {
      detail: "unrecognized text",
      hint: "check for an unclosed comment ({{!-- must end with --}}), a stray '{{', or a quote that is never closed.",
    };
  }
  const got = /got '([A-Z_]+)'/.exec(message)?.[1];
  const expecting = /Expecting (.*), got/.exec(message)?.[1] ?? "";
  if (got === "EOF") {
    const block = unclosedBlock(source);
    if (expecting.includes("OPEN_ENDBLOCK") || block) {
      return {
        detail: "the template ended inside a block",
        hint: block ? `add {{/${block}}} to close {{#${block}}}.` : "close every {{#block}} with {{/block}}.",
      };
    }
    return { detail: "the template ended inside a tag", hint: "close the tag with }}." };
  }
  if (got === "CLOSE" && expecting.includes("ID")) {
    return {
      detail: "a tag is missing a value",
      hint: "give every key= a value (e.g. max_tokens=20) and every {{> }} a partial name.",
    };
  }
  if (got === "INVALID") {
    return {
      detail: "unexpected character in a tag",
      hint: "tags end with }} (two braces); string arguments need matching quotes.",
    };
  }
  if (got === "CLOSE_SEXPR" || got === "OPEN_SEXPR") {
    return { detail: "unbalanced parentheses", hint: "every sub-expression ( ... ) needs its closing parenthesis." };
  }
  return {
    detail: `unexpected ${got ? `'${got.toLowerCase().replace(/_/g, " ")}'` : "text"}`,
    hint: "check the tag's syntax: {{name arg key=value}}, {{#block}}...{{/block}}, {{! comment }}.",
  };
}

interface CheckState {
  inSelect: boolean;
  inRole: boolean;
  name?: string;
}

function fail(node: hbs.AST.Node, name: string | undefined, detail: string, hint: string): never {
  throw new TemplateSyntaxError({
    line: node.loc?.start.line ?? 1,
    column: (node.loc?.start.column ?? 0) + 1,
    program: name,
    detail,
    hint,
  });
}

function pathName(node: { path?: hbs.AST.Node }): string | undefined {
  const path = node.path as hbs.AST.PathExpression | undefined;
  return path?.type === "PathExpression" && !path.data && path.depth === 0 ? path.original : undefined;
}

function checkExpressions(nodes: hbs.AST.Node[], state: CheckState, info: { usesModel: boolean; awaits: string[] }) {
  for (const node of nodes) {
    if (node.type !== "SubExpression") continue;
    const sub = node as hbs.AST.SubExpression;
    const name = pathName(sub);
    if (name === "gen" || name === "select" || name === "geneach") {
      fail(
        sub,
        state.name,
        `${name} cannot be a sub-expression`,
        `write {{${name} ...}} on its own, then use the variable it sets.`,
      );
    }
    if (name === "await") {
      const first = sub.params[0];
      if (first?.type === "StringLiteral") info.awaits.push((first as hbs.AST.StringLiteral).value);
    }
    checkExpressions(sub.params, state, info);
    checkExpressions(sub.hash?.pairs.map((p) => p.value) ?? [], state, info);
  }
}

function checkProgram(program: hbs.AST.Program, state: CheckState, info: { usesModel: boolean; awaits: string[] }) {
  for (const node of program.body) {
    switch (node.type) {
      case "MustacheStatement": {
        const m = node as hbs.AST.MustacheStatement;
        const name = pathName(m);
        if (name === "or" && !state.inSelect) {
          fail(
            m,
            state.name,
            "{{or}} outside {{#select}}",
            "{{or}} separates the options of {{#select 'name'}} a{{or}}b{{/select}}.",
          );
        }
        if (name === "gen" || name === "select") info.usesModel = true;
        if (name === "await" && m.params[0]?.type === "StringLiteral") {
          info.awaits.push((m.params[0] as hbs.AST.StringLiteral).value);
        }
        // Without arguments, {{role}} or {{block}} is a variable that happens to share a block's name.
        const hasArguments = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
        if (hasArguments && (name === "geneach" || ROLE_BLOCKS.has(name ?? "") || name === "block")) {
          fail(m, state.name, `{{${name}}} is a block`, `write {{#${name} ...}}...{{/${name}}}.`);
        }
        checkExpressions(m.params, state, info);
        checkExpressions(m.hash?.pairs.map((p) => p.value) ?? [], state, info);
        break;
      }
      case "BlockStatement": {
        const b = node as hbs.AST.BlockStatement;
        const name = pathName(b);
        if (name === "gen" || name === "await" || name === "set") {
          fail(
            b,
            state.name,
            `{{#${name}}} cannot be a block`,
            `write {{${name} ...}} without # and without a closing tag.`,
          );
        }
        if (name === "select" || name === "geneach") info.usesModel = true;
        if (name === "select" && b.inverse) {
          fail(b, state.name, "{{else}} inside {{#select}}", "separate the options with {{or}}.");
        }
        const isRole = ROLE_BLOCKS.has(name ?? "");
        if (isRole && state.inRole) {
          fail(
            b,
            state.name,
            `role block {{#${name}}} inside another role block`,
            "close the current role block first.",
          );
        }
        checkExpressions(b.params, state, info);
        checkExpressions(b.hash?.pairs.map((p) => p.value) ?? [], state, info);
        const inner = { ...state, inSelect: name === "select", inRole: state.inRole || isRole };
        checkProgram(b.program, inner, info);
        if (b.inverse) checkProgram(b.inverse, { ...inner, inSelect: false }, info);
        break;
      }
      case "PartialStatement":
        checkExpressions((node as hbs.AST.PartialStatement).params, state, info);
        break;
      case "PartialBlockStatement":
        fail(
          node,
          state.name,
          "partial blocks ({{#> name}}) are not supported",
          "use {{> name}} and pass values as parameters.",
        );
        break;
      case "DecoratorBlock":
      case "Decorator":
        fail(node, state.name, "decorators are not supported", "remove the {{* ...}} tag.");
        break;
      default:
        break;
    }
  }
}
