/**
 * How to reach an MCP server: a command weft starts (stdio) or the URL of a running server
 * (Streamable HTTP, or the older HTTP+SSE). The same shape as `mcpServers` entries in
 * weft.config.json, plus the server's name.
 */
import { McpError } from "../../spec/errors.js";

export interface McpStdioServerConfig {
  /** Names the server in tool prefixes and error messages. */
  name: string;
  type?: "stdio";
  command: string;
  args?: string[];
  /** Added to a minimal inherited environment (PATH, HOME, ...); values may use `${VAR}`. */
  env?: Record<string, string>;
  cwd?: string;
  /** Per-call timeout in milliseconds (default 60 s). */
  timeoutMs?: number;
}

export interface McpHttpServerConfig {
  name: string;
  /** `sse` only for servers that speak the old HTTP+SSE transport; `http` falls back to it on its own. */
  type?: "http" | "sse";
  url: string;
  /** Sent with every request; values may use `${VAR}`. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export type McpServerConfig = McpStdioServerConfig | McpHttpServerConfig;

/** True for servers weft starts itself. */
export function isStdioConfig(config: McpServerConfig): config is McpStdioServerConfig {
  return "command" in config && typeof config.command === "string";
}

/**
 * The configs of weft.config.json's `mcpServers`, in file order, with their names filled in.
 *
 * @example
 * const configs = mcpServerConfigs(loadConfig().config.mcpServers);
 */
export function mcpServerConfigs(
  servers: Record<string, Omit<McpStdioServerConfig, "name"> | Omit<McpHttpServerConfig, "name">> | undefined,
): McpServerConfig[] {
  return Object.entries(servers ?? {}).map(([name, settings]) => ({ ...settings, name }) as McpServerConfig);
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` with the variable's value, so tokens can stay in the environment instead of the
 * config file. An unset variable is an McpError naming it (a silently empty token only fails later,
 * and less clearly).
 */
export function expandEnvReferences(
  values: Record<string, string> | undefined,
  opts: { server: string; what: string; env: NodeJS.ProcessEnv },
): Record<string, string> | undefined {
  if (!values) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = value.replace(REFERENCE, (_match, variable: string) => {
      const found = opts.env[variable];
      if (found === undefined) {
        throw new McpError({
          server: opts.server,
          message: `MCP server '${opts.server}': ${opts.what} '${key}' uses \${${variable}}, which is not set. Set ${variable} in the environment, or change the value in weft.config.json.`,
        });
      }
      return found;
    });
  }
  return out;
}

/** The command line or URL, for messages. */
export function describeServer(config: McpServerConfig): string {
  if (isStdioConfig(config)) return [config.command, ...(config.args ?? [])].join(" ");
  return config.url;
}
