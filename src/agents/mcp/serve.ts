/**
 * Running the weft MCP server: on stdin/stdout for clients that start it (desktop assistants, IDEs),
 * or over Streamable HTTP on a local port for clients that connect to a URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Readable, Writable } from "node:stream";
import { InvalidArgumentError } from "../../spec/errors.js";
import { createWeftMcpServer, type WeftMcpServerOptions } from "./server.js";

export interface ServeMcpStdioOptions extends WeftMcpServerOptions {
  /** Default `process.stdin` / `process.stdout`. */
  stdin?: Readable;
  stdout?: Writable;
}

export interface McpStdioServing {
  /** Resolves when the client closes the connection (stdin ends). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the tools over stdio. Nothing else may write to stdout while it runs.
 *
 * @example
 * const serving = await serveMcpStdio({ tools });
 * await serving.closed;
 */
export async function serveMcpStdio(options: ServeMcpStdioOptions): Promise<McpStdioServing> {
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const server = await createWeftMcpServer(options);
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const stdin = options.stdin ?? process.stdin;
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    // The SDK's stdio transport does not notice the client going away; stdin ending is that signal.
    stdin.once("end", () => void server.close());
  });
  await server.connect(transport);
  return { closed, close: () => server.close() };
}

export interface ServeMcpHttpOptions extends WeftMcpServerOptions {
  /** Default 0: any free port (read it from the returned `url`). */
  port?: number;
  /** Default 127.0.0.1. Anything but a loopback address exposes the tools, unauthenticated, to the network. */
  host?: string;
  /** Default `/mcp`. */
  path?: string;
}

export interface McpHttpServing {
  /** The endpoint, e.g. `http://127.0.0.1:43123/mcp`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Serves the tools over Streamable HTTP (stateless: each POST gets a fresh MCP server, so there are
 * no sessions to leak). On a loopback host, requests whose Host header is not a loopback name are
 * refused, which stops DNS-rebinding pages in a browser from reaching the tools.
 *
 * @example
 * const serving = await serveMcpHttp({ tools, port: 3333 });
 * console.log(serving.url); // http://127.0.0.1:3333/mcp
 */
export async function serveMcpHttp(options: ServeMcpHttpOptions): Promise<McpHttpServing> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/mcp";
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)) {
    throw new InvalidArgumentError({ argument: "port", message: `port must be 0-65535, got ${options.port}.` });
  }
  const { StreamableHTTPServerTransport } = await import("@modelcontextprotocol/sdk/server/streamableHttp.js");
  // Build once up front so a bad tool list fails here, not on the first request.
  await createWeftMcpServer(options);
  let allowedHosts: string[] | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== path) return sendJsonRpcError(res, 404, `Not found: the MCP endpoint is ${path}.`);
    if (req.method !== "POST") {
      // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
      res.setHeader("Allow", "POST");
      return sendJsonRpcError(res, 405, "Method not allowed: send MCP requests with POST.");
    }
    const server = await createWeftMcpServer(options);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableDnsRebindingProtection: allowedHosts !== undefined,
      allowedHosts,
    });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, `Internal error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? 0)));
    http.listen(options.port ?? 0, host, () => {
      http.removeAllListeners("error");
      resolve();
    });
  });
  const port = (http.address() as { port: number }).port;
  if (isLoopbackHost(host)) allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const shown = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function sendJsonRpcError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === "EADDRINUSE") {
    return new InvalidArgumentError({
      argument: "port",
      message: `Port ${port} on ${host} is already in use. Pick another port, or 0 for any free one.`,
    });
  }
  if (error.code === "EACCES") {
    return new InvalidArgumentError({
      argument: "port",
      message: `Not allowed to listen on ${host}:${port} (ports below 1024 need privileges). Pick a port above 1024.`,
    });
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
    return new InvalidArgumentError({
      argument: "host",
      message: `Cannot listen on '${host}': no such address on this machine. Use 127.0.0.1, or an address of this machine.`,
    });
  }
  return error;
}
