/**
 * Turns what goes wrong with an MCP server (a command that is not there, a crash, a dead URL, a
 * handshake that never finishes) into weft errors that name the server and the fix.
 */
import { AbortError, McpError, TimeoutError, ToolExecutionError, type WeftError } from "../../spec/errors.js";
import { describeServer, isStdioConfig, type McpServerConfig } from "./server-config.js";

/** JSON-RPC error codes the SDK uses for its own failures (see `ErrorCode` in the SDK's types). */
const CONNECTION_CLOSED = -32000;
const REQUEST_TIMEOUT = -32001;

/** What is known about the server process when something fails. */
export interface ServerState {
  /** Exit code or signal once a stdio server has exited. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  /** The end of its stderr. */
  stderr: string;
  /** The last transport or protocol error the client reported. */
  lastError?: Error;
  /** A stdio server's process, once started. */
  child?: import("node:child_process").ChildProcess;
}

const FIX_HINT = "Check its command in weft.config.json";

/** An error from connecting (start-up and the initialize handshake). */
export function connectError(
  error: unknown,
  opts: { config: McpServerConfig; state: ServerState; startupTimeoutMs: number },
): WeftError {
  const { config, state } = opts;
  const name = config.name;
  const cause = error;
  const code = errnoCode(error);
  if (isStdioConfig(config)) {
    if (code === "ENOENT" || code === "EACCES") {
      const why = code === "ENOENT" ? "was not found" : "is not executable";
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}' could not be started: '${config.command}' ${why} (${code}). ${FIX_HINT} (is the program installed and on PATH?).`,
      });
    }
    if (state.exit) {
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}' exited during startup (${exitText(state.exit)})${tail(state.stderr)}. ${FIX_HINT}.`,
      });
    }
    if (sdkCode(error) === REQUEST_TIMEOUT) {
      const junk = state.lastError ? ` It wrote something that is not MCP: ${state.lastError.message}.` : "";
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}' did not finish the MCP handshake within ${seconds(opts.startupTimeoutMs)}${stderrNote(state.stderr)}.${junk} Check that '${describeServer(config)}' starts an MCP server on stdio and prints nothing else to stdout.`,
      });
    }
  } else {
    const url = config.url;
    const status = httpStatus(error);
    if (code || isFetchFailure(error)) {
      return new McpError({
        server: name,
        cause,
        message: `Could not reach MCP server '${name}' at ${url}${code ? ` (${code})` : ""}. Check that the server is running and its url in weft.config.json.`,
      });
    }
    if (status === 401 || status === 403) {
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}' at ${url} refused the request (HTTP ${status}). Check its headers (e.g. Authorization) in weft.config.json.`,
      });
    }
    if (status !== undefined && status > 0) {
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}': ${url} answered HTTP ${status}, so it is not an MCP endpoint weft can use (Streamable HTTP or SSE). Check the url in weft.config.json (it often ends in /mcp).`,
      });
    }
    if (sdkCode(error) === REQUEST_TIMEOUT) {
      return new McpError({
        server: name,
        cause,
        message: `MCP server '${name}' at ${url} did not answer the MCP handshake within ${seconds(opts.startupTimeoutMs)}. Check that the url points at an MCP endpoint.`,
      });
    }
  }
  return new McpError({
    server: name,
    cause,
    message: `MCP server '${name}' did not complete the MCP handshake: ${messageOf(error)}${stderrNote(state.stderr)}. Check that '${describeServer(config)}' is an MCP server.`,
  });
}

/** An error from a tool call, after the connection was up. */
export function callError(
  error: unknown,
  opts: {
    config: McpServerConfig;
    mcpTool: string;
    weftTool: string;
    state: ServerState;
    signal?: AbortSignal;
    timeoutMs: number;
  },
): WeftError {
  const { config, state } = opts;
  const name = config.name;
  if (opts.signal?.aborted) return new AbortError({ cause: error });
  const code = sdkCode(error);
  if (code === REQUEST_TIMEOUT) {
    return new TimeoutError({
      timeoutMs: opts.timeoutMs,
      what: `The MCP tool '${opts.mcpTool}' on server '${name}'`,
      cause: error,
    });
  }
  if (state.exit) {
    return new McpError({
      server: name,
      cause: error,
      message: `MCP server '${name}' exited while running '${opts.mcpTool}' (${exitText(state.exit)})${tail(state.stderr)}. Check the server's log; weft does not restart it until the agent runs again.`,
    });
  }
  if (code === CONNECTION_CLOSED || /not connected/i.test(messageOf(error))) {
    return new McpError({
      server: name,
      cause: error,
      message: `Lost the connection to MCP server '${name}' (${describeServer(config)}) while running '${opts.mcpTool}'. Check that the server is still running.`,
    });
  }
  if (code !== undefined) {
    // A JSON-RPC error answer (unknown tool, invalid params): the model may be able to fix its call.
    return new ToolExecutionError({
      tool: opts.weftTool,
      cause: error,
      message: `MCP server '${name}' rejected the call to '${opts.mcpTool}': ${sdkMessage(error)}`,
    });
  }
  if (isFetchFailure(error) || errnoCode(error)) {
    return new McpError({
      server: name,
      cause: error,
      message: `Could not reach MCP server '${name}' at ${describeServer(config)} while running '${opts.mcpTool}'. Check that the server is still running.`,
    });
  }
  return new McpError({
    server: name,
    cause: error,
    message: `MCP server '${name}' failed while running '${opts.mcpTool}': ${messageOf(error)}`,
  });
}

/** ` : <last lines of stderr>`, or nothing. */
function tail(stderr: string): string {
  const text = stderr.trim().split("\n").slice(-6).join(" | ").replace(/\s+/g, " ");
  if (!text) return "";
  return `: ${text.length > 500 ? `…${text.slice(-500)}` : text}`;
}

/** ` (stderr: …)`, or nothing: for messages that already end in a detail of their own. */
function stderrNote(stderr: string): string {
  const t = tail(stderr);
  return t ? ` (stderr${t})` : "";
}

function exitText(exit: NonNullable<ServerState["exit"]>): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The SDK's McpError prefixes "MCP error <code>: "; the model only needs the server's words. */
function sdkMessage(error: unknown): string {
  return messageOf(error).replace(/^MCP error -?\d+:\s*/, "");
}

function sdkCode(error: unknown): number | undefined {
  const e = error as { name?: unknown; code?: unknown } | null;
  return e && e.name === "McpError" && typeof e.code === "number" ? e.code : undefined;
}

/** `ENOENT`, `ECONNREFUSED`, ... on the error or its cause (fetch wraps them). */
function errnoCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0;
    e && i < 4;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

function httpStatus(error: unknown): number | undefined {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (!e) return undefined;
  if (e.name === "UnauthorizedError") return 401;
  if (typeof e.code === "number" && e.name !== "McpError") return e.code;
  // SSE fallback errors carry the status only in the text ("Non-200 status code (404)").
  const m = typeof e.message === "string" ? /status code \((\d{3})\)|HTTP (\d{3})/.exec(e.message) : null;
  return m ? Number(m[1] ?? m[2]) : undefined;
}
