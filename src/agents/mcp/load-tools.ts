/**
 * Several MCP servers at once: connect in parallel, name tools so none clash, and never leave a
 * server running when another one fails.
 */
import { InvalidArgumentError } from "../../spec/errors.js";
import type { AnyTool } from "../tool.js";
import { type ConnectMcpOptions, connectMcpServer, type McpConnection } from "./connect.js";
import type { McpServerConfig } from "./server-config.js";
import { sanitizeToolName } from "./tool-name.js";

export interface LoadMcpToolsOptions extends ConnectMcpOptions {
  /** Names already taken by other tools (built-ins); MCP tools with these names get `<server>__` prefixes. */
  reservedNames?: Iterable<string>;
}

export interface LoadedMcpTools {
  /** Every server's tools. A name used by two servers is `<server>__<tool>` for both. */
  tools: AnyTool[];
  connections: McpConnection[];
  /** Closes every connection. */
  close(): Promise<void>;
}

/**
 * Connects to all servers in parallel and collects their tools. If any server fails, the others
 * are closed and the first failure is thrown (an McpError naming the server).
 *
 * @example
 * const { config } = loadConfig();
 * const mcp = await loadMcpTools(mcpServerConfigs(config.mcpServers));
 * try { ... mcp.tools ... } finally { await mcp.close(); }
 */
export async function loadMcpTools(
  configs: McpServerConfig[],
  options: LoadMcpToolsOptions = {},
): Promise<LoadedMcpTools> {
  const seen = new Set<string>();
  for (const c of configs) {
    if (seen.has(c.name)) {
      throw new InvalidArgumentError({
        argument: "configs",
        message: `Two MCP servers are named '${c.name}'; give each a distinct name.`,
      });
    }
    seen.add(c.name);
  }
  const settled = await Promise.allSettled(configs.map((c) => connectMcpServer(c, options)));
  const connections = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const closeAll = async () => {
    await Promise.all(connections.map((c) => c.close()));
  };
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await closeAll();
    throw failed.reason;
  }
  try {
    const listed = await Promise.all(connections.map((c) => c.listTools()));
    const reserved = [...(options.reservedNames ?? [])];
    const tools = await Promise.all(
      connections.map((connection, i) => {
        // A name is prefixed when another server (or a built-in) has it too.
        const others = listed.flatMap((infos, j) => (j === i ? [] : infos.map((t) => sanitizeToolName(t.name))));
        return connection.tools({ prefix: "on-clash", reservedNames: [...reserved, ...others] });
      }),
    );
    return { tools: tools.flat(), connections, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
