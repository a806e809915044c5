import type { Command } from "commander";
import type { AgentEvent, AgentResult } from "../agents/loop/index.js";
import type { AnyTool } from "../agents/tool.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { formatCost, numberOption, printJson, readStdin, UsageError } from "./io.js";

interface AgentCliOptions {
  tools: string;
  mcp?: string;
  model?: string;
  system?: string;
  session?: string;
  yes?: boolean;
  json?: boolean;
  maxSteps: string;
  timeLimit?: string;
  protocol: string;
  workspace?: string;
  allowHost?: string[];
  allowPrivate?: string[];
  file?: string[];
  db?: string;
  memoryTokens: string;
  trace?: boolean;
}

const PROTOCOLS = ["auto", "native", "react"];
export const DEFAULT_AGENT_TOOLS = "calculator,code";

export function registerAgent(program: Command, globals: () => GlobalOptions): void {
  program
    .command("agent")
    .description("Let a model use tools to carry out a task: it calls tools, reads their results and answers.")
    .argument("[task]", "what to do; read from stdin when omitted")
    .option(
      "--tools <names>",
      "comma-separated built-in tools (see the list below); 'none' for no tools",
      DEFAULT_AGENT_TOOLS,
    )
    .option("--mcp <servers>", "also use the tools of these MCP servers from weft.config.json ('all' for every one)")
    .option("-m, --model <id>", "model id provider:name; auto-detected when omitted")
    .option("-s, --system <text>", "system prompt")
    .option(
      "--session <name>",
      "remember the conversation (and the system prompt and model) in the store under this name; continue it next time",
    )
    .option("-y, --yes", "allow tools with side effects (http_post, ...) without asking")
    .option(
      "--json",
      "print one JSON object: answer, steps [{ tool, input, output, isError }], usage, costUsd, finishReason",
    )
    .option("--max-steps <n>", "model calls that may use tools before the agent must answer", "10")
    .option("--time-limit <seconds>", "stop the whole run after this many seconds")
    .option("--protocol <name>", "auto | native (provider tool calling) | react (text protocol)", "auto")
    .option("--workspace <dir>", "folder the files tool may read (default: the current folder)")
    .option(
      "--allow-host <host...>",
      "http_get, http_post, wikipedia: only these hosts (exact or *.suffix); default any public host",
    )
    .option(
      "--allow-private <cidr...>",
      "http_get, http_post, wikipedia, web_search: also allow these private/loopback ranges, e.g. 127.0.0.1/32 (refused by default)",
    )
    .option("--file <path...>", "sql tool: data files (csv, tsv, xlsx, parquet, json, jsonl) to query")
    .option("--db <target>", "sql tool: a SQLite or DuckDB file, or a postgres:// URL, to query")
    .option("--memory-tokens <n>", "with --session: tokens of earlier conversation the model sees", "8000")
    .option("--no-trace", "do not record model and tool calls in the trace store")
    .addHelpText(
      "after",
      () => `
Tools (default: ${DEFAULT_AGENT_TOOLS}): calculator, code (sandboxed JavaScript), files (read-only,
inside --workspace), http_get, http_post (side effect), http (both), web_search (WEFT_SEARXNG_URL,
BRAVE_API_KEY or TAVILY_API_KEY), wikipedia, docs_search (documents indexed with 'weft index'),
sql (with --file or --db).

Tools with side effects ask for confirmation on a terminal; without a terminal they are refused
unless --yes is given. Tool calls and results are shown on stderr, the answer on stdout.
When the step limit is reached the model is asked once more, without tools, for its best answer;
the exit code is 1 only when no answer came. Options taking several values (--file, --allow-host,
--allow-private) read until the next option, so give the task before them.

Examples:
  weft agent "What is 17.5% of 2,340 plus the square root of 1764?"
  weft agent "Which sheet has the most rows?" --tools sql --file sales.xlsx
  weft agent "Summarise what our docs say about backups" --tools docs_search --session notes
  weft agent "Add up the numbers in notes.txt" --tools files,calculator --workspace ./notes --json`,
    )
    .action(async (taskArg: string | undefined, opts: AgentCliOptions) => {
      const task = (taskArg ?? (await readStdin()))?.trim();
      if (!task) {
        throw new UsageError('No task given. Pass it as an argument (weft agent "...") or pipe it on stdin.');
      }
      if (!PROTOCOLS.includes(opts.protocol)) {
        throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(", ")}, got '${opts.protocol}'.`);
      }
      const maxSteps = numberOption("--max-steps", opts.maxSteps, { integer: true, min: 1 }) as number;
      const timeLimit = numberOption("--time-limit", opts.timeLimit, { min: 0.001 });
      const memoryTokens = numberOption("--memory-tokens", opts.memoryTokens, { integer: true, min: 100 }) as number;
      const toolNames = await checkToolNames(opts);

      const { createCliContext } = await import("./context.js");
      const ctx = await createCliContext(globals());
      const closers: Array<() => Promise<void>> = [];
      try {
        const tools = await agentTools(ctx, toolNames, opts, closers);
        if (opts.mcp) tools.push(...(await mcpTools(ctx, opts.mcp, tools, closers)));
        const store = opts.session || opts.trace !== false ? await ctx.store() : undefined;
        // A session remembers its system prompt and model, like `weft chat`, so a later run continues as it began.
        const saved = opts.session && store ? (await store.sessions.get(opts.session))?.metadata : undefined;
        const system = opts.system ?? stringOf(saved?.system);
        const { model } = await ctx.model(opts.model ?? stringOf(saved?.model), {
          trace: opts.trace,
          sessionId: opts.session,
        });
        const { streamAgent, autoApprove, terminalApprover, sessionMemory, bufferMemory } = await import(
          "../agents/index.js"
        );
        const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
        const run = streamAgent({
          model,
          tools,
          prompt: task,
          system,
          maxSteps,
          timeLimitMs: timeLimit === undefined ? undefined : timeLimit * 1000,
          protocol: opts.protocol as "auto" | "native" | "react",
          approve: opts.yes ? autoApprove : interactive ? terminalApprover() : undefined,
          memory:
            opts.session && store
              ? sessionMemory({
                  sessions: store.sessions,
                  name: opts.session,
                  inner: bufferMemory({ maxTokens: memoryTokens }),
                })
              : undefined,
          traces: opts.trace === false ? undefined : store?.traces,
          sessionId: opts.session,
          modelFacts: ctx.config.modelFacts,
        });
        const printer = progressPrinter({
          dim: Boolean(process.stderr.isTTY) && !process.env.NO_COLOR,
          streamAnswer: !opts.json && Boolean(process.stdout.isTTY),
          // JSON output keeps stderr quiet except for what the user must act on.
          steps: !opts.json,
        });
        for await (const event of run) printer.show(event);
        const result = await run.result;
        if (opts.session && store) {
          const meta = (await store.sessions.get(opts.session))?.metadata ?? {};
          await store.sessions.setMetadata(opts.session, {
            ...meta,
            system,
            model: `${model.provider}:${model.modelId}`,
          });
        }
        if (opts.json) {
          printJson({
            answer: result.answer,
            steps: result.steps.map((s) => ({ tool: s.tool, input: s.input, output: s.output, isError: s.isError })),
            usage: result.usage,
            costUsd: result.costUsd,
            finishReason: result.finishReason,
          });
        } else {
          printSummary(result, { denied: printer.denied(), streamed: printer.streamedAnswer(), dim: printer.dim });
        }
        if (result.finishReason !== "answer" && result.answer.trim() === "") {
          const { WeftError } = await import("../spec/errors.js");
          throw new WeftError("agent-incomplete", incompleteMessage(result, maxSteps));
        }
      } finally {
        for (const close of closers.reverse()) await close().catch(() => {});
        await ctx.close();
      }
    });
}

const stringOf = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The tool names of `--tools`, checked before anything is opened so a typo is a usage error. */
async function checkToolNames(opts: AgentCliOptions): Promise<string[]> {
  const names =
    opts.tools.trim() === "none"
      ? []
      : opts.tools
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean);
  const { knownToolNames } = await import("../agents/tools/tool-names.js");
  const known = knownToolNames();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown tool${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `'${n}'`).join(", ")} in --tools. Known tools: ${known.join(", ")} (or 'none').`,
    );
  }
  if (opts.file && opts.db) throw new UsageError("Give --file or --db, not both.");
  const wantsSql = names.includes("sql");
  if (wantsSql && !opts.file && !opts.db) {
    throw new UsageError(
      "The sql tool needs data: pass --file <paths...> (csv, xlsx, parquet, json) or --db <target>.",
    );
  }
  if (!wantsSql && (opts.file || opts.db)) {
    throw new UsageError(`${opts.file ? "--file" : "--db"} is data for the sql tool; add sql to --tools.`);
  }
  return names;
}

