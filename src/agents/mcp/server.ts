/**
 * The MCP server: weft tools offered to any MCP client (desktop assistants, IDEs, other agents).
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { InvalidArgumentError, WeftError } from "../../spec/errors.js";
import { type AnyTool, toolDefinition } from "../tool.js";

export interface WeftMcpServerOptions {
  tools: AnyTool[];
  /** Reported to clients in the handshake (default "weft"). */
  name?: string;
  version?: string;
  /** Told to the client's model: what the tools are for. */
  instructions?: string;
  /** Aborts a tool call that runs longer (default: no limit beyond the tool's own). */
  callTimeoutMs?: number;
}

/** MCP's description of one weft tool. */
export interface McpToolListing {
  name: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  annotations: { readOnlyHint: boolean; destructiveHint?: boolean };
}

/**
 * How a weft tool is listed: its JSON Schema from `toolDefinition`, and annotations from its
 * side-effect flag (a tool with side effects is marked possibly destructive, as MCP assumes by default).
 */
export function mcpToolListing(t: AnyTool): McpToolListing {
  const { $schema: _ignored, ...schema } = toolDefinition(t).inputSchema;
  return {
    name: t.name,
    description: t.description,
    inputSchema: { ...schema, type: "object" },
    annotations: t.sideEffect ? { readOnlyHint: false, destructiveHint: true } : { readOnlyHint: true },
  };
}

/**
 * An MCP server (the SDK's `Server`) offering `tools`. Connect it to any SDK transport; for the
 * usual cases use serveMcpStdio or serveMcpHttp. Arguments are validated with each tool's zod
 * schema; invalid arguments and tool failures come back as `isError` results the client's model
 * can read, an unknown tool name as a protocol error.
 *
 * @example
 * const server = await createWeftMcpServer({ tools: [calculatorTool()] });
 * await server.connect(new StdioServerTransport());
 */
export async function createWeftMcpServer(options: WeftMcpServerOptions): Promise<Server> {
  const byName = new Map<string, AnyTool>();
  for (const t of options.tools) {
    if (byName.has(t.name)) {
      throw new InvalidArgumentError({
        argument: "tools",
        message: `Two tools are named '${t.name}'; MCP clients need distinct names.`,
      });
    }
    byName.set(t.name, t);
  }
  // The low-level Server, not McpServer: weft tools bring their own JSON Schema and validation.
  const { Server } = await import("@modelcontextprotocol/sdk/server/index.js");
  const { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } = await import(
    "@modelcontextprotocol/sdk/types.js"
  );
  const server = new Server(
    { name: options.name ?? "weft", version: options.version ?? "0.0.0" },
    { capabilities: { tools: {} }, instructions: options.instructions },
  );
  const listings = options.tools.map(mcpToolListing);

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listings }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const t = byName.get(request.params.name);
    if (!t) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool '${request.params.name}'. Available: ${[...byName.keys()].join(", ") || "none"}.`,
      );
    }
    const parsed = t.inputSchema.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.length ? i.path.join(".") : "(arguments)"}: ${i.message}`)
        .join("; ");
      return errorResult(`Invalid arguments for '${t.name}': ${issues}. Fix them and call again.`);
    }
    const signal = options.callTimeoutMs
      ? AbortSignal.any([extra.signal, AbortSignal.timeout(options.callTimeoutMs)])
      : extra.signal;
    try {
      const output = await t.execute(parsed.data, { toolCallId: String(extra.requestId), abortSignal: signal });
      return successResult(output);
    } catch (error) {
      return errorResult(errorText(error));
    }
  });
  return server;
}

function successResult(output: unknown) {
  const text = typeof output === "string" ? output : (JSON.stringify(output) ?? "null");
  const structured = typeof output === "object" && output !== null && !Array.isArray(output);
  return {
    content: [{ type: "text" as const, text }],
    ...(structured ? { structuredContent: output as Record<string, unknown> } : {}),
  };
}

function errorResult(text: string) {
  return { content: [{ type: "text" as const, text }], isError: true };
}

/** The message only: clients show it to a model or a person, and stacks help neither. */
function errorText(error: unknown): string {
  if (WeftError.isInstance(error) || error instanceof Error) return error.message;
  return String(error);
}
