import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";
import { printJson } from "./io.js";

export function registerModels(program: Command, globals: () => GlobalOptions): void {
  program
    .command("models")
    .description(
      "Show the model weft would use and every model it can find (config, API keys, local servers, .gguf files).",
    )
    .option("--no-probe", "do not probe OpenAI-compatible servers on localhost")
    .option("--json", "print JSON: { default, candidates, tried }")
    .action(async (opts: { probe?: boolean; json?: boolean }) => {
      const { loadConfig } = await import("../models/config.js");
      const { detectModels } = await import("../models/auto-detect.js");
      const { config, path } = loadConfig({ path: globals().config });
      const { candidates, tried } = await detectModels({ config, probeServers: opts.probe, firstOnly: false });
      const chosen = candidates[0];
      if (opts.json) {
        printJson({ default: chosen ?? null, candidates, tried, configFile: path ?? null });
        return;
      }
      process.stdout.write(`Config file: ${path ?? "none (weft.config.json not found)"}\n`);
      if (!chosen) {
        process.stdout.write(`No model found. Looked for: ${tried.join("; ")}.\n`);
        process.stdout.write(
          'Fix: pass --model provider:name, set "model" in weft.config.json, export OPENAI_API_KEY or ANTHROPIC_API_KEY, start Ollama, or put a .gguf in the models folder.\n',
        );
        return;
      }
      process.stdout.write(`Default model: ${chosen.id} (from ${chosen.source})\n\nAvailable:\n`);
      for (const c of candidates) process.stdout.write(`  ${c.id.padEnd(40)} ${c.source}\n`);
    });
}
