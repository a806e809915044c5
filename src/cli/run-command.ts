import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";
import { formatCost, numberOption, printJson, readStdin, UsageError } from "./io.js";

interface RunOptions {
  model?: string;
  system?: string;
  maxTokens?: string;
  temperature?: string;
  seed?: string;
  stop?: string[];
  timeout?: string;
  retries?: string;
  raw?: boolean;
  json?: boolean;
  stream?: boolean;
  trace?: boolean;
}

export function registerRun(program: Command, globals: () => GlobalOptions): void {
  program
    .command("run")
    .description("Send one prompt to a model and print the reply (prompt from the argument or stdin).")
    .argument("[prompt]", "the prompt; read from stdin when omitted")
    .option(
      "-m, --model <id>",
      "model id provider:name (e.g. openai:gpt-4o-mini, local:./model.gguf); auto-detected when omitted",
    )
    .option("-s, --system <text>", "system prompt")
    .option("--max-tokens <n>", "maximum tokens to generate")
    .option("-t, --temperature <x>", "sampling temperature, 0 for greedy")
    .option("--seed <n>", "sampling seed, where the provider supports it")
    .option("--stop <text...>", "stop sequences")
    .option("--raw", "continue the prompt as raw text with no chat template (local and compatible servers)")
    .option("--timeout <ms>", "per-attempt timeout in milliseconds")
    .option("--retries <n>", "retries on rate limits, 5xx and dropped connections", "2")
    .option("--no-stream", "wait for the whole reply instead of streaming it")
    .option("--no-trace", "do not record this call in the trace store")
    .option("--json", "print one JSON object: text, model, usage, costUsd, latencyMs, finishReason")
    .addHelpText(
      "after",
      `
Examples:
  weft run "Write a haiku about rain" --model openai:gpt-4o-mini
  echo "Once upon a time" | weft run --model local:./stories260K.gguf --max-tokens 40 --temperature 0
  weft run "hi" --json`,
    )
    .action(async (promptArg: string | undefined, opts: RunOptions) => {
      const prompt = promptArg ?? (await readStdin());
      if (prompt === undefined || prompt.trim() === "") {
        throw new UsageError('No prompt given. Pass it as an argument (weft run "...") or pipe it on stdin.');
      }
      const settings = {
        maxTokens: numberOption("--max-tokens", opts.maxTokens, { integer: true, min: 1 }),
        temperature: numberOption("--temperature", opts.temperature, { min: 0, max: 2 }),
        seed: numberOption("--seed", opts.seed, { integer: true }),
        stop: opts.stop,
        timeoutMs: numberOption("--timeout", opts.timeout, { integer: true, min: 1 }),
        maxRetries: numberOption("--retries", opts.retries, { integer: true, min: 0 }),
      };
      const { createCliContext } = await import("./context.js");
      const { generateText, streamText } = await import("../generate/index.js");
      const ctx = await createCliContext(globals());
      try {
        const { model } = await ctx.model(opts.model, { trace: opts.trace });
        const input = opts.raw ? { rawPrompt: prompt } : { prompt, system: opts.system };
        const call = { model, ...input, ...settings, modelFacts: ctx.config.modelFacts };
        if (opts.json || opts.stream === false || !process.stdout.isTTY) {
          const r = await generateText(call);
          if (opts.json) {
            printJson({
              text: r.text,
              model: r.model,
              finishReason: r.finishReason,
              usage: r.usage,
              costUsd: r.costUsd,
              latencyMs: Math.round(r.latencyMs),
              attempts: r.attempts,
              warnings: r.warnings,
            });
          } else {
            process.stdout.write(r.text.endsWith("\n") ? r.text : `${r.text}\n`);
          }
          return;
        }
        const result = streamText(call);
        let last = "";
        for await (const delta of result.textStream) {
          process.stdout.write(delta);
          last = delta;
        }
        const done = await result.done;
        if (!last.endsWith("\n")) process.stdout.write("\n");
        process.stderr.write(
          `\x1b[2m${done.model} · ${done.usage.inputTokens ?? "?"} in / ${done.usage.outputTokens ?? "?"} out · ${formatCost(done.costUsd)} · ${Math.round(done.latencyMs)} ms\x1b[0m\n`,
        );
      } finally {
        await ctx.close();
      }
    });
}
