import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { connectMcpServer } from "../../../src/agents/mcp/connect.js";
import { type McpHttpServing, serveMcpHttp } from "../../../src/agents/mcp/serve.js";
import { createWeftMcpServer } from "../../../src/agents/mcp/server.js";
import { tool } from "../../../src/agents/tool.js";
import { InvalidArgumentError, ToolSafetyError } from "../../../src/spec/errors.js";

const seen: string[] = [];
const tools = [
  tool({
    name: "multiply",
    description: "Multiply two numbers.",
    inputSchema: z.object({ a: z.number(), b: z.number().describe("the other factor") }),
    execute: ({ a, b }) => {
      seen.push(`multiply ${a} ${b}`);
      return { product: a * b };
    },
  }),
  tool({
    name: "send_mail",
    description: "Send an e-mail.",
    inputSchema: z.object({ to: z.string().email() }),
    sideEffect: true,
    execute: ({ to }) => `sent to ${to}`,
  }),
  tool({
    name: "read_secret",
    description: "Refuses.",
    inputSchema: z.object({}),
    execute: () => {
      throw new ToolSafetyError({ tool: "read_secret", message: "Path '/etc/shadow' is outside the workspace." });
    },
  }),
];

async function inMemoryClient() {
  const server = await createWeftMcpServer({ tools, name: "weft-test", version: "9.9.9", instructions: "Be nice." });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(clientSide);
  return client;
}

describe("createWeftMcpServer (official SDK client, in memory)", () => {
  it("announces tools with their JSON Schema and annotations from sideEffect", async () => {
    const client = await inMemoryClient();
    expect(client.getServerVersion()).toEqual({ name: "weft-test", version: "9.9.9" });
    expect(client.getInstructions()).toBe("Be nice.");
    const { tools: listed } = await client.listTools();
    expect(listed.map((t) => t.name)).toEqual(["multiply", "send_mail", "read_secret"]);
    const multiply = listed[0];
    expect(multiply?.inputSchema).toMatchObject({
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number", description: "the other factor" } },
      required: ["a", "b"],
    });
    expect(multiply?.inputSchema).not.toHaveProperty("$schema");
    expect(multiply?.annotations).toEqual({ readOnlyHint: true });
    expect(listed[1]?.annotations).toEqual({ readOnlyHint: false, destructiveHint: true });
    await client.close();
  });

  it("calls a tool; objects come back as text and structuredContent", async () => {
    const client = await inMemoryClient();
    const result = await client.callTool({ name: "multiply", arguments: { a: 6, b: 7 } });
    expect(result).toEqual({ content: [{ type: "text", text: '{"product":42}' }], structuredContent: { product: 42 } });
    expect((await client.callTool({ name: "send_mail", arguments: { to: "a@b.co" } })).content).toEqual([
      { type: "text", text: "sent to a@b.co" },
    ]);
    await client.close();
  });

  it("answers invalid arguments and tool failures with isError results, without running the tool", async () => {
    const client = await inMemoryClient();
    seen.length = 0;
    const invalid = await client.callTool({ name: "multiply", arguments: { a: "6" } });
    expect(invalid.isError).toBe(true);
    expect((invalid.content as Array<{ text: string }>)[0]?.text).toMatch(
      /^Invalid arguments for 'multiply': a: Invalid input: expected number, received string; b: .+\. Fix them and call again\.$/,
    );
    expect(seen).toEqual([]);
    const refused = await client.callTool({ name: "read_secret", arguments: {} });
    expect(refused).toEqual({
      content: [{ type: "text", text: "Path '/etc/shadow' is outside the workspace." }],
      isError: true,
    });
    await client.close();
  });

  it("answers an unknown tool with a protocol error listing the tools", async () => {
    const client = await inMemoryClient();
    await expect(client.callTool({ name: "nope", arguments: {} })).rejects.toThrow(
      /Unknown tool 'nope'\. Available: multiply, send_mail, read_secret\./,
    );
    await client.close();
  });

  it("refuses two tools with one name", async () => {
    await expect(createWeftMcpServer({ tools: [tools[0], tools[0]] as never })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("serveMcpHttp", () => {
  let serving: McpHttpServing;
  beforeAll(async () => {
    serving = await serveMcpHttp({ tools, name: "weft-http" });
  });
  afterAll(async () => {
    await serving.close();
  });

  it("serves Streamable HTTP on 127.0.0.1 to the SDK client and to weft's own client", async () => {
    expect(serving.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
    expect((await client.listTools()).tools).toHaveLength(3);
    expect((await client.callTool({ name: "multiply", arguments: { a: 2, b: 3 } })).structuredContent).toEqual({
      product: 6,
    });
    await client.close();

    const weft = await connectMcpServer({ name: "self", url: serving.url });
    try {
      const multiply = (await weft.tools()).find((t) => t.name === "multiply");
      expect(multiply?.sideEffect).toBe(false);
      const signal = new AbortController().signal;
      expect(await multiply?.execute({ a: 4, b: 5 }, { toolCallId: "1", abortSignal: signal })).toEqual({
        product: 20,
      });
    } finally {
      await weft.close();
    }
  });

  it("refuses requests whose Host is not a loopback name (DNS rebinding)", async () => {
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    });
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        serving.url,
        {
          method: "POST",
          headers: {
            host: "evil.example.com",
            "content-type": "application/json",
            accept: "application/json, text/event-stream",
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(status).toBe(403);
  });

  it("answers GET with 405 and other paths with 404", async () => {
    expect((await fetch(serving.url)).status).toBe(405);
    expect((await fetch(serving.url.replace("/mcp", "/other"), { method: "POST" })).status).toBe(404);
  });

  it("explains a port already in use", async () => {
    await expect(serveMcpHttp({ tools, port: serving.port })).rejects.toThrow(
      new RegExp(`Port ${serving.port} on 127.0.0.1 is already in use`),
    );
  });
});
