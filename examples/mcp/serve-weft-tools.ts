// Offer weft tools to any MCP client. `weft mcp` does this from the command line; here a custom tool
// is served over Streamable HTTP on 127.0.0.1 and called with the official MCP SDK client.
// Run: npx tsx examples/mcp/serve-weft-tools.ts
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { serveMcpHttp, tool } from "weft";
import { z } from "zod";

const moonPhase = tool({
  name: "moon_phase",
  description: "The moon's phase at noon UTC on a date, as a fraction of the cycle (0 = new moon, 0.5 = full moon).",
  inputSchema: z.object({ date: z.string().date().describe("YYYY-MM-DD") }),
  execute: ({ date }) => {
    const synodicDays = 29.530588853;
    const knownNewMoon = Date.UTC(2000, 0, 6, 18, 14);
    const days = (Date.parse(`${date}T12:00:00Z`) - knownNewMoon) / 86_400_000;
    const phase = (((days / synodicDays) % 1) + 1) % 1;
    return { date, phase: Number(phase.toFixed(3)) };
  },
});

export async function main() {
  const serving = await serveMcpHttp({ tools: [moonPhase], name: "observatory", version: "1.0.0" });
  const client = new Client({ name: "example-client", version: "1.0.0" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
    const { tools } = await client.listTools();
    console.log(
      `${serving.url} offers: ${tools.map((t) => `${t.name} (read-only: ${t.annotations?.readOnlyHint})`).join(", ")}`,
    );

    const result = await client.callTool({ name: "moon_phase", arguments: { date: "2024-04-08" } });
    console.log("moon_phase 2024-04-08 →", JSON.stringify(result.structuredContent));
    // Invalid arguments come back as an error result the client's model can read and fix.
    const invalid = await client.callTool({ name: "moon_phase", arguments: { date: "next Tuesday" } });
    const message = (invalid.content as Array<{ text: string }>)[0]?.text ?? "";
    console.log("invalid date →", message);
    return {
      url: serving.url,
      tools: tools.map((t) => t.name),
      phase: (result.structuredContent as { phase: number }).phase,
      invalidIsError: invalid.isError === true,
      invalidMessage: message,
    };
  } finally {
    await client.close();
    await serving.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
