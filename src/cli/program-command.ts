import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { Command } from "commander";
import type { ProgramState } from "../programs/template/replay.js";
import type { GlobalOptions } from "./context.js";
import { formatCost, numberOption, printJson, UsageError } from "./io.js";

interface ProgramRunOptions {
  model?: string;
  var: string[];
  vars?: string;
  state?: string;
  maxTokens?: string;
  temperature?: string;
  timeout?: string;
  retries?: string;
  json?: boolean;
  stream?: boolean;
  trace?: boolean;
  cache?: boolean;
}

/** Exit code of a program that stopped at `{{await}}` for a value it was not given. */
export const AWAITING_EXIT_CODE = 3;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function parseVariables(opts: ProgramRunOptions): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  if (opts.vars) {
    const data = readJsonFile(opts.vars, "--vars file");
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new UsageError(`--vars ${opts.vars} must hold a JSON object of name: value.`);
    }
    Object.assign(variables, data);
  }
  for (const pair of opts.var) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--var expects name=value, got '${pair}'.`);
    variables[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return variables;
}

/** Partials are files next to the program: `{{> header}}` reads header<ext>, header.hbs or header. */
function partialsNextTo(file: string): (name: string) => string | undefined {
  const dir = dirname(file);
  const ext = extname(file);
  return (name) => {
    for (const candidate of [`${name}${ext}`, `${name}.hbs`, name]) {
      const path = join(dir, candidate);
      if (existsSync(path)) return readFileSync(path, "utf8");
    }
    return undefined;
  };
}

/**
 * Adds `weft program run <file>` to the command line.
 *
 * @example
 * registerProgram(program, () => program.opts<GlobalOptions>());
 */
export function registerProgram(program: Command, globals: () => GlobalOptions): void {
  const group = program
    .command("program")
    .description("Template programs: text, variables, control flow and model calls (gen, select) in one file.");
  group
    .command("run")
    .description("Run a template program and print its transcript (streamed on a terminal).")
    .argument("<file>", "the template file (handlebars syntax with gen, select, geneach, roles, await)")
    .option("-m, --model <id>", "model id provider:name; auto-detected when omitted (not needed without gen/select)")
    .option("--var <name=value>", "a variable (repeatable); also gives the value an {{await}} waits for", collect, [])
    .option("--vars <file.json>", "variables from a JSON object (lists and objects too); --var wins")
    .option("--state <file.json>", "resume from this file if it exists; save the state there when the program awaits")
    .option("--max-tokens <n>", "default max_tokens for gen (default 500)")
    .option("-t, --temperature <x>", "default temperature for gen (default 0)")
    .option("--timeout <ms>", "per-attempt timeout in milliseconds")
    .option("--retries <n>", "retries on rate limits, 5xx and dropped connections", "2")
    .option("--no-stream", "print the transcript at the end instead of streaming it")
    .option("--no-trace", "do not record model calls in the trace store")
    .option("--no-cache", "do not reuse cached results of deterministic gen/select calls (weft cache clear empties it)")
    .option("--json", "print one JSON object: variables, transcript, usage, costUsd (and awaiting)")
    .addHelpText(
      "after",
      `
Exit codes: 0 done, 1 error, 2 bad command line, ${AWAITING_EXIT_CODE} the program is waiting for a value
({{await 'name'}}): run again with --var name=... (and --state to keep what was generated).

Examples:
  weft program run story.hbs --model local:examples/models/stories260K.gguf
  weft program run email.hbs --var email="Hello there" --state email.state.json
  weft program run email.hbs --var instruction="Translate it to Portuguese" --state email.state.json
  weft program run profile.hbs --vars profile.json --json`,
    )
    .exitOverride()
    .action(async (file: string, opts: ProgramRunOptions) => {
      const path = resolve(file);
      let source: string;
      try {
        source = readFileSync(path, "utf8");
      } catch (error) {
        throw new UsageError(`Cannot read the program ${file}: ${(error as Error).message}`);
      }
      const variables = parseVariables(opts);
      const settings = {
        maxTokens: numberOption("--max-tokens", opts.maxTokens, { integer: true, min: 1 }),
        temperature: numberOption("--temperature", opts.temperature, { min: 0, max: 2 }),
        timeoutMs: numberOption("--timeout", opts.timeout, { integer: true, min: 1 }),
        maxRetries: numberOption("--retries", opts.retries, { integer: true, min: 0 }),
      };
      const state = opts.state && existsSync(opts.state) ? readJsonFile(opts.state, "--state file") : undefined;
      const { compileProgram, runProgram } = await import("../programs/index.js");
      const compiled = compileProgram(source, { name: basename(file) });
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const model = compiled.usesModel
          ? (await ctx.model(opts.model, { trace: opts.trace, cache: opts.cache !== false })).model
          : undefined;
        const stream = !opts.json && opts.stream !== false && Boolean(process.stdout.isTTY);
        let last = "";
        const result = await runProgram(compiled, {
          model,
          variables,
          partials: partialsNextTo(path),
          state: state as ProgramState | undefined,
          defaults: { maxTokens: settings.maxTokens, temperature: settings.temperature },
          timeoutMs: settings.timeoutMs,
          maxRetries: settings.maxRetries,
          modelFacts: ctx.config.modelFacts,
          onText: stream
            ? (delta) => {
                process.stdout.write(delta);
                last = delta;
              }
            : undefined,
        });
        if (opts.json) {
          printJson({
            variables: result.variables,
            transcript: result.transcript,
            usage: result.usage,
            costUsd: result.costUsd,
            ...(result.awaiting ? { awaiting: result.awaiting } : {}),
          });
        } else if (stream) {
          if (last !== "" && !last.endsWith("\n")) process.stdout.write("\n");
          if (result.calls.length > 0) {
            process.stderr.write(
              `\x1b[2m${model ? `${model.provider}:${model.modelId}` : ""} · ${result.calls.length} call(s) · ${result.usage.inputTokens ?? "?"} in / ${result.usage.outputTokens ?? "?"} out · ${formatCost(result.costUsd)}\x1b[0m\n`,
            );
          }
        } else {
          const text = result.transcript;
          process.stdout.write(text === "" || text.endsWith("\n") ? text : `${text}\n`);
        }
        if (result.awaiting) {
          if (opts.state) writeFileSync(opts.state, `${JSON.stringify(result.state, null, 2)}\n`);
          const line = result.awaitingAt ? ` (line ${result.awaitingAt.line})` : "";
          const resume = opts.state
            ? `Run again with --state ${opts.state} --var ${result.awaiting}=... to continue; the state is saved there.`
            : `Run again with --var ${result.awaiting}=... (add --state <file> to keep what was generated so far).`;
          process.stderr.write(`The program is waiting for '${result.awaiting}'${line}. ${resume}\n`);
          process.exitCode = AWAITING_EXIT_CODE;
        } else if (opts.state && state !== undefined) {
          rmSync(opts.state, { force: true });
        }
      } finally {
        await ctx.close();
      }
    });
}
