import { AbortError, WeftError } from "../../spec/errors.js";
import { awaitValue, BLOCK_BUILTINS, MUSTACHE_BUILTINS } from "./builtins.js";
import {
  AwaitSignal,
  evaluateHash,
  type Helper,
  locationOf,
  type ProgramMeta,
  type RunContext,
  simpleName,
  templateError,
} from "./context.js";
import { compileProgram, isCompiledProgram } from "./parse.js";
import { type Frame, lookupPath } from "./scope.js";
import { isEmpty, isPlainObject, jsonCopy, toText } from "./values.js";

const MAX_PARTIAL_DEPTH = 50;
const PYTHON_LITERALS: Record<string, unknown> = { True: true, False: false, None: null };

/**
 * A frame for a new context that keeps the partial indentation of its parent.
 *
 * @example
 * childFrame(frame, { context: item, data: { index: 0 } });
 */
export function childFrame(parent: Frame, fields: Omit<Frame, "parent" | "indent">): Frame {
  return { ...fields, parent, indent: parent.indent };
}

function findHelper(rc: RunContext, name: string): Helper | undefined {
  if (Object.hasOwn(rc.helpers, name)) return rc.helpers[name];
  const value = rc.root[name];
  return typeof value === "function" ? (value as Helper) : undefined;
}

function lookupOrFail(rc: RunContext, path: hbs.AST.PathExpression, frame: Frame, meta: ProgramMeta): unknown {
  const found = lookupPath(frame, path, rc.root);
  if (found.found) return found.value;
  if (path.original in PYTHON_LITERALS) return PYTHON_LITERALS[path.original];
  const head = path.data ? `@${path.parts[0]}` : (path.parts[0] ?? path.original);
  throw templateError(
    path,
    meta,
    "unknown-variable",
    `Unknown variable '${path.original}': pass '${head}' in the program's variables, set it earlier with gen, select or set, or fix the name`,
    head,
  );
}

