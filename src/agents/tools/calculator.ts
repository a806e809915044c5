/**
 * `calculator`: exact arithmetic, math functions and unit conversion with mathjs, never `eval`.
 *
 * mathjs evaluates synchronously and some expressions are unbounded (a recursive user function, a
 * huge matrix, `isPrime` of a large number), so expressions run in a worker thread with a V8 heap
 * limit and a wall-clock limit: a runaway expression is stopped by terminating the worker, and the
 * next call starts a fresh one. The worker is started on first use, reused between calls and
 * closed when idle.
 */
import { createRequire } from "node:module";
import { z } from "zod";
import { ToolExecutionError, ToolSafetyError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";
import { createWorkerHost, type WorkerHost } from "./sandbox/worker-host.js";

export interface CalculatorToolOptions {
  /** Significant digits of BigNumber arithmetic (default 64). */
  precision?: number;
  /** Wall-clock limit of one evaluation in milliseconds (default 1000). */
  timeLimitMs?: number;
  /** V8 heap limit of the evaluating worker in MiB (default 64). */
  memoryLimitMb?: number;
  /** Longest accepted expression in characters (default 1000). */
  maxExpressionLength?: number;
  /** Longest formatted result in characters (default 10,000). */
  maxResultChars?: number;
  /** The worker is closed after this long without calls, in milliseconds (default 30,000). */
  idleTimeoutMs?: number;
}

export interface CalculatorResult {
  expression: string;
  /** The exact result as mathjs formats it, e.g. `"0.3"`, `"18446744073709551617"`, `"1.9685... inch"`. */
  result: string;
  /** mathjs's type name: `BigNumber`, `Unit`, `Complex`, `DenseMatrix`, `boolean`, ... */
  type: string;
  /** A float approximation of a real scalar result (for units: the value in the result's unit). */
  number?: number;
  /** The unit of a unit result, e.g. `"inch"`. */
  unit?: string;
}

/** Functions that parse or redefine things; disabled as the mathjs security notes advise. */
const DISABLED_FUNCTIONS = [
  "import",
  "createUnit",
  "reviver",
  "replacer",
  "evaluate",
  "parse",
  "compile",
  "parser",
  "simplify",
  "simplifyConstant",
  "simplifyCore",
  "derivative",
  "resolve",
  "rationalize",
  "leafCount",
  "symbolicEqual",
];

/*
 * The worker's CommonJS source (see sandbox/worker-host.ts). `config` cannot be replaced through
 * `import` (the lazily built functions depend on it), so each evaluation gets a fresh scope that
 * shadows it; the fresh scope also keeps variables and functions from leaking between calls.
 */
const WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
// The bundle exports its default instance; it is private to this worker, so configuring it is safe.
const math = require(workerData.mathjsPath);
const { precision, maxResultChars, disabled } = workerData;
math.config({ number: "BigNumber", precision });
const evaluate = math.evaluate;
const stub = (name) => () => {
  const error = new Error("Function " + name + " is disabled in the calculator");
  error.disabledFunction = name;
  throw error;
};
const replacements = {};
for (const name of disabled) replacements[name] = stub(name);
math.import(replacements, { override: true });
const MAX_ELEMENTS = 10000;

function describe(value) {
  if (math.isResultSet(value)) value = value.entries[value.entries.length - 1];
  if (value === undefined) return { type: "undefined", result: "undefined" };
  if (math.isMatrix(value) || Array.isArray(value)) {
    const count = math.size(value).valueOf().reduce((a, b) => Number(a) * Number(b), 1);
    if (count > MAX_ELEMENTS) {
      return { limit: "The result is a matrix of " + count + " elements, more than the " + MAX_ELEMENTS + " the calculator returns." };
    }
  }
  const text = math.format(value, { lowerExp: -7, upperExp: precision });
  if (text.length > maxResultChars) {
    return { limit: "The result has " + text.length + " characters, more than the " + maxResultChars + " the calculator returns." };
  }
  const out = { type: math.typeOf(value), result: text };
  if (math.isBigNumber(value) || math.isFraction(value) || typeof value === "number") out.number = Number(value.valueOf());
  if (math.isUnit(value) && value.value !== null) {
    out.unit = value.formatUnits();
    out.number = Number(value.toNumber().valueOf());
  }
  if (out.number !== undefined && !Number.isFinite(out.number)) delete out.number;
  return out;
}

parentPort.on("message", ({ expression }) => {
  try {
    const scope = new Map([["config", stub("config")]]);
    const described = describe(evaluate(expression, scope));
    if (described.limit) parentPort.postMessage({ ok: false, kind: "limit", message: described.limit });
    else parentPort.postMessage({ ok: true, ...described });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind = error && error.disabledFunction ? "disabled" : "error";
    parentPort.postMessage({ ok: false, kind, message });
  }
});
parentPort.postMessage({ ready: true });
`;

type WorkerReply =
  | { ok: true; type: string; result: string; number?: number; unit?: string }
  | { ok: false; kind: "disabled" | "limit" | "error"; message: string };

const HINT =
  "Write one mathjs expression with numbers, operators, functions and units, e.g. `sqrt(2) * 3`, `factorial(20)`, `5 cm to inch`.";

/**
 * `calculator`: evaluates a math expression exactly (64-digit BigNumbers by default, so
 * `0.1 + 0.2` is `0.3` and `2^64 + 1` is exact), with functions (`sqrt`, `sin`, `log`,
 * `factorial`, `combinations`, matrices) and units (`5 cm to inch`). Functions that parse or
 * redefine things (`evaluate`, `import`, `createUnit`, `config`, ...) are disabled; a too slow or
 * too large evaluation is stopped with a ToolSafetyError.
 *
 * @example
 * const calc = calculatorTool();
 * await calc.execute({ expression: "2^64 + 1" }, ctx); // { result: "18446744073709551617", type: "BigNumber", ... }
 */
export function calculatorTool(options: CalculatorToolOptions = {}): Tool<{ expression: string }, CalculatorResult> {
  const maxLength = options.maxExpressionLength ?? 1000;
  const timeLimitMs = options.timeLimitMs ?? 1000;
  const memoryLimitMb = options.memoryLimitMb ?? 64;
  let host: WorkerHost<{ expression: string }, WorkerReply> | undefined;
  return tool({
    name: "calculator",
    description:
      "Evaluate a math expression exactly (mathjs syntax, 64 significant digits). Supports + - * / ^ %, parentheses, functions like sqrt, sin, cos, log, exp, factorial, combinations, gcd, mod, round, matrices like [1,2;3,4], and units with conversion like `5 cm to inch` or `60 km/h to m/s`. Use it for any arithmetic instead of computing in your head.",
    inputSchema: z.object({
      expression: z.string().min(1).describe("One mathjs expression, e.g. `(1.1 + 2.2) * 3` or `12 inch to cm`"),
    }),
    async execute({ expression }, { abortSignal }) {
      if (expression.length > maxLength) {
        throw new ToolSafetyError({
          tool: "calculator",
          message: `calculator: the expression has ${expression.length} characters, more than the limit of ${maxLength}. Split the computation into smaller expressions.`,
        });
      }
      host ??= createWorkerHost({
        source: WORKER_SOURCE,
        workerData: {
          // The single-file bundle starts several times faster in a fresh isolate than the CommonJS tree.
          mathjsPath: createRequire(import.meta.url).resolve("mathjs/lib/browser/math.js"),
          precision: options.precision ?? 64,
          maxResultChars: options.maxResultChars ?? 10_000,
          disabled: DISABLED_FUNCTIONS,
        },
        resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
        idleTimeoutMs: options.idleTimeoutMs,
      });
      const outcome = await host.request({ expression }, { timeoutMs: timeLimitMs, signal: abortSignal });
      if (outcome.status === "timeout") {
        throw new ToolSafetyError({
          tool: "calculator",
          message: `calculator: evaluating '${expression}' took longer than the ${timeLimitMs} ms time limit and was stopped. Use smaller arguments or a closed formula.`,
        });
      }
      if (outcome.status === "memory") {
        throw new ToolSafetyError({
          tool: "calculator",
          message: `calculator: evaluating '${expression}' needed more than the ${memoryLimitMb} MiB memory limit and was stopped. Use smaller numbers or matrices.`,
          cause: outcome.error,
        });
      }
      if (outcome.status === "crashed") {
        throw new ToolExecutionError({
          tool: "calculator",
          message: `calculator failed: ${outcome.error.message}. Try again.`,
          cause: outcome.error,
          retryable: true,
        });
      }
      const reply = outcome.reply;
      if (reply.ok) {
        const { ok: _ok, ...rest } = reply;
        return { expression, ...rest };
      }
      if (reply.kind === "disabled" || reply.kind === "limit") {
        throw new ToolSafetyError({ tool: "calculator", message: `calculator: ${reply.message}. ${HINT}` });
      }
      throw new ToolExecutionError({
        tool: "calculator",
        message: `calculator could not evaluate '${expression}': ${reply.message}. ${HINT}`,
      });
    },
  });
}
