import type { Command } from "commander";
import type { IndexSummary } from "../memory/index-paths.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { numberOption, printJson } from "./io.js";

interface IndexOptions {
  embedder?: string;
  rebuild?: boolean;
  tag?: string[];
  maxTokens?: string;
  overlap?: string;
  json?: boolean;
}

/** One line for people: "13 files: 12 new, 1 changed, ... (52 chunks, 0.4 s)". */
export function describeSummary(summary: IndexSummary): string {
  const files = summary.added.length + summary.updated.length + summary.unchanged.length + summary.failed.length;
  const parts = [
    `${summary.added.length} new`,
    `${summary.updated.length} changed`,
    `${summary.unchanged.length} unchanged`,
    `${summary.removed.length} removed`,
    `${summary.failed.length} failed`,
  ];
  const vectors = summary.embedder ? `, vectors from ${summary.embedder}` : ", full text only";
  return `${files} files: ${parts.join(", ")} (${summary.chunks} chunks written${vectors}, ${(summary.durationMs / 1000).toFixed(1)} s).`;
}

/** Names every file that failed or loaded with warnings, on stderr. */
export function reportProblems(summary: IndexSummary): void {
  for (const f of summary.failed) process.stderr.write(`skipped ${f.source}: ${f.reason}\n`);
  for (const w of summary.warnings) process.stderr.write(`warning: ${w.source}: ${w.message}\n`);
}

/** Indexes `paths` with the embedder the flags, config or index name, showing a bar on a terminal. */
export async function runIndex(
  ctx: CliContext,
  options: {
    paths: string[];
    embedder?: string;
    rebuild?: boolean;
    tags?: string[];
    maxTokens?: number;
    overlapTokens?: number;
  },
): Promise<IndexSummary> {
  const { indexPaths } = await import("../memory/index-paths.js");
  const { resolveEmbedder } = await import("../memory/resolve-embedder.js");
  const { createIndexProgressBar } = await import("../memory/progress-bar.js");
  const store = await ctx.store();
  const embedder = await resolveEmbedder({
    explicit: options.embedder,
    configured: ctx.config.embeddingModel,
    // A rebuild starts over, so the recorded embedder is no default then.
    documents: options.rebuild ? { getVectorConfig: async () => undefined } : store.documents,
    registry: ctx.registry,
  });
  const bar = await createIndexProgressBar();
  try {
    return await indexPaths({
      store,
      paths: options.paths,
      cwd: ctx.cwd,
      embedder,
      rebuild: options.rebuild,
      tags: options.tags,
      chunking: { maxTokens: options.maxTokens, overlapTokens: options.overlapTokens },
      onProgress: bar.onProgress,
    });
  } finally {
    bar.stop();
  }
}

export function registerIndex(program: Command, globals: () => GlobalOptions): void {
  program
    .command("index")
    .description("Index files, folders or globs into the store for search and ask; only changed files are redone.")
    .argument("<paths...>", "files, folders or glob patterns (quote globs: 'docs/**/*.md')")
    .option("--embedder <id>", "embedding model, e.g. openai:text-embedding-3-small (default: config or the index's)")
    .option("--rebuild", "drop the whole index first (needed to switch embedders)")
    .option("--tag <tag...>", "tag every document of this run (search with --tag)")
    .option("--max-tokens <n>", "largest chunk in tokens")
    .option("--overlap <n>", "tokens shared by neighbouring chunks")
    .option("--json", "print the summary as JSON: added, updated, unchanged, removed, failed, ...")
    .addHelpText(
      "after",
      `
Supported: .txt .md .html .pdf .docx .csv .json .jsonl. Without an embedder the index is full text
only (BM25); with one, search and ask also use vectors (hybrid).

Examples:
  weft index examples/corpus
  weft index 'notes/**/*.md' manual.pdf --embedder ollama:nomic-embed-text
  weft index docs --embedder openai:text-embedding-3-small --rebuild`,
    )
    .action(async (paths: string[], opts: IndexOptions) => {
      const maxTokens = numberOption("--max-tokens", opts.maxTokens, { integer: true, min: 16 });
      const overlapTokens = numberOption("--overlap", opts.overlap, { integer: true, min: 0 });
      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      try {
        const summary = await runIndex(ctx, {
          paths,
          embedder: opts.embedder,
          rebuild: opts.rebuild,
          tags: opts.tag,
          maxTokens,
          overlapTokens,
        });
        if (opts.json) {
          printJson({ ...summary, store: (await ctx.store()).location, durationMs: Math.round(summary.durationMs) });
          return;
        }
        reportProblems(summary);
        process.stdout.write(`${describeSummary(summary)}\n`);
      } finally {
        await ctx.close();
      }
    });
}
