import type { Command } from "commander";
import { knownToolNames } from "../agents/tools/tool-names.js";
import type { CliContext, GlobalOptions } from "./context.js";
import { numberOption, printJson, UsageError } from "./io.js";

interface McpCliOptions {
  http?: string;
  host?: string;
  tools?: string;
  embedder?: string;
  workspace?: string;
  file?: string[];
  db?: string;
}

const DEFAULT_TOOLS = ["docs_search"];

/** The tools `weft mcp` offers: the named built-ins, with docs_search reading the CLI's store. */
async function serverTools(ctx: CliContext, names: string[], opts: McpCliOptions, closers: Array<() => Promise<void>>) {
  const { resolveToolNames } = await import("../agents/tools/tool-names.js");
  const { InvalidArgumentError } = await import("../spec/errors.js");
  const { resolve } = await import("node:path");
  return resolveToolNames(names, {
    workspace: resolve(ctx.cwd, opts.workspace ?? "."),
    env: ctx.env,
    data: opts.file?.length
      ? { file: opts.file, cwd: ctx.cwd, env: ctx.env }
      : opts.db
        ? { db: opts.db, cwd: ctx.cwd, env: ctx.env }
        : undefined,
    onClose: (close) => closers.push(close),
    store: async () => {
      const store = await ctx.store();
      const { documents } = await store.documents.count();
      if (documents === 0) {
        process.stderr.write(
          `warning: the index in ${store.location} is empty, so docs_search finds nothing. Index documents first: weft index <paths>\n`,
        );
      }
      return store;
    },
    embedder: async () => {
      const { resolveEmbedder } = await import("../memory/resolve-embedder.js");
      const store = await ctx.store();
      return resolveEmbedder({
        explicit: opts.embedder,
        configured: ctx.config.embeddingModel,
        documents: store.documents,
        registry: ctx.registry,
      });
    },
  }).catch((error: unknown) => {
    // A misspelt --tools name is a usage mistake, not a failure.
    if (InvalidArgumentError.isInstance(error) && error.argument === "tools") throw new UsageError(error.message);
    throw error;
  });
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

export function registerMcp(program: Command, globals: () => GlobalOptions): void {
  const mcp = program
    .command("mcp")
    .description(
      "Serve weft's tools to MCP clients: on stdio (for clients that start weft) or over Streamable HTTP with --http.",
    )
    .option("--http <port>", "serve Streamable HTTP at http://<host>:<port>/mcp instead of stdio (0: any free port)")
    .option("--host <host>", "address to listen on with --http (default 127.0.0.1; others expose the tools)")
    .option(
      "--tools <names>",
      `comma-separated tools to offer (default: docs_search); known: ${knownToolNames().join(", ")}`,
    )
    .option("--embedder <id>", "the index's embedding model for docs_search (default: the one the index records)")
    .option("--workspace <dir>", "the folder the files tool may read (default: the current folder)")
    .option("--file <paths...>", "data files (CSV, Excel, Parquet, JSON) the sql tool queries")
    .option("--db <path-or-url>", "a SQLite or DuckDB file, or a postgres:// URL, the sql tool queries")
    .addHelpText(
      "after",
      `
Examples:
  weft mcp                                   # stdio, for a client's config: {"command": "weft", "args": ["mcp"]}
  weft mcp --tools docs_search,calculator
  weft mcp --tools sql --file sales.xlsx        # read-only SQL over the file's tables
  weft mcp --http 3333                       # http://127.0.0.1:3333/mcp
  weft mcp list                              # the tools of the MCP servers in weft.config.json`,
    )
    .action(async (opts: McpCliOptions) => {
      const port = numberOption("--http", opts.http, { integer: true, min: 0, max: 65535 });
      if (opts.host !== undefined && port === undefined) {
        throw new UsageError("--host only applies with --http <port>; stdio needs no address.");
      }
      const names = opts.tools === undefined ? DEFAULT_TOOLS : opts.tools.split(",").map((s) => s.trim());
      if (names.every((n) => !n)) throw new UsageError("--tools is empty. Example: --tools docs_search,calculator");
      const { createCliContext } = await import("./context.js");
      const { VERSION } = await import("./version.js");
      if (opts.file?.length && opts.db) throw new UsageError("Give either --file or --db, not both.");
      if (names.includes("sql") && !opts.file?.length && !opts.db) {
        throw new UsageError("The sql tool needs data: add --file <paths...> or --db <path-or-url>.");
      }
      const ctx = await createCliContext(globals());
      const closers: Array<() => Promise<void>> = [];
      try {
        const tools = await serverTools(ctx, names, opts, closers);
        const list = tools.map((t) => t.name).join(", ");
        const server = { tools, name: "weft", version: VERSION, instructions: instructionsFor(tools) };
        if (port === undefined) {
          const { serveMcpStdio } = await import("../agents/mcp/serve.js");
          const serving = await serveMcpStdio(server);
          process.stderr.write(`weft MCP server on stdio (tools: ${list}).\n`);
          await serving.closed;
          return;
        }
        const { isLoopbackHost, serveMcpHttp } = await import("../agents/mcp/serve.js");
        const host = opts.host ?? "127.0.0.1";
        if (!isLoopbackHost(host)) {
          process.stderr.write(
            `warning: listening on ${host} lets other machines call these tools without authentication; use it only on a trusted network.\n`,
          );
        }
        const serving = await serveMcpHttp({ ...server, port, host });
        process.stderr.write(`weft MCP server on ${serving.url} (tools: ${list}). Press Ctrl-C to stop.\n`);
        await untilStopped();
        await serving.close();
      } finally {
        for (const close of closers) await close().catch(() => {});
        await ctx.close();
      }
    });

  mcp
    .command("list")
    .description("Connect to the MCP servers in weft.config.json (mcpServers) and list their tools.")
    .option("--json", "print [{ server, tools: [{ name, mcpName?, description, sideEffect }] }] (or { server, error })")
    .exitOverride()
    .action(async (opts: { json?: boolean }) => {
      const { createCliContext } = await import("./context.js");
      const { connectMcpServer } = await import("../agents/mcp/connect.js");
      const { mcpServerConfigs } = await import("../agents/mcp/server-config.js");
      const ctx = await createCliContext(globals());
      const configs = mcpServerConfigs(ctx.config.mcpServers);
      if (configs.length === 0) {
        await ctx.close();
        const { ConfigError } = await import("../spec/errors.js");
        throw new ConfigError({
          message:
            'No MCP servers are configured. Add them to weft.config.json, e.g. "mcpServers": { "files": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."] } }',
        });
      }
      const results = await Promise.allSettled(
        configs.map(async (config) => {
          const connection = await connectMcpServer(config, { cwd: ctx.cwd });
          try {
            const infos = await connection.listTools();
            const tools = await connection.tools({ prefix: "never" });
            return tools.map((t, i) => ({
              name: t.name,
              // The server's own name when weft had to change it for providers.
              ...(infos[i]?.name !== t.name ? { mcpName: infos[i]?.name } : {}),
              description: t.description,
              sideEffect: t.sideEffect,
            }));
          } finally {
            await connection.close();
          }
        }),
      );
      await ctx.close();
      const rows = configs.map((c, i) => {
        const r = results[i] as PromiseSettledResult<
          Array<{ name: string; mcpName?: string; description: string; sideEffect: boolean }>
        >;
        return r.status === "fulfilled"
          ? { server: c.name, tools: r.value }
          : { server: c.name, error: (r.reason as Error).message };
      });
      if (opts.json) printJson(rows);
      else {
        for (const row of rows) {
          if ("error" in row) {
            process.stderr.write(`error: ${row.error}\n`);
            continue;
          }
          process.stdout.write(`${row.server} (${row.tools.length} tools)\n`);
          for (const t of row.tools) {
            const first = t.description.split("\n")[0] ?? "";
            const line = first.length > 100 ? `${first.slice(0, 100)}…` : first;
            const renamed = t.mcpName ? ` (${t.mcpName})` : "";
            process.stdout.write(`  ${t.name}${renamed}${t.sideEffect ? " [side effects]" : ""}  ${line}\n`);
          }
        }
      }
      if (rows.some((r) => "error" in r)) process.exitCode = 1;
    });
}

function instructionsFor(tools: Array<{ name: string }>): string | undefined {
  if (!tools.some((t) => t.name === "docs_search")) return undefined;
  return "docs_search searches the user's indexed documents; cite the source and location of passages you use.";
}
