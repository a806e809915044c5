import type { Command } from "commander";
import type { SearchMode, SearchOptions } from "../memory/search.js";
import type { SearchResult } from "../memory/search-result.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { numberOption, printJson, UsageError } from "./io.js";

interface SearchCliOptions {
  topK?: string;
  mode?: string;
  path?: string[];
  tag?: string[];
  embedder?: string;
  mmr?: boolean | string;
  hyde?: boolean;
  rewrite?: boolean;
  rerank?: boolean;
  model?: string;
  json?: boolean;
}

const MODES = ["text", "vector", "hybrid"];

/** The search settings the flags shared by `search` and `ask` describe. */
export async function searchSettings(
  ctx: CliContext,
  opts: Omit<SearchCliOptions, "topK" | "json">,
): Promise<Omit<SearchOptions, "store" | "query" | "k">> {
  if (opts.mode !== undefined && !MODES.includes(opts.mode)) {
    throw new UsageError(`--mode must be one of ${MODES.join(", ")}, got '${opts.mode}'.`);
  }
  const lambda = typeof opts.mmr === "string" ? numberOption("--mmr", opts.mmr, { min: 0, max: 1 }) : undefined;
  const { resolveEmbedder } = await import("../memory/resolve-embedder.js");
  const store = await ctx.store();
  const embedder =
    opts.mode === "text"
      ? undefined
      : await resolveEmbedder({
          explicit: opts.embedder,
          configured: ctx.config.embeddingModel,
          documents: store.documents,
          registry: ctx.registry,
        });
  const settings: Omit<SearchOptions, "store" | "query" | "k"> = {
    mode: opts.mode as SearchMode | undefined,
    embedder,
    filters: { pathGlob: opts.path, tags: opts.tag },
    mmr: opts.mmr === undefined ? undefined : lambda === undefined ? true : { lambda },
  };
  if (opts.hyde || opts.rewrite || opts.rerank) {
    const { model } = await ctx.model(opts.model);
    if (opts.hyde) settings.hyde = model;
    if (opts.rewrite) settings.rewrite = model;
    if (opts.rerank) settings.rerank = model;
  }
  return settings;
}

/** The JSON shape of one result: everything but internal metadata. */
export function resultJson(r: SearchResult) {
  return {
    id: r.id,
    source: r.source,
    score: r.score,
    text: r.text,
    title: r.title,
    headingPath: r.headingPath,
    lines: r.lines,
    pages: r.pages,
    scores: r.scores,
  };
}

export function registerSearch(program: Command, globals: () => GlobalOptions): void {
  program
    .command("search")
    .description("Search the indexed documents: full text (BM25), vectors, or both fused (hybrid).")
    .argument("<query>", "what to look for, in plain words")
    .option("-k, --top-k <n>", "number of results", "10")
    .option("--mode <mode>", "text, vector or hybrid (default: hybrid when the index has vectors, else text)")
    .option("--path <glob...>", "only documents whose path matches a glob, e.g. 'docs/**' or '*.pdf'")
    .option("--tag <tag...>", "only documents indexed with all these tags")
    .option("--embedder <id>", "the index's embedding model (default: the one the index records)")
    .option("--mmr [lambda]", "diversify results (maximal marginal relevance); lambda 0..1, default 0.5")
    .option("--hyde", "also embed a hypothetical answer written by the model (vector modes)")
    .option("--rewrite", "also search with model-written rewrites of the query")
    .option("--rerank", "rescore the best candidates with the model")
    .option("-m, --model <id>", "model for --hyde, --rewrite and --rerank (auto-detected when omitted)")
    .option("--json", "print an array of results: id, source, score, text, headingPath, lines or pages")
    .addHelpText(
      "after",
      `
Examples:
  weft search "dark adaptation" -k 3
  weft search "membership prices" --path '*.csv' --json
  weft search "how do I get there at night" --mode hybrid --mmr 0.7`,
    )
    .action(async (query: string, opts: SearchCliOptions) => {
      const k = numberOption("-k", opts.topK, { integer: true, min: 1 }) ?? 10;
      if (!query.trim()) throw new UsageError('The query is empty. Example: weft search "opening hours".');
      const { createCliContext } = await import("./context.js");
      const { search } = await import("../memory/search.js");
      const { formatLocation } = await import("../memory/search-result.js");
      const ctx = await createCliContext(globals());
      try {
        const store = await ctx.store();
        const settings = await searchSettings(ctx, opts);
        const response = await search({ ...settings, store, query, k });
        for (const w of response.warnings) process.stderr.write(`warning: ${w}\n`);
        if (opts.json) return printJson(response.results.map(resultJson));
        if (response.results.length === 0) {
          const { documents } = await store.documents.count();
          process.stdout.write(
            documents === 0
              ? `The index in ${store.location} is empty. Index something first: weft index <paths>\n`
              : "No passage matched.\n",
          );
          return;
        }
        const lines = response.results.map((r, i) => {
          const section = r.headingPath.length ? ` · ${r.headingPath.join(" › ")}` : "";
          const text = r.text.replace(/\s+/g, " ").trim();
          const preview = text.length > 240 ? `${text.slice(0, 240)}…` : text;
          return `${i + 1}. ${formatLocation(r)}${section} · ${r.score.toFixed(3)}\n   ${preview}`;
        });
        process.stdout.write(`${lines.join("\n\n")}\n`);
      } finally {
        await ctx.close();
      }
    });
}
