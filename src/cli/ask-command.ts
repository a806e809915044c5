import type { Command } from "commander";
import type { AskResult, AskSource } from "../memory/ask.js";
import type { LanguageModel, Message } from "../spec/language-model.js";
import type { GlobalOptions } from "./context.js";
import { formatCost, numberOption, printJson, UsageError } from "./io.js";
import { searchSettings } from "./search-command.js";

interface AskCliOptions {
  docs?: string[];
  model?: string;
  embedder?: string;
  showContext?: boolean;
  json?: boolean;
  topK: string;
  budget?: string;
  maxTokens?: string;
  mode?: string;
  path?: string[];
  tag?: string[];
  mmr?: boolean | string;
  stream?: boolean;
}

function contentOf(message: Message): string {
  return typeof message.content === "string" ? message.content : JSON.stringify(message.content);
}

/** The troubleshooting view: every message exactly as sent, between markers. */
function contextText(context: { messages: Message[]; tokens: number; budget: number }): string {
  const parts = context.messages.map((m) => `──── ${m.role} ────\n${contentOf(m)}`);
  return `${parts.join("\n")}\n──── end of context: ${context.tokens} of ${context.budget} tokens ────\n\n`;
}

/** What the passages would look like to a model, for the extractive case's troubleshooting view. */
async function extractiveContextText(sources: AskSource[]): Promise<string> {
  const { formatSource } = await import("../memory/ask-prompt.js");
  const blocks = sources.map((s) => formatSource(s.n, s));
  return `──── no model was called; the passages found, as a model would see them ────\n${blocks.join("\n\n") || "(none)"}\n──── end of context ────\n\n`;
}

function sourceLine(c: { n: number; location: string; headingPath: string[] }): string {
  return `  [${c.n}] ${c.location}${c.headingPath.length ? ` · ${c.headingPath.join(" › ")}` : ""}`;
}

function askJson(result: AskResult, showContext: boolean) {
  return {
    answer: result.answer,
    kind: result.kind,
    notFound: result.notFound,
    flagged: result.flagged,
    warnings: result.warnings,
    citations: result.citations,
    invalidCitations: result.invalidCitations,
    sources: result.sources,
    model: result.model ?? null,
    usage: result.usage ?? null,
    costUsd: result.costUsd ?? null,
    ...(result.hint ? { hint: result.hint } : {}),
    ...(showContext ? { context: result.messages } : {}),
    search: result.search,
  };
}

export function registerAsk(program: Command, globals: () => GlobalOptions): void {
  program
    .command("ask")
    .description(
      "Answer a question from the indexed documents, citing them as [n]; without a model, show the best passages.",
    )
    .argument("<question>", "the question")
    .option("--docs <path...>", "index these files, folders or globs first (only what changed) and answer from them")
    .option("-m, --model <id>", "model that writes the answer (auto-detected; none found means passages only)")
    .option("--embedder <id>", "embedding model for --docs and search (default: the index's)")
    .option("--show-context", "print exactly what the model saw: instructions, numbered sources, question")
    .option("--json", "print one JSON object: answer, citations, sources, flagged, warnings, usage, ...")
    .option("-k, --top-k <n>", "passages to retrieve before packing them into the budget", "8")
    .option("--budget <tokens>", "most prompt tokens (default: the model's context minus the answer's reserve)")
    .option("--max-tokens <n>", "longest answer, in tokens (default 1024)")
    .option("--mode <mode>", "search mode: text, vector or hybrid")
    .option("--path <glob...>", "only documents whose path matches a glob")
    .option("--tag <tag...>", "only documents indexed with all these tags")
    .option("--mmr [lambda]", "diversify the passages (maximal marginal relevance)")
    .option("--no-stream", "wait for the whole answer instead of streaming it")
    .addHelpText(
      "after",
      `
Examples:
  weft ask "When are public nights in summer?" --docs examples/corpus
  weft ask "Who founded the observatory?" --model openai:gpt-4o-mini --show-context
  weft ask "What does a family membership cost?" --json`,
    )
    .action(async (question: string, opts: AskCliOptions) => {
      if (!question.trim())
        throw new UsageError('The question is empty. Example: weft ask "What are the opening hours?"');
      const k = numberOption("-k", opts.topK, { integer: true, min: 1 }) ?? 8;
      const tokenBudget = numberOption("--budget", opts.budget, { integer: true, min: 64 });
      const maxAnswerTokens = numberOption("--max-tokens", opts.maxTokens, { integer: true, min: 1 });
      const { createCliContext } = await import("./context.js");
      const { ask } = await import("../memory/ask.js");
      const { NoModelConfiguredError } = await import("../spec/errors.js");
      const ctx = await createCliContext(globals());
      try {
        const store = await ctx.store();
        let documentIds: string[] | undefined;
        if (opts.docs?.length) {
          const { runIndex, reportProblems } = await import("./index-command.js");
          const summary = await runIndex(ctx, { paths: opts.docs, embedder: opts.embedder });
          reportProblems(summary);
          documentIds = [...summary.added, ...summary.updated, ...summary.unchanged];
          if (process.stderr.isTTY && !opts.json) {
            const { describeSummary } = await import("./index-command.js");
            process.stderr.write(`\x1b[2mindexed ${describeSummary(summary)}\x1b[0m\n`);
          }
        }
        const settings = await searchSettings(ctx, opts);
        if (documentIds) settings.filters = { ...settings.filters, documentIds };

        let model: LanguageModel | undefined;
        try {
          ({ model } = await ctx.model(opts.model));
        } catch (error) {
          // Only auto-detection may come up empty; a model the user named must work.
          if (opts.model || !NoModelConfiguredError.isInstance(error)) throw error;
        }

        const streaming = Boolean(model && !opts.json && opts.stream !== false && process.stdout.isTTY);
        let streamed = false;
        const result = await ask({
          store,
          question,
          model,
          embedder: settings.embedder,
          k,
          tokenBudget,
          maxAnswerTokens,
          search: settings,
          modelFacts: ctx.config.modelFacts,
          onContext:
            opts.showContext && !opts.json ? (context) => process.stdout.write(contextText(context)) : undefined,
          onText: streaming
            ? (delta) => {
                streamed = true;
                process.stdout.write(delta);
              }
            : undefined,
        });

        if (opts.json) return printJson(askJson(result, Boolean(opts.showContext)));
        if (opts.showContext && result.kind === "extractive") {
          process.stdout.write(await extractiveContextText(result.sources));
        }
        if (streamed) process.stdout.write("\n");
        else process.stdout.write(`${result.answer}\n`);
        if (result.citations.length && result.kind === "generated") {
          process.stdout.write(`\nSources:\n${result.citations.map(sourceLine).join("\n")}\n`);
        }
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        if (result.sources.length === 0 && (await store.documents.count()).documents === 0) {
          process.stderr.write(
            `The index in ${store.location} is empty: pass --docs <folder>, or index first with weft index <paths>.\n`,
          );
        }
        if (result.hint) process.stderr.write(`\n${result.hint}\n`);
        if (result.kind === "generated" && result.usage && process.stderr.isTTY) {
          process.stderr.write(
            `\x1b[2m${result.model} · ${result.usage.inputTokens ?? "?"} in / ${result.usage.outputTokens ?? "?"} out · ${formatCost(result.costUsd ?? null)}\x1b[0m\n`,
          );
        }
      } finally {
        await ctx.close();
      }
    });
}
