// Use the tools of an MCP server as weft tools. The server here is built with the official MCP SDK
// and served over Streamable HTTP on 127.0.0.1 in this process, so the example runs offline; a real
// one would be started from weft.config.json ("mcpServers") or reached at its URL.
// Run: npx tsx examples/mcp/use-mcp-tools.ts
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { connectMcpServer, toolDefinition } from "weft";
import { z } from "zod";

/** An MCP server with one read-only tool and one that changes things. */
function inventoryServer(stock: Map<string, number>): McpServer {
  const server = new McpServer({ name: "inventory", version: "1.0.0" });
  server.registerTool(
    "stock.level",
    {
      description: "How many units of an item are in stock.",
      inputSchema: { item: z.string().describe("item name, e.g. 'eyepiece'") },
      annotations: { readOnlyHint: true },
    },
    async ({ item }) => ({
      content: [{ type: "text", text: `${stock.get(item) ?? 0}` }],
    }),
  );
  server.registerTool(
    "reorder",
    {
      description: "Order more units of an item.",
      inputSchema: { item: z.string(), units: z.number().int().min(1).max(100) },
    },
    async ({ item, units }) => {
      stock.set(item, (stock.get(item) ?? 0) + units);
      return { content: [{ type: "text", text: `ordered ${units} × ${item}` }] };
    },
  );
  return server;
}

export async function main() {
  const stock = new Map([["eyepiece", 3]]);
  // Stateless Streamable HTTP: a fresh MCP server per request, as the SDK's examples do.
  const http = createServer(async (req, res) => {
    const server = inventoryServer(stock);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as { port: number }).port}/mcp`;

  const inventory = await connectMcpServer({ name: "inventory", url });
  try {
    const tools = await inventory.tools();
    for (const t of tools) {
      console.log(
        `${t.name}${t.sideEffect ? " (asks for approval)" : ""}: ${JSON.stringify(toolDefinition(t).inputSchema)}`,
      );
    }
    const [level, reorder] = tools;
    if (!level || !reorder) throw new Error("the server should list two tools");
    const ctx = { toolCallId: "example", abortSignal: new AbortController().signal };

    // An agent validates the model's arguments with the tool's zod schema before calling it.
    const bad = reorder.inputSchema.safeParse({ item: "eyepiece", units: 500 });
    console.log(`500 units accepted? ${bad.success}`);
    const ordered = await reorder.execute({ item: "eyepiece", units: 2 }, ctx);
    const after = await level.execute({ item: "eyepiece" }, ctx);
    console.log(`${ordered}; now ${after} in stock`);
    return {
      names: tools.map((t) => t.name),
      sideEffects: tools.map((t) => t.sideEffect),
      rejectedTooMany: !bad.success,
      stockAfter: after,
    };
  } finally {
    await inventory.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
