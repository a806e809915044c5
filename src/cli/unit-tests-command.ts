import type { Command } from "commander";
import type { ChainEvent } from "../programs/chains/index.js";
import type { GlobalOptions } from "./context.js";
import { formatCost, numberOption } from "./io.js";

interface UnitTestsOptions {
  function: string;
  minCases: string;
  run?: boolean;
  maxFixes: string;
  maxRepairs: string;
  model?: string;
  temperature: string;
  out?: string;
  quiet?: boolean;
  trace?: boolean;
}

/** Streams the chain's steps to stderr so that stdout carries only the test file. */
function createProgress(quiet: boolean): (event: ChainEvent) => void {
  const tty = process.stderr.isTTY === true;
  const dim = (s: string) => (tty ? `\x1b[2m${s}\x1b[0m` : s);
  const bold = (s: string) => (tty ? `\x1b[1m${s}\x1b[0m` : s);
  const write = (s: string) => process.stderr.write(s);
  let atLineStart = true;
  const line = (s: string) => {
    write(`${atLineStart ? "" : "\n"}${s}\n`);
    atLineStart = true;
  };
  return (event) => {
    if (quiet) return;
    switch (event.type) {
      case "start":
        line(`\n${bold(`── ${event.step}`)}${event.model ? dim(` · ${event.model}`) : ""}`);
        break;
      case "text":
        write(event.text);
        if (event.text.length > 0) atLineStart = event.text.endsWith("\n");
        break;
      case "check":
        if (event.check === "vitest" && event.status === "running") line(dim("· running the tests with vitest…"));
        else if (event.status === "failed") {
          const shown = event.issues
            .slice(0, 5)
            .map((i) => `  ${i.path ? `${i.path}: ` : ""}${i.message.split("\n")[0]}`);
          const what = event.check === "vitest" ? "failing" : "problem(s)";
          line(`✗ ${event.check}: ${event.issues.length} ${what}\n${shown.join("\n")}`);
        } else if (event.status === "passed" && event.check === "vitest") line("✓ vitest: every test passes");
        break;
      case "retry":
        line(dim(`↻ ${event.step}: attempt ${event.attempt}, fixing what '${event.check}' found`));
        break;
      case "end": {
        const r = event.result;
        const tokens =
          r.kind === "model" ? `${r.usage.inputTokens ?? "?"} in / ${r.usage.outputTokens ?? "?"} out · ` : "";
        const cases = (r.output as { plan?: { cases?: unknown[] } } | null)?.plan?.cases?.length;
        const plan = event.step === "plan" || event.step === "elaborate" ? ` · ${cases ?? 0} cases planned` : "";
        line(
          dim(
            `${r.valid ? "✓" : "✗"} ${event.step} · ${tokens}${formatCost(r.costUsd)} · ${(r.latencyMs / 1000).toFixed(1)} s${plan}`,
          ),
        );
        break;
      }
    }
  };
}

export function registerUnitTests(program: Command, globals: () => GlobalOptions): void {
  program
    .command("unit-tests")
    .description(
      "Write vitest unit tests for a TypeScript function in steps (explain → plan → more edge cases if short → write), checking that they parse and, with --run, that they pass.",
    )
    .argument("<file>", "the TypeScript file that defines the function")
    .requiredOption("-f, --function <name>", "the top-level function to test")
    .option("--min-cases <n>", "ask for more edge cases when the plan has fewer cases than this", "7")
    .option("--run", "run the tests with vitest in a temporary folder and feed failures back for a fix")
    .option("--max-fixes <n>", "with --run: fix attempts after failing tests", "2")
    .option("--max-repairs <n>", "re-runs when the reply is not valid TypeScript", "2")
    .option("-m, --model <id>", "model id provider:name; auto-detected when omitted")
    .option("-t, --temperature <x>", "sampling temperature of every step", "0.4")
    .option("-o, --out <path>", "write the test file here (imports adjusted); default: print it to stdout")
    .option("-q, --quiet", "do not stream the steps to stderr")
    .option("--no-trace", "do not record the model calls in the trace store")
    .addHelpText(
      "after",
      `
The steps stream to stderr; the test file goes to stdout (or --out). With --run the generated tests
run as ordinary code on this machine (without your environment's API keys): review what you run.

Examples:
  weft unit-tests src/math.ts --function clamp > src/math.test.ts
  weft unit-tests src/math.ts -f clamp --run --max-fixes 3 --out test/math.test.ts --model openai:gpt-4o-mini
`,
    )
    .action(async (file: string, opts: UnitTestsOptions) => {
      const minCases = numberOption("--min-cases", opts.minCases, { integer: true, min: 0 });
      const maxFixes = numberOption("--max-fixes", opts.maxFixes, { integer: true, min: 0 });
      const maxRepairs = numberOption("--max-repairs", opts.maxRepairs, { integer: true, min: 0 });
      const temperature = numberOption("--temperature", opts.temperature, { min: 0, max: 2 });
      const { extractFunction, writeUnitTests } = await import("../programs/chains/index.js");
      // Bad paths and names fail before a model is looked for.
      await extractFunction({ file, name: opts.function });
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const { model } = await ctx.model(opts.model, { trace: false });
        const traces = opts.trace === false ? undefined : (await ctx.store()).traces;
        const result = await writeUnitTests({
          file,
          functionName: opts.function,
          model,
          minCases,
          maxFixes,
          maxRepairs,
          run: opts.run === true,
          settings: { temperature },
          outFile: opts.out,
          traces,
          modelFacts: ctx.config.modelFacts,
          onEvent: createProgress(opts.quiet === true),
        });
        if (!result.outFile) process.stdout.write(result.code);
        const calls = result.steps.filter((s) => s.kind === "model").reduce((n, s) => n + s.attempts, 0);
        for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
        if (!opts.quiet) {
          const wrote = result.outFile ? `wrote ${result.outFile}\n` : "";
          process.stderr.write(
            `${wrote}${calls} model calls · ${result.usage.inputTokens ?? "?"} in / ${result.usage.outputTokens ?? "?"} out · ${formatCost(result.costUsd)} · ${(result.latencyMs / 1000).toFixed(1)} s · run ${result.runId}\n`,
          );
        }
        if (result.run && !result.run.ok) {
          process.stderr.write(
            `error: ${result.run.failures.length} test(s) still fail after ${maxFixes} fix attempt(s); the test file was ${result.outFile ? "written" : "printed"} anyway. Review the failures above, raise --max-fixes, or use a stronger model.\n`,
          );
          process.exitCode = 1;
        }
      } finally {
        await ctx.close();
      }
    });
}
