import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";
import { printJson, readStdin, UsageError } from "./io.js";

export function registerTokens(program: Command, globals: () => GlobalOptions): void {
  program
    .command("tokens")
    .description("Count the tokens of a text with a model's own tokenizer (text from the argument or stdin).")
    .argument("[text]", "the text; read from stdin when omitted")
    .requiredOption("-m, --model <id>", "model id, e.g. openai:gpt-4o-mini or local:./model.gguf")
    .option("--json", "print { model, tokens, characters }")
    .action(async (textArg: string | undefined, opts: { model: string; json?: boolean }) => {
      const text = textArg ?? (await readStdin());
      if (text === undefined)
        throw new UsageError('No text given. Pass it as an argument (weft tokens "...") or pipe it on stdin.');
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const model = await ctx.registry.languageModel(opts.model);
        if (!model.countTokens) {
          throw new UsageError(
            `${opts.model} has no tokenizer weft can run; token counts for it are only known after a call (see weft traces).`,
          );
        }
        const tokens = await model.countTokens(text);
        if (opts.json) printJson({ model: opts.model, tokens, characters: text.length });
        else process.stdout.write(`${tokens}\n`);
      } finally {
        await ctx.close();
      }
    });
}
