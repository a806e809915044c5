import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";
import { printJson, UsageError } from "./io.js";

export function registerCache(program: Command, globals: () => GlobalOptions): void {
  const cache = program
    .command("cache")
    .description("Manage the cache of model results (gen and select results served again at no cost).");
  cache
    .command("clear")
    .description("Delete cached model results: all of them, or one namespace.")
    .option("--namespace <name>", "only this namespace (e.g. gen, select)")
    .option("--json", "print { removed, namespace }")
    .action(async (opts: { namespace?: string; json?: boolean }) => {
      if (opts.namespace !== undefined && opts.namespace.trim() === "") {
        throw new UsageError("--namespace needs a name, e.g. --namespace gen (omit it to clear everything).");
      }
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const store = await ctx.store();
        const removed = await store.cache.clear(opts.namespace);
        if (opts.json) return printJson({ removed, namespace: opts.namespace ?? null });
        const scope = opts.namespace === undefined ? "" : ` from namespace '${opts.namespace}'`;
        process.stdout.write(`Removed ${removed} cached ${removed === 1 ? "entry" : "entries"}${scope}.\n`);
      } finally {
        await ctx.close();
      }
    });
}
