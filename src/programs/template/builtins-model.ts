import { evaluateHash, locationOf, type ProgramMeta, type RunContext, simpleName, templateError } from "./context.js";
import type { ModelCaller } from "./model-calls.js";
import { assignPath, type Frame, readPath } from "./scope.js";
import { toText, unescapeText } from "./values.js";

const GEN_KEYS = ["max_tokens", "temperature", "stop", "n", "pattern", "hidden", "list_append"];
const SELECT_KEYS = ["logprobs", "hidden", "options", "temperature"];
const GENEACH_KEYS = ["num_iterations", "max_iterations", "stop", "join", "hidden"];
const DEFAULT_MAX_ITERATIONS = 100;

type Node = hbs.AST.MustacheStatement | hbs.AST.BlockStatement;

function checkKeys(hash: Record<string, unknown>, allowed: string[], tag: string, node: Node, meta: ProgramMeta) {
  for (const key of Object.keys(hash)) {
    if (!allowed.includes(key)) {
      throw templateError(
        node,
        meta,
        "bad-argument",
        `{{${tag}}} has no option '${key}'; it takes ${allowed.join(", ")}`,
      );
    }
  }
}

function numberArg(
  value: unknown,
  opts: { name: string; tag: string; integer?: boolean; min: number; fallback: number },
  node: Node,
  meta: ProgramMeta,
): number {
  if (value === undefined || value === null) return opts.fallback;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < opts.min || (opts.integer && !Number.isInteger(n))) {
    throw templateError(
      node,
      meta,
      "bad-argument",
      `{{${opts.tag}}} ${opts.name} must be ${opts.integer ? "an integer" : "a number"} >= ${opts.min}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

async function nameParam(rc: RunContext, node: Node, frame: Frame, meta: ProgramMeta, tag: string): Promise<string> {
  const param = node.params[0];
  if (!param) return "";
  const value = await rc.evaluate(param, frame, meta);
  if (typeof value !== "string") {
    throw templateError(
      node,
      meta,
      "bad-argument",
      `{{${tag}}} takes the variable name as a quoted string, e.g. {{${tag} 'answer'}}`,
    );
  }
  return value;
}

function requireCaller(rc: RunContext, node: Node, meta: ProgramMeta, tag: string): ModelCaller {
  if (rc.capture) {
    throw templateError(node, meta, "bad-argument", `{{${tag}}} cannot run inside the options of a select`);
  }
  if (!rc.caller) {
    throw templateError(node, meta, "no-model", `{{${tag}}} needs a model: pass model to runProgram (or --model)`);
  }
  return rc.caller;
}

/**
 * Writes a value to a variable; `list_append` adds it to a list instead.
 *
 * @example
 * assignVariable(rc, frame, "this.name", "Ada", node, meta);
 */
export function assignVariable(
  rc: RunContext,
  frame: Frame,
  name: string,
  value: unknown,
  node: hbs.AST.Node,
  meta: ProgramMeta,
  listAppend = false,
): void {
  let stored = value;
  if (listAppend) {
    const [head, ...rest] = name.split(".");
    const current = head === "this" ? readPath(frame.context, rest) : readPath(rc.root, name.split("."));
    stored = [...(Array.isArray(current) ? current : []), value];
  }
  const result = assignPath(frame, name, stored, rc.root);
  if (!result.ok) throw templateError(node, meta, "bad-argument", `Cannot set '${name}': ${result.reason}`, name);
}

function stopArg(value: unknown, node: Node, meta: ProgramMeta, tag: string): string[] | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((s) => typeof s === "string")) {
    throw templateError(node, meta, "bad-argument", `{{${tag}}} stop must be a string or a list of strings`);
  }
  return list.map(unescapeText).filter((s) => s !== "");
}

/** Guidance's default stop: the quote or closing tag that follows the gen in the template. */
function defaultStop(next: hbs.AST.Statement | undefined): string[] | undefined {
  if (next?.type !== "ContentStatement") return undefined;
  const text = (next as hbs.AST.ContentStatement).value;
  const first = text[0];
  if (first === '"' || first === "'" || first === "`") return [first];
  const tag = /^<\/[^>\s]+>/.exec(text)?.[0];
  return tag ? [tag] : undefined;
}

/**
 * `{{gen 'name' max_tokens= temperature= stop= n= pattern= hidden= list_append=}}`: generates text
 * that continues the program so far (streamed when the run streams), or replays a recorded value.
 *
 * @example
 * // Template: Q: {{q}}\nA:{{gen 'answer' max_tokens=30 stop='\n'}}
 */
export async function gen(
  rc: RunContext,
  node: hbs.AST.MustacheStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
): Promise<void> {
  const at = locationOf(node, meta);
  const name = await nameParam(rc, node, frame, meta, "gen");
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  checkKeys(hash, GEN_KEYS, "gen", node, meta);
  const n = numberArg(hash.n, { name: "n", tag: "gen", integer: true, min: 1, fallback: 1 }, node, meta);
  const maxTokens = numberArg(
    hash.max_tokens,
    { name: "max_tokens", tag: "gen", integer: true, min: 1, fallback: rc.defaults.maxTokens },
    node,
    meta,
  );
  const temperature = numberArg(
    hash.temperature,
    { name: "temperature", tag: "gen", min: 0, fallback: rc.defaults.temperature },
    node,
    meta,
  );
  if (hash.pattern !== undefined && typeof hash.pattern !== "string") {
    throw templateError(node, meta, "bad-argument", "{{gen}} pattern must be a regular expression in a string");
  }
  const pattern = hash.pattern as string | undefined;
  const hidden = hash.hidden === true;
  const stop = hash.stop === undefined ? defaultStop(next) : stopArg(hash.stop, node, meta, "gen");
  const recorded = rc.replay.next("gen", name, at);
  let texts: string[];
  let streamed = false;
  if (recorded) {
    texts = Array.isArray(recorded.value) ? recorded.value.map(toText) : [toText(recorded.value)];
  } else {
    const caller = requireCaller(rc, node, meta, "gen");
    const onDelta =
      rc.streaming && !hidden && !rc.transcript.hidden && n === 1 && pattern === undefined
        ? (delta: string) => {
            rc.transcript.write(delta, { kind: "gen", name, continues: streamed });
            streamed = true;
          }
        : undefined;
    texts = await caller.gen({
      name,
      line: at.line,
      input: rc.transcript.input(),
      maxTokens,
      temperature,
      stop,
      n,
      pattern,
      onDelta,
    });
  }
  const value = n > 1 ? texts : (texts[0] ?? "");
  rc.replay.record({ kind: "gen", name, value });
  if (name) assignVariable(rc, frame, name, value, node, meta, hash.list_append === true);
  const text = texts[0] ?? "";
  if (hidden) rc.transcript.writeHidden(text, { kind: "gen", name });
  else if (!streamed) rc.transcript.write(text, { kind: "gen", name });
}

async function renderOptions(rc: RunContext, node: hbs.AST.BlockStatement, frame: Frame, meta: ProgramMeta) {
  const parts: hbs.AST.Statement[][] = [[]];
  for (const statement of node.program.body) {
    const isOr =
      statement.type === "MustacheStatement" && simpleName((statement as hbs.AST.MustacheStatement).path) === "or";
    if (isOr) parts.push([]);
    else parts[parts.length - 1]?.push(statement);
  }
  const options: string[] = [];
  const previous = rc.capture;
  try {
    for (const body of parts) {
      rc.capture = [];
      await rc.render({ ...node.program, body }, frame, meta);
      options.push(rc.capture.join(""));
    }
  } finally {
    rc.capture = previous;
  }
  return options;
}

/**
 * `{{#select 'name' logprobs='var'}} a{{or}} b{{/select}}` and `{{select 'name' options=list}}`:
 * the model chooses one option (see selectOption for the method per model).
 *
 * @example
 * // Template: Answer:{{#select 'answer' logprobs='lp'}} Yes{{or}} No{{/select}}
 */
export async function select(
  rc: RunContext,
  node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement,
  frame: Frame,
  meta: ProgramMeta,
): Promise<void> {
  const at = locationOf(node, meta);
  const name = await nameParam(rc, node, frame, meta, "select");
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  checkKeys(hash, SELECT_KEYS, "select", node, meta);
  let options: string[];
  if (node.type === "BlockStatement") options = await renderOptions(rc, node as hbs.AST.BlockStatement, frame, meta);
  else if (Array.isArray(hash.options)) options = hash.options.map(toText);
  else {
    throw templateError(
      node,
      meta,
      "bad-argument",
      "{{select}} needs options=list, or use {{#select}} a{{or}} b{{/select}}",
    );
  }
  if (options.length === 0) throw templateError(node, meta, "bad-argument", "{{select}} has no options to choose from");
  const temperature =
    hash.temperature === undefined
      ? undefined
      : numberArg(hash.temperature, { name: "temperature", tag: "select", min: 0, fallback: 0 }, node, meta);
  const recorded = rc.replay.next("select", name, at);
  let option: string;
  let logprobs: Record<string, number | null>;
  if (recorded) {
    option = toText(recorded.value);
    logprobs = recorded.logprobs ?? {};
  } else if (options.length === 1) {
    option = options[0] as string;
    logprobs = { [option]: 0 };
  } else {
    const caller = requireCaller(rc, node, meta, "select");
    const r = await caller.select({ name, line: at.line, input: rc.transcript.input(), options, temperature });
    option = r.option;
    logprobs = Object.fromEntries(options.map((o, i) => [o, r.logprobs[i] ?? null]));
  }
  rc.replay.record({ kind: "select", name, value: option, logprobs });
  if (name) {
    assignVariable(rc, frame, name, option, node, meta);
    rc.logprobs[name] = logprobs;
  }
  if (typeof hash.logprobs === "string") assignVariable(rc, frame, hash.logprobs, logprobs, node, meta);
  if (hash.hidden === true) rc.transcript.writeHidden(option, { kind: "select", name });
  else rc.transcript.write(option, { kind: "select", name });
}

function leadingText(program: hbs.AST.Program): string {
  const first = program.body[0];
  return first?.type === "ContentStatement" ? (first as hbs.AST.ContentStatement).value : "";
}

/**
 * `{{#geneach 'items' num_iterations= stop= join=}}...{{gen 'this.field'}}...{{/geneach}}`: builds
 * a list, one item per iteration. Without num_iterations the model chooses, before each item,
 * between the body's leading text and the stop text; `stop=false` loops until an await stops it.
 *
 * @example
 * // Template: [{{#geneach 'items' num_iterations=3 join=', '}}"{{gen 'this'}}"{{/geneach}}]
 */
export async function geneach(
  rc: RunContext,
  node: hbs.AST.BlockStatement,
  frame: Frame,
  meta: ProgramMeta,
  next: hbs.AST.Statement | undefined,
): Promise<void> {
  const at = locationOf(node, meta);
  const name = await nameParam(rc, node, frame, meta, "geneach");
  if (!name)
    throw templateError(node, meta, "bad-argument", "{{#geneach}} needs the list's name, e.g. {{#geneach 'items'}}");
  const hash = await evaluateHash(rc, node.hash, frame, meta);
  checkKeys(hash, GENEACH_KEYS, "geneach", node, meta);
  const count =
    hash.num_iterations === undefined
      ? undefined
      : numberArg(
          hash.num_iterations,
          { name: "num_iterations", tag: "geneach", integer: true, min: 0, fallback: 0 },
          node,
          meta,
        );
  const maxIterations = numberArg(
    hash.max_iterations,
    { name: "max_iterations", tag: "geneach", integer: true, min: 1, fallback: DEFAULT_MAX_ITERATIONS },
    node,
    meta,
  );
  const join = typeof hash.join === "string" ? unescapeText(hash.join) : "";
  const stopText =
    typeof hash.stop === "string"
      ? unescapeText(hash.stop)
      : next?.type === "ContentStatement"
        ? (next as hbs.AST.ContentStatement).value
        : "";
  const leading = leadingText(node.program);
  const hiddenId = hash.hidden === true ? rc.transcript.beginHidden() : undefined;
  const list: unknown[] = [];
  assignVariable(rc, frame, name, list, node, meta);
  for (let i = 0; i < (count ?? maxIterations); i++) {
    if (count === undefined && hash.stop !== false) {
      const recorded = rc.replay.next("continue", name, at);
      let proceed: boolean;
      if (recorded) proceed = recorded.value === true;
      else {
        if (leading.trim() === "" || stopText === "") {
          throw templateError(
            node,
            meta,
            "bad-argument",
            "{{#geneach}} cannot tell when to stop: give num_iterations=N, stop='text that ends the list', or stop=false to loop until an await",
          );
        }
        const caller = requireCaller(rc, node, meta, "geneach");
        const choice = await caller.select({
          name,
          line: at.line,
          input: rc.transcript.input(),
          options: [(i > 0 ? join : "") + leading, stopText],
        });
        proceed = choice.index === 0;
      }
      rc.replay.record({ kind: "continue", name, value: proceed });
      if (!proceed) break;
    }
    if (i > 0 && join) rc.emit(join, frame, "text");
    list.push({});
    const data: Record<string, unknown> = { index: i, first: i === 0 };
    if (count !== undefined) data.last = i === count - 1;
    const item: Frame = { context: list[i], data, parent: frame, indent: frame.indent };
    item.assignThis = (value) => {
      list[i] = value;
      item.context = value;
    };
    await rc.render(node.program, item, meta);
  }
  if (hiddenId !== undefined) rc.transcript.endHidden(hiddenId);
}
