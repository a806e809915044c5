import type { Command } from "commander";
import type { GlobalOptions } from "./context.js";
import { formatCost, numberOption, printJson } from "./io.js";

export function registerTraces(program: Command, globals: () => GlobalOptions): void {
  program
    .command("traces")
    .description("List recent model calls from the trace store: time, model, tokens, cost, latency, errors.")
    .option("-n, --limit <n>", "how many (newest first)", "20")
    .option("--session <name>", "only calls of this chat session")
    .option("--since <iso-time>", "only calls started at or after this time")
    .option("--json", "print the full trace records as JSON")
    .action(async (opts: { limit: string; session?: string; since?: string; json?: boolean }) => {
      const limit = numberOption("--limit", opts.limit, { integer: true, min: 1 });
      if (opts.since !== undefined && Number.isNaN(Date.parse(opts.since))) {
        const { UsageError } = await import("./io.js");
        throw new UsageError(`--since must be an ISO date or time (e.g. 2026-01-31T12:00:00Z), got '${opts.since}'.`);
      }
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const store = await ctx.store();
        const traces = await store.traces.list({
          limit,
          sessionId: opts.session,
          since: opts.since ? new Date(opts.since).toISOString() : undefined,
        });
        if (opts.json) return printJson(traces);
        if (traces.length === 0) {
          process.stdout.write(`No traces yet in ${store.location}. Run a model call first, e.g. weft run "hi".\n`);
          return;
        }
        const rows = traces.map((t) => [
          t.startedAt.replace("T", " ").slice(0, 19),
          `${t.provider}:${t.modelId}`,
          t.operation,
          String(t.usage.inputTokens ?? "-"),
          String(t.usage.outputTokens ?? "-"),
          formatCost(t.costUsd),
          `${Math.round(t.latencyMs)} ms`,
          t.error ? `${t.error.code ?? t.error.name}: ${t.error.message.slice(0, 60)}` : "ok",
        ]);
        const header = ["time", "model", "op", "in", "out", "cost", "latency", "status"];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
        const line = (cells: string[]) =>
          cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ");
        process.stdout.write(`${line(header)}\n${rows.map(line).join("\n")}\n`);
      } finally {
        await ctx.close();
      }
    });
}