/** Built-in tools by name, each given what it needs from the command line. */
async function agentTools(
  ctx: CliContext,
  names: string[],
  opts: AgentCliOptions,
  closers: Array<() => Promise<void>>,
): Promise<AnyTool[]> {
  const { resolveToolNames } = await import("../agents/tools/tool-names.js");
  const { resolve } = await import("node:path");
  return resolveToolNames(names, {
    store: () => ctx.store(),
    embedder: async () => {
      const { resolveEmbedder } = await import("../memory/resolve-embedder.js");
      const store = await ctx.store();
      return resolveEmbedder({
        configured: ctx.config.embeddingModel,
        documents: store.documents,
        registry: ctx.registry,
      });
    },
    workspace: resolve(ctx.cwd, opts.workspace ?? "."),
    net: { allowHosts: opts.allowHost, allowPrivateNetwork: opts.allowPrivate },
    env: ctx.env,
    data: opts.file
      ? { file: opts.file, cwd: ctx.cwd, env: ctx.env }
      : opts.db
        ? { db: opts.db, cwd: ctx.cwd, env: ctx.env }
        : undefined,
    onClose: (close) => closers.push(close),
  });
}

async function mcpTools(
  ctx: CliContext,
  servers: string,
  builtIn: AnyTool[],
  closers: Array<() => Promise<void>>,
): Promise<AnyTool[]> {
  const { loadMcpTools, mcpServerConfigs } = await import("../agents/index.js");
  const configured = mcpServerConfigs(ctx.config.mcpServers);
  const wanted = servers === "all" ? configured.map((c) => c.name) : servers.split(",").map((s) => s.trim());
  const unknown = wanted.filter((name) => !configured.some((c) => c.name === name));
  if (unknown.length > 0) {
    const known = configured.map((c) => c.name);
    throw new UsageError(
      `No MCP server named ${unknown.map((n) => `'${n}'`).join(", ")} in the config file. ${
        known.length ? `Configured: ${known.join(", ")}.` : 'Add it under "mcpServers" in weft.config.json.'
      }`,
    );
  }
  const loaded = await loadMcpTools(
    configured.filter((c) => wanted.includes(c.name)),
    { reservedNames: builtIn.map((t) => t.name), env: ctx.env, cwd: ctx.cwd },
  );
  closers.push(() => loaded.close());
  return loaded.tools;
}