async function callHelper(
  rc: RunContext,
  name: string,
  helper: Helper,
  node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
  frame: Frame,
  meta: ProgramMeta,
): Promise<unknown> {
  const args: unknown[] = [];
  for (const param of node.params) args.push(await rc.evaluate(param, frame, meta));
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  const at = locationOf(node, meta);
  const recorded = rc.replay.next("helper", name, at);
  if (recorded && "value" in recorded) return recorded.value;
  let value: unknown;
  try {
    value = await helper(...args, {
      hash,
      name,
      context: frame.context,
      variables: rc.root,
      line: at.line,
      abortSignal: rc.abortSignal,
    });
  } catch (error) {
    if (error instanceof AwaitSignal || WeftError.isInstance(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw templateError(node, meta, "helper-failed", `Helper '${name}' failed: ${message}`, name, error);
  }
  const copy = jsonCopy(value ?? null);
  rc.replay.record(copy.ok ? { kind: "helper", name, value: copy.value } : { kind: "helper", name });
  return value;
}

async function evaluate(rc: RunContext, node: hbs.AST.Node, frame: Frame, meta: ProgramMeta): Promise<unknown> {
  switch (node.type) {
    case "StringLiteral":
    case "NumberLiteral":
    case "BooleanLiteral":
      return (node as hbs.AST.StringLiteral).value;
    case "UndefinedLiteral":
      return undefined;
    case "NullLiteral":
      return null;
    case "PathExpression":
      return lookupOrFail(rc, node as hbs.AST.PathExpression, frame, meta);
    case "SubExpression": {
      const sub = node as hbs.AST.SubExpression;
      const name = simpleName(sub.path);
      if (name === "await") return awaitValue(rc, sub, frame, meta, false);
      const helper = name ? findHelper(rc, name) : undefined;
      if (name && helper) return callHelper(rc, name, helper, sub, frame, meta);
      throw unknownHelper(sub, meta, sub.path.original);
    }
    default:
      throw templateError(node, meta, "bad-argument", `Unsupported expression '${node.type}'`);
  }
}

function unknownHelper(node: hbs.AST.Node, meta: ProgramMeta, name: string) {
  return templateError(
    node,
    meta,
    "unknown-helper",
    `Unknown helper '${name}': pass it in helpers (or as a function in variables)`,
    name,
  );
}

async function mustache(
  rc: RunContext,
  node: hbs.AST.MustacheStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
): Promise<void> {
  if (node.path.type !== "PathExpression") {
    rc.emit(toText(await rc.evaluate(node.path, frame, meta)), frame, "value");
    return;
  }
  const path = node.path as hbs.AST.PathExpression;
  const name = simpleName(path);
  const builtin = name ? MUSTACHE_BUILTINS[name] : undefined;
  if (builtin) return builtin(rc, node, frame, meta, next);
  const helper = name ? findHelper(rc, name) : undefined;
  if (name && helper) {
    rc.emit(toText(await callHelper(rc, name, helper, node, frame, meta)), frame, "value");
    return;
  }
  if (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) throw unknownHelper(node, meta, path.original);
  rc.emit(toText(lookupOrFail(rc, path, frame, meta)), frame, "value");
}

async function iterate(
  rc: RunContext,
  node: hbs.AST.BlockStatement,
  value: unknown,
  frame: Frame,
  meta: ProgramMeta,
): Promise<void> {
  const entries: Array<[string | number, unknown]> = Array.isArray(value)
    ? value.map((item, i) => [i, item])
    : value !== null && typeof value === "object"
      ? Object.entries(value)
      : [];
  if (entries.length === 0) return rc.render(node.inverse, frame, meta);
  const [itemName, indexName] = node.program.blockParams ?? [];
  for (const [i, [key, item]] of entries.entries()) {
    const blockParams: Record<string, unknown> = {};
    if (itemName) blockParams[itemName] = item;
    if (indexName) blockParams[indexName] = key;
    const data = { index: i, key, first: i === 0, last: i === entries.length - 1 };
    await rc.render(node.program, childFrame(frame, { context: item, data, blockParams }), meta);
  }
}

async function block(
  rc: RunContext,
  node: hbs.AST.BlockStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
): Promise<void> {
  const name = simpleName(node.path);
  const builtin = name ? BLOCK_BUILTINS[name] : undefined;
  if (builtin) return builtin(rc, node, frame, meta, next);
  const param = node.params[0];
  if (name === "if" || name === "unless") {
    if (!param) throw templateError(node, meta, "bad-argument", `{{#${name}}} needs a condition`);
    const hash = await evaluateHash(rc, node.hash, frame, meta);
    const truthy = !isEmpty(await rc.evaluate(param, frame, meta), hash.includeZero === true);
    return rc.render((name === "if") === truthy ? node.program : node.inverse, frame, meta);
  }
  if (name === "each") {
    if (!param) throw templateError(node, meta, "bad-argument", "{{#each}} needs a list or an object");
    return iterate(rc, node, await rc.evaluate(param, frame, meta), frame, meta);
  }
  if (name === "with") {
    if (!param) throw templateError(node, meta, "bad-argument", "{{#with}} needs a value");
    const value = await rc.evaluate(param, frame, meta);
    if (isEmpty(value)) return rc.render(node.inverse, frame, meta);
    const [alias] = node.program.blockParams ?? [];
    return rc.render(
      node.program,
      childFrame(frame, { context: value, data: {}, blockParams: alias ? { [alias]: value } : undefined }),
      meta,
    );
  }
  if (name && findHelper(rc, name)) {
    throw templateError(
      node,
      meta,
      "unknown-helper",
      `Helper '${name}' cannot open a block: call it in a sub-expression instead, e.g. {{#if (${name} x)}} or {{#each (${name} x)}}`,
      name,
    );
  }
  if (node.params.length > 0) throw unknownHelper(node, meta, node.path.original);
  // Handlebars' rule for {{#name}} on a plain variable: iterate a list, enter an object, test anything else.
  const value = lookupOrFail(rc, node.path, frame, meta);
  if (Array.isArray(value)) return iterate(rc, node, value, frame, meta);
  if (isEmpty(value)) return rc.render(node.inverse, frame, meta);
  if (value === true) return rc.render(node.program, frame, meta);
  return rc.render(node.program, childFrame(frame, { context: value, data: {} }), meta);
}

function indenter(indent: string, outer?: (text: string) => string): (text: string) => string {
  let atLineStart = true;
  return (text) => {
    let out = "";
    for (const ch of text) {
      if (atLineStart) out += indent;
      atLineStart = ch === "\n";
      out += ch;
    }
    return outer ? outer(out) : out;
  };
}

async function partial(rc: RunContext, node: hbs.AST.PartialStatement, frame: Frame, meta: ProgramMeta): Promise<void> {
  const name =
    node.name.type === "SubExpression" ? toText(await rc.evaluate(node.name, frame, meta)) : node.name.original;
  let compiled = rc.partialCache.get(name);
  if (!compiled) {
    const fromVariables = rc.root[name];
    const source =
      (typeof rc.partials === "function"
        ? await rc.partials(name)
        : rc.partials && Object.hasOwn(rc.partials, name)
          ? rc.partials[name]
          : undefined) ?? (isCompiledProgram(fromVariables) ? fromVariables : undefined);
    if (source === undefined) {
      throw templateError(
        node,
        meta,
        "unknown-partial",
        `Unknown partial '${name}': pass it in partials (template text or compileProgram(...))`,
        name,
      );
    }
    compiled = isCompiledProgram(source) ? source : compileProgram(source, { name });
    rc.partialCache.set(name, compiled);
  }
  if (rc.partialDepth >= MAX_PARTIAL_DEPTH) {
    throw templateError(
      node,
      meta,
      "bad-argument",
      `Partials nest more than ${MAX_PARTIAL_DEPTH} deep (is '${name}' recursive?)`,
      name,
    );
  }
  let context = node.params[0] ? await rc.evaluate(node.params[0], frame, meta) : frame.context;
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  if (Object.keys(hash).length > 0) context = isPlainObject(context) ? { ...context, ...hash } : hash;
  const child: Frame = {
    context,
    data: {},
    parent: frame,
    indent: node.indent ? indenter(node.indent, frame.indent) : frame.indent,
  };
  rc.partialDepth++;
  try {
    await rc.render(compiled.ast, child, { name: compiled.name ?? name });
  } finally {
    rc.partialDepth--;
  }
}

async function render(
  rc: RunContext,
  program: hbs.AST.Program | undefined,
  frame: Frame,
  meta: ProgramMeta,
): Promise<void> {
  if (!program) return;
  const body = program.body;
  for (let i = 0; i < body.length; i++) {
    if (rc.abortSignal?.aborted) throw new AbortError({ cause: rc.abortSignal.reason });
    const node = body[i] as hbs.AST.Statement;
    switch (node.type) {
      case "ContentStatement":
        rc.emit((node as hbs.AST.ContentStatement).value, frame, "text");
        break;
      case "MustacheStatement":
        await mustache(rc, node as hbs.AST.MustacheStatement, frame, meta, body[i + 1]);
        break;
      case "BlockStatement":
        await block(rc, node as hbs.AST.BlockStatement, frame, meta, body[i + 1]);
        break;
      case "PartialStatement":
        await partial(rc, node as hbs.AST.PartialStatement, frame, meta);
        break;
      case "CommentStatement":
        break;
      default:
        throw templateError(node, meta, "bad-argument", `Unsupported template construct '${node.type}'`);
    }
  }
}

/**
 * Completes a run context with the interpreter's walk, evaluation and output functions.
 *
 * @example
 * const rc = installInterpreter({ root, transcript, replay, ... });
 * await rc.render(program.ast, { context: root, data: {} }, {});
 */
export function installInterpreter(rc: Omit<RunContext, "render" | "evaluate" | "emit">): RunContext {
  const full = rc as RunContext;
  full.render = (program, frame, meta) => render(full, program, frame, meta);
  full.evaluate = (node, frame, meta) => evaluate(full, node, frame, meta);
  full.emit = (text, frame, kind = "text", name) => {
    if (text === "") return;
    const out = frame.indent ? frame.indent(text) : text;
    if (full.capture) full.capture.push(out);
    else full.transcript.write(out, { kind, name });
  };
  return full;
}
