/**
 * The MCP client: connect to a server over stdio or HTTP with the official SDK and turn its tools
 * into weft tools. The SDK is imported on first use, so `import("weft")` stays cheap.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { VERSION } from "../../cli/version.js";
import { McpError, ToolExecutionError, WeftError } from "../../spec/errors.js";
import type { AnyTool } from "../tool.js";
import { type McpCallResult, mcpCallOutput } from "./call-result.js";
import { jsonSchemaTool } from "./json-schema-tool.js";
import { callError, connectError, type ServerState } from "./mcp-errors.js";
import {
  expandEnvReferences,
  isStdioConfig,
  type McpHttpServerConfig,
  type McpServerConfig,
  type McpStdioServerConfig,
} from "./server-config.js";
import { assignToolNames, type ToolPrefixMode } from "./tool-name.js";

export interface ConnectMcpOptions {
  /** Source of `${VAR}` in env and header values (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Where a relative `cwd` of a stdio server resolves (default `process.cwd()`). */
  cwd?: string;
  /** Per-call timeout when the config sets none (default 60 000 ms). */
  timeoutMs?: number;
  /** Time for start-up and the initialize handshake (default 30 000 ms). */
  startupTimeoutMs?: number;
  /** Receives a stdio server's stderr as it arrives; by default only its tail is kept for error messages. */
  onStderr?: (text: string) => void;
}

export interface McpToolsOptions {
  /** `<server>__<tool>` names: "always", "never", or (default) "on-clash" with `reservedNames` or each other. */
  prefix?: ToolPrefixMode;
  /** Names already used by other tools. */
  reservedNames?: Iterable<string>;
}

/** What the server announced about one tool. */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; [key: string]: unknown };
}

export interface McpConnection {
  /** The server's name from the config. */
  readonly name: string;
  /** What the server said about itself in the handshake. */
  readonly serverInfo?: { name: string; version: string };
  /** The server's tools as announced (all pages). */
  listTools(): Promise<McpToolInfo[]>;
  /** The server's tools as weft tools, listed afresh on each call. */
  tools(options?: McpToolsOptions): Promise<AnyTool[]>;
  /** Ends the session; stdio servers are stopped. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
const STDERR_KEEP = 4000;

/**
 * Connects to one MCP server. Failures to start, reach or understand it are McpErrors that name the
 * server and the fix.
 *
 * @example
 * const files = await connectMcpServer({ name: "files", command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] });
 * const tools = await files.tools();
 * // ... run an agent with tools, then:
 * await files.close();
 */
export async function connectMcpServer(
  config: McpServerConfig,
  options: ConnectMcpOptions = {},
): Promise<McpConnection> {
  const env = options.env ?? process.env;
  const startupTimeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const timeoutMs = config.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const state: ServerState = { stderr: "" };
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const newClient = () => {
    const c = new Client({ name: "weft", version: VERSION });
    c.onerror = (error) => {
      state.lastError = error;
    };
    return c;
  };

  let client = newClient();
  try {
    if (isStdioConfig(config)) {
      const transport = await stdioTransport(config, { env, cwd: options.cwd, state, onStderr: options.onStderr });
      await client.connect(transport, { timeout: startupTimeoutMs });
    } else {
      client = await connectHttp(config, { env, startupTimeoutMs, newClient, client });
    }
  } catch (error) {
    await client.close().catch(() => {});
    let failure = error;
    if (!WeftError.isInstance(error)) {
      // Let the exit and the last stderr lines arrive before describing the failure.
      await new Promise((r) => setImmediate(r));
      failure = connectError(error, { config, state, startupTimeoutMs });
    }
    // The SDK's close waits on unref'd timers before it signals a server that ignores the end of its
    // stdin, so such a server would outlive a CLI that exits; one that failed to connect is stopped now.
    await stopChild(state.child);
    throw failure;
  }

  const connected = client;
  const listTools = async (): Promise<McpToolInfo[]> => {
    // A server without the tools capability (prompts or resources only) simply has none.
    if (!connected.getServerCapabilities()?.tools) return [];
    const all: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await connected
        .listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs })
        .catch((error: unknown) => {
          const mapped = callError(error, { config, mcpTool: "tools/list", weftTool: "tools/list", state, timeoutMs });
          if (!ToolExecutionError.isInstance(mapped)) throw mapped;
          throw new McpError({
            server: config.name,
            cause: error,
            message: `MCP server '${config.name}' could not list its tools: ${mapped.message}`,
          });
        });
      all.push(...(page.tools as McpToolInfo[]));
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  };
  let closed = false;

  return {
    name: config.name,
    serverInfo: connected.getServerVersion(),
    listTools,
    async tools(toolsOptions = {}) {
      const infos = await listTools();
      const names = assignToolNames({
        server: config.name,
        tools: infos.map((t) => t.name),
        prefix: toolsOptions.prefix,
        reserved: toolsOptions.reservedNames,
      });
      return Promise.all(
        infos.map((info, i) => {
          const weftName = names[i] as string;
          return jsonSchemaTool({
            name: weftName,
            description: info.description ?? info.title ?? "",
            jsonSchema: info.inputSchema,
            // MCP's own default: a tool is assumed to change things unless it says it only reads.
            sideEffect: info.annotations?.readOnlyHint !== true,
            async execute(input, { abortSignal }) {
              let result: McpCallResult;
              try {
                result = (await connected.callTool({ name: info.name, arguments: input }, undefined, {
                  signal: abortSignal,
                  timeout: timeoutMs,
                })) as McpCallResult;
              } catch (error) {
                await new Promise((r) => setImmediate(r));
                throw callError(error, {
                  config,
                  mcpTool: info.name,
                  weftTool: weftName,
                  state,
                  signal: abortSignal,
                  timeoutMs,
                });
              }
              return mcpCallOutput(result, { tool: weftName });
            },
          }) as Promise<AnyTool>;
        }),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      await connected.close().catch(() => {});
    },
  };
}