const DIM = (s: string) => `\x1b[2m${s}\x1b[0m`;
const PLAIN = (s: string) => s;

function preview(value: unknown, max = 160): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const flat = (text ?? String(value)).replace(/\s+/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

interface ProgressPrinter {
  show(event: AgentEvent): void;
  /** Whether the answer already went to stdout as it was written. */
  streamedAnswer(): boolean;
  /** Whether a side-effecting call was refused for want of a terminal. */
  denied(): boolean;
  dim: (s: string) => string;
}

/**
 * Shows a run as it happens: tool calls, results and refusals on stderr (so stdout holds only the
 * answer), and on a terminal the answer streamed to stdout.
 */
function progressPrinter(options: { dim: boolean; streamAnswer: boolean; steps: boolean }): ProgressPrinter {
  const dim = options.dim ? DIM : PLAIN;
  let streamed = false;
  let denied = false;
  const show = (event: AgentEvent) => {
    switch (event.type) {
      case "tool-call":
        if (options.steps)
          process.stderr.write(`${dim(`→ ${event.toolCall.toolName} ${preview(event.toolCall.input)}`)}\n`);
        break;
      case "tool-result":
        if (options.steps) {
          const label = `← ${event.toolName}${event.isError ? " (error)" : ""}`;
          process.stderr.write(`${dim(`${label}: ${preview(event.output)}`)}\n`);
        }
        break;
      case "approval-denied":
        if (event.reason === "no-approver") denied = true;
        process.stderr.write(
          `${event.toolCall.toolName} was not run: ${
            event.reason === "no-approver"
              ? "it has side effects and there is no terminal to ask; pass --yes to allow it."
              : "you declined."
          }\n`,
        );
        break;
      case "text-delta":
        if (options.streamAnswer) {
          process.stdout.write(event.delta);
          streamed = true;
        }
        break;
      case "step-start":
        // Text streamed in a step that then called tools was a thought, not the answer.
        if (streamed) process.stdout.write("\n");
        streamed = false;
        break;
    }
  };
  return { show, streamedAnswer: () => streamed, denied: () => denied, dim };
}

function printSummary(
  result: AgentResult,
  { denied, streamed, dim }: { denied: boolean; streamed: boolean; dim: (s: string) => string },
): void {
  if (streamed) process.stdout.write("\n");
  else if (result.answer.trim()) process.stdout.write(`${result.answer.trim()}\n`);
  const notes: string[] = [];
  if (result.finishReason === "step-limit") notes.push("stopped at the step limit (raise --max-steps)");
  if (result.finishReason === "time-limit") notes.push("stopped at the time limit (raise --time-limit)");
  if (denied) notes.push("some tools were refused (pass --yes to allow side effects)");
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const { inputTokens = "?", outputTokens = "?" } = result.usage;
  const line = [
    plural(result.steps.length, "tool call"),
    plural(result.modelCalls, "model call"),
    `${inputTokens} in / ${outputTokens} out`,
    formatCost(result.costUsd),
    ...notes,
  ].join(" · ");
  process.stderr.write(`${dim(line)}\n`);
}

function incompleteMessage(result: AgentResult, maxSteps: number): string {
  if (result.finishReason === "step-limit") {
    return `The agent reached the step limit (${maxSteps}) without an answer. Raise --max-steps or make the task smaller.`;
  }
  if (result.finishReason === "time-limit") {
    return "The agent ran out of time before answering. Raise --time-limit or make the task smaller.";
  }
  return "The agent stopped before answering.";
}
