import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMcpServer } from "../../../src/agents/mcp/connect.js";
import type { AnyTool } from "../../../src/agents/tool.js";
import { McpError, ToolExecutionError } from "../../../src/spec/errors.js";
import { deadPort, type FixtureHttpServer, startSseFixture, startStreamableFixture } from "./fixture-servers.js";

/** `${NAME}`: weft's syntax for an environment variable in config values. */
const ref = (name: string) => `\${${name}}`;

const ctx = () => ({ toolCallId: "call-1", abortSignal: new AbortController().signal });
const pick = (tools: AnyTool[], name: string) => tools.find((t) => t.name === name) as AnyTool;

describe("connectMcpServer over HTTP (official SDK server on 127.0.0.1)", () => {
  let open: FixtureHttpServer;
  let guarded: FixtureHttpServer;
  let sse: FixtureHttpServer;

  beforeAll(async () => {
    [open, guarded, sse] = await Promise.all([
      startStreamableFixture(),
      startStreamableFixture({ token: "s3cret" }),
      startSseFixture(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([open.close(), guarded.close(), sse.close()]);
  });

  it("lists and calls tools over Streamable HTTP, with isError results as ToolExecutionError", async () => {
    const connection = await connectMcpServer({ name: "remote", url: open.url });
    try {
      const tools = await connection.tools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["add", "weather", "files_read", "fail"]));
      expect(await pick(tools, "add").execute({ a: 20, b: 22 }, ctx())).toBe("42");
      expect(await pick(tools, "weather").execute({ city: "Lima" }, ctx())).toEqual({
        city: "Lima",
        temperature: 21,
        unit: "C",
      });
      await expect(pick(tools, "fail").execute({ reason: "no such city" }, ctx())).rejects.toThrow(
        new ToolExecutionError({ tool: "fail", message: "no such city" }),
      );
    } finally {
      await connection.close();
    }
  });

  it("sends configured headers, expanding variable references from the environment", async () => {
    const connection = await connectMcpServer(
      { name: "guarded", url: guarded.url, headers: { Authorization: `Bearer ${ref("MCP_TOKEN")}` } },
      { env: { MCP_TOKEN: "s3cret" } },
    );
    try {
      expect(await pick(await connection.tools(), "add").execute({ a: 1, b: 2 }, ctx())).toBe("3");
      expect(guarded.headers.at(-1)?.authorization).toBe("Bearer s3cret");
    } finally {
      await connection.close();
    }
  });

  it("a wrong token is an McpError pointing at the headers", async () => {
    const error = await connectMcpServer({
      name: "guarded",
      url: guarded.url,
      headers: { Authorization: "Bearer nope" },
    })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `MCP server 'guarded' at ${guarded.url} refused the request (HTTP 401). Check its headers (e.g. Authorization) in weft.config.json.`,
    );
  });

  it("falls back to HTTP+SSE for servers that only speak the old transport", async () => {
    const connection = await connectMcpServer({ name: "legacy", url: sse.url });
    try {
      expect(await pick(await connection.tools(), "add").execute({ a: 5, b: 6 }, ctx())).toBe("11");
      // The first request was the Streamable HTTP attempt, then the SSE stream was opened.
      expect(sse.headers[0]?.accept).toMatch(/text\/event-stream/);
    } finally {
      await connection.close();
    }
  });

  it("an unreachable URL", async () => {
    const url = `http://127.0.0.1:${await deadPort()}/mcp`;
    const error = await connectMcpServer({ name: "remote", url }).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      `Could not reach MCP server 'remote' at ${url} (ECONNREFUSED). Check that the server is running and its url in weft.config.json.`,
    );
  });

  it("a URL that is not an MCP endpoint", async () => {
    const url = open.url.replace(/\/mcp$/, "/nothing-here");
    const error = await connectMcpServer({ name: "remote", url }).catch((e: unknown) => e);
    expect(McpError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^MCP server 'remote': http:\/\/127\.0\.0\.1:\d+\/nothing-here answered HTTP 404, so it is not an MCP endpoint/,
    );
  });
});