async function stdioTransport(
  config: McpStdioServerConfig,
  opts: { env: NodeJS.ProcessEnv; cwd?: string; state: ServerState; onStderr?: (text: string) => void },
): Promise<Transport> {
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const cwd = config.cwd === undefined ? undefined : resolve(opts.cwd ?? process.cwd(), config.cwd);
  // Spawning in a missing folder fails with ENOENT too, which would read as "command not found".
  if (cwd !== undefined && !existsSync(cwd)) {
    throw new McpError({
      server: config.name,
      message: `MCP server '${config.name}': its cwd ${cwd} does not exist. Fix "cwd" in weft.config.json.`,
    });
  }
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    env: expandEnvReferences(config.env, { server: config.name, what: "env value", env: opts.env }),
    cwd,
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    opts.state.stderr = (opts.state.stderr + text).slice(-STDERR_KEEP);
    opts.onStderr?.(text);
  });
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    // The SDK does not report the exit code; it is what tells "crashed" from "wrong protocol".
    const child = (transport as unknown as { _process?: ChildProcess })._process;
    opts.state.child = child;
    child?.once("exit", (code, signal) => {
      opts.state.exit = { code, signal };
    });
  };
  return transport;
}

/** Streamable HTTP first; servers that answer it with a 4xx get the older HTTP+SSE transport. */
async function connectHttp(
  config: McpHttpServerConfig,
  opts: { env: NodeJS.ProcessEnv; startupTimeoutMs: number; newClient: () => Client; client: Client },
): Promise<Client> {
  const url = new URL(config.url);
  const headers = expandEnvReferences(config.headers, { server: config.name, what: "header", env: opts.env });
  const requestInit: RequestInit | undefined = headers ? { headers } : undefined;
  const sse = async (client: Client) => {
    const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
    await client.connect(new SSEClientTransport(url, { requestInit }), { timeout: opts.startupTimeoutMs });
    return client;
  };
  if (config.type === "sse") return sse(opts.client);
  const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  try {
    await opts.client.connect(new StreamableHTTPClientTransport(url, { requestInit }), {
      timeout: opts.startupTimeoutMs,
    });
    return opts.client;
  } catch (error) {
    const status = (error as { code?: unknown }).code;
    if (typeof status !== "number" || status < 400 || status >= 500 || status === 401 || status === 403) throw error;
    await opts.client.close().catch(() => {});
    const fallback = opts.newClient();
    try {
      return await sse(fallback);
    } catch {
      await fallback.close().catch(() => {});
      // Neither transport worked: the Streamable HTTP answer is the more telling one.
      throw error;
    }
  }
}

/** Kills a child process that is still running and waits (at most a few seconds) for its exit. */
async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
}
