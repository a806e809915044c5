/**
 * `code`: runs JavaScript in a QuickJS sandbox compiled to WebAssembly, inside a worker thread.
 * The script sees only the language itself and a `console` whose output is captured: no file
 * system, network, process, timers, `require` or `import`. Each call gets a fresh interpreter, so
 * nothing carries over; the host's event loop is never blocked by a script.
 */
import { z } from "zod";
import { ToolExecutionError, ToolSafetyError } from "../../spec/errors.js";
import { type Tool, tool } from "../tool.js";
import { createQuickJSRunner, type SandboxLimits } from "./sandbox/quickjs-runner.js";

export interface CodeToolOptions {
  /**
   * Heap limit of the interpreter in bytes (default 32 MiB). Typed arrays and long strings, which
   * QuickJS does not count, are capped by the interpreter's WebAssembly memory at about twice this.
   */
  memoryLimitBytes?: number;
  /**
   * Wall-clock limit of one run in milliseconds, promise jobs included (default 2000). A script
   * that keeps the interpreter from checking the clock is stopped by terminating its worker after
   * a grace period of the same length (at least one second).
   */
  timeLimitMs?: number;
  /**
   * Interpreter stack limit in bytes (default 256 KiB, about a thousand nested calls). The
   * interpreter's native frames live on the host's stack, so keep this well below it.
   */
  maxStackBytes?: number;
  /** Characters of console output kept (default 10,000); the rest is cut off. */
  maxOutputChars?: number;
  /** Characters of the JSON result kept (default 10,000); the rest is cut off. */
  maxResultChars?: number;
  /** Longest accepted script in characters (default 100,000). */
  maxCodeChars?: number;
}

export interface CodeToolResult {
  /** The script's completion value (the value of its last expression statement; a promise is awaited), as JSON. */
  result?: unknown;
  /** Set when the result's JSON was cut off; `result` then holds the truncated JSON text. */
  resultTruncated?: boolean;
  /** Console output, one line per call. */
  stdout: string;
  stdoutTruncated?: boolean;
  /** The uncaught exception with its stack, when the script threw. */
  error?: string;
}

const LIMIT_MESSAGES = {
  time: (l: SandboxLimits) =>
    `the script ran longer than the ${l.timeLimitMs} ms time limit and was stopped. Make it do less work, or check for an endless loop.`,
  memory: (l: SandboxLimits) =>
    `the script needed more than the ${Math.round(l.memoryLimitBytes / 1024 / 1024)} MiB memory limit and was stopped. Work on smaller data.`,
  stack: () =>
    "the script exceeded the stack limit (too deeply nested calls or data) and was stopped. Use a loop instead of deep recursion.",
};

/**
 * `code`: runs a JavaScript snippet in a sandbox and returns its completion value as JSON plus the
 * captured console output. Limits (time, memory, stack) end the run with a ToolSafetyError; an
 * exception thrown by the script is returned in `error` together with the output so far.
 *
 * @example
 * const code = codeTool({ timeLimitMs: 1000 });
 * await code.execute({ code: "const xs = [3, 1, 2]; console.log(xs.length); xs.sort()" }, ctx);
 * // { result: [1, 2, 3], stdout: "3\n" }
 */
export function codeTool(options: CodeToolOptions = {}): Tool<{ code: string }, CodeToolResult> {
  const limits: SandboxLimits = {
    memoryLimitBytes: options.memoryLimitBytes ?? 32 * 1024 * 1024,
    timeLimitMs: options.timeLimitMs ?? 2000,
    maxStackBytes: options.maxStackBytes ?? 256 * 1024,
    maxOutputChars: options.maxOutputChars ?? 10_000,
    maxResultChars: options.maxResultChars ?? 10_000,
  };
  const maxCodeChars = options.maxCodeChars ?? 100_000;
  const runner = createQuickJSRunner(limits);
  return tool({
    name: "code",
    description:
      "Run JavaScript (ES2023) in an isolated sandbox and get back the value of the last expression as JSON plus everything printed with console.log. Use it for computations, data transformations, string processing and checking logic. There is no file system, network, timers, require or import; each call starts from scratch. For async code end with a promise, e.g. `(async () => { ... })()`.",
    inputSchema: z.object({
      code: z
        .string()
        .min(1)
        .describe("The script; its last expression statement is the result, e.g. `[1,2,3].map(x => x * 2)`"),
    }),
    async execute({ code }, { abortSignal }) {
      if (code.length > maxCodeChars) {
        throw new ToolSafetyError({
          tool: "code",
          message: `code: the script has ${code.length} characters, more than the limit of ${maxCodeChars}. Send a shorter script.`,
        });
      }
      const outcome = await runner.run(code, abortSignal);
      if (outcome.status === "limit") {
        throw new ToolSafetyError({ tool: "code", message: `code: ${LIMIT_MESSAGES[outcome.limit](limits)}` });
      }
      if (outcome.status === "crashed") {
        throw new ToolExecutionError({
          tool: "code",
          message: `code: the sandbox failed (${outcome.message}); it has been reset, so the script can be retried.`,
          retryable: true,
        });
      }
      const result: CodeToolResult = { stdout: outcome.stdout };
      if (outcome.stdoutTruncated) result.stdoutTruncated = true;
      if (outcome.status === "error") {
        result.error = outcome.error;
        return result;
      }
      if (outcome.resultJson !== undefined) {
        if (outcome.resultTruncated) {
          result.result = outcome.resultJson;
          result.resultTruncated = true;
        } else {
          result.result = parseWithoutProto(outcome.resultJson);
        }
      }
      return result;
    },
  });
}

/** JSON from the sandbox may carry `__proto__` keys; drop them so no later merge can act on them. */
function parseWithoutProto(json: string): unknown {
  return JSON.parse(json, (key, value) => (key === "__proto__" ? undefined : value));
}
