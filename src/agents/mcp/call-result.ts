/**
 * What an MCP tool call returns, as the JSON value a weft tool outputs. Models read text, so binary
 * content (images, audio, blobs) becomes a one-line description instead of base64.
 */
import { ToolExecutionError } from "../../spec/errors.js";

/** The parts of an MCP `CallToolResult` weft reads (kept structural so the SDK stays a lazy import). */
export interface McpCallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  /** Servers on protocol version 2024-10-07 answer with this instead of `content`. */
  toolResult?: unknown;
}

/** One content block, flattened for the model. */
export type McpContentOutput =
  | { type: "text"; text: string }
  | { type: "image" | "audio"; description: string }
  | { type: "resource_link"; uri: string; name?: string; mimeType?: string; description?: string }
  | { type: "resource"; uri: string; mimeType?: string; text?: string; description?: string };

const MAX_ERROR_CHARS = 2000;

/**
 * `structuredContent` when the server sent it (it is the machine-readable result; `content` then
 * repeats it as text); else the text when every block is text; else the list of blocks.
 * An `isError` result throws a ToolExecutionError carrying the server's text.
 *
 * @example
 * mcpCallOutput({ content: [{ type: "text", text: "42" }] }, { tool: "add" }) // "42"
 */
export function mcpCallOutput(result: McpCallResult, opts: { tool: string }): unknown {
  if (result.isError) {
    const text = contentText(result.content) || stringify(result.structuredContent);
    throw new ToolExecutionError({
      tool: opts.tool,
      message: truncate(text || `The tool '${opts.tool}' reported an error without a message.`, MAX_ERROR_CHARS),
    });
  }
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  if (!Array.isArray(result.content)) return result.toolResult ?? "";
  const blocks = result.content.map(contentOutput);
  if (blocks.every((b) => b.type === "text")) {
    return blocks.map((b) => (b as { text: string }).text).join("\n");
  }
  return blocks;
}

function contentOutput(block: unknown): McpContentOutput {
  const b = (block ?? {}) as Record<string, unknown>;
  switch (b.type) {
    case "text":
      return { type: "text", text: String(b.text ?? "") };
    case "image":
    case "audio":
      return { type: b.type, description: binaryDescription(b.type, b.mimeType, b.data) };
    case "resource_link":
      return omitUndefined({
        type: "resource_link",
        uri: String(b.uri ?? ""),
        name: str(b.name),
        mimeType: str(b.mimeType),
        description: str(b.description),
      });
    case "resource": {
      const r = (b.resource ?? {}) as Record<string, unknown>;
      const text = str(r.text);
      return omitUndefined({
        type: "resource",
        uri: String(r.uri ?? ""),
        mimeType: str(r.mimeType),
        text,
        description: text === undefined ? binaryDescription("resource", r.mimeType, r.blob) : undefined,
      });
    }
    default:
      return { type: "text", text: stringify(block) };
  }
}

function binaryDescription(kind: string, mimeType: unknown, base64: unknown): string {
  const bytes = typeof base64 === "string" ? Math.floor((base64.replace(/=+$/, "").length * 3) / 4) : 0;
  const size = bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
  return `[${kind}${typeof mimeType === "string" ? ` ${mimeType}` : ""}, ${size}, not shown]`;
}

function contentText(content: unknown[] | undefined): string {
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => {
      const out = contentOutput(block);
      return out.type === "text" ? out.text : "description" in out ? (out.description ?? "") : "";
    })
    .filter(Boolean)
    .join("\n")
    .trim();
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
