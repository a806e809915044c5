/**
 * The fixture MCP server (test/fixtures/mcp/server.mjs, built with the official SDK) reachable in the
 * ways weft connects: a stdio command, Streamable HTTP and the old HTTP+SSE on 127.0.0.1.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { McpStdioServerConfig } from "../../../src/agents/mcp/server-config.js";

export const FIXTURE_SERVER = join(
  resolve(dirname(fileURLToPath(import.meta.url)), "../../fixtures/mcp"),
  "server.mjs",
);

// biome-ignore lint/suspicious/noExplicitAny: the fixture is plain JavaScript
const { createFixtureServer } = (await import(FIXTURE_SERVER)) as { createFixtureServer: (o?: object) => any };

/** A localhost port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The stdio config that starts the fixture with `node`. */
export function stdioFixture(name: string, ...args: string[]): McpStdioServerConfig {
  return { name, command: process.execPath, args: [FIXTURE_SERVER, ...args] };
}

export interface FixtureHttpServer {
  url: string;
  /** Headers of every request received. */
  headers: IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return (server.address() as { port: number }).port;
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
}

/** The fixture over Streamable HTTP at `/mcp`, stateless; with `token`, other bearers get a 401. */
export async function startStreamableFixture(options: { token?: string } = {}): Promise<FixtureHttpServer> {
  const headers: IncomingHttpHeaders[] = [];
  const http = createServer(async (req, res) => {
    headers.push(req.headers);
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"error":"unauthorized"}');
      return;
    }
    if (req.url !== "/mcp" || req.method !== "POST") {
      res.writeHead(req.url === "/mcp" ? 405 : 404).end();
      return;
    }
    const server = createFixtureServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  const port = await listen(http);
  return { url: `http://127.0.0.1:${port}/mcp`, headers, close: closer(http) };
}

/** The fixture over the old HTTP+SSE transport: `GET /sse` opens the stream, `POST /messages` sends. */
export async function startSseFixture(): Promise<FixtureHttpServer> {
  const headers: IncomingHttpHeaders[] = [];
  const sessions = new Map<string, SSEServerTransport>();
  const http = createServer(async (req, res) => {
    headers.push(req.headers);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      sessions.set(transport.sessionId, transport);
      res.on("close", () => sessions.delete(transport.sessionId));
      await createFixtureServer().connect(transport);
      return;
    }
    const transport = sessions.get(url.searchParams.get("sessionId") ?? "");
    if (req.method === "POST" && url.pathname === "/messages" && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    // What an SSE-only server answers to a Streamable HTTP POST.
    res.writeHead(405).end();
  });
  const port = await listen(http);
  return { url: `http://127.0.0.1:${port}/sse`, headers, close: closer(http) };
}
