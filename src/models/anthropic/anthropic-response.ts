import { InvalidResponseError } from "../../spec/errors.js";
import type { FinishReason, GenerateResult, ToolCall, Usage } from "../../spec/language-model.js";

/** Anthropic's usage fields; input_tokens excludes cache reads and writes. */
export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

const PROVIDER = "anthropic";

/**
 * Maps Anthropic's stop reason to weft's finish reason.
 *
 * @example
 * toFinishReason("tool_use"); // "tool-calls"
 */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case "end_turn":
    case "stop_sequence":
      return "stop";
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool-calls";
    case "refusal":
      return "content-filter";
    case null:
    case undefined:
      return "unknown";
    default:
      return "other";
  }
}

/**
 * Maps Anthropic usage to weft usage. `inputTokens` counts every prompt token (uncached, cache
 * reads and cache writes) so it means the same as for other providers; `cachedInputTokens` is the
 * part read from the cache.
 *
 * @example
 * toUsage({ input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 90 });
 * // { inputTokens: 100, outputTokens: 5, totalTokens: 105, cachedInputTokens: 90 }
 */
export function toUsage(usage: AnthropicUsage | undefined): Usage {
  if (!usage) return {};
  const result: Usage = {};
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  if (typeof usage.input_tokens === "number") result.inputTokens = usage.input_tokens + cacheRead + cacheWrite;
  if (typeof usage.output_tokens === "number") result.outputTokens = usage.output_tokens;
  if (result.inputTokens !== undefined && result.outputTokens !== undefined) {
    result.totalTokens = result.inputTokens + result.outputTokens;
  }
  if (usage.cache_read_input_tokens != null) result.cachedInputTokens = cacheRead;
  return result;
}

interface AnthropicMessageResponse {
  id?: string;
  model?: string;
  content: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

/**
 * Maps a Messages API response body to a weft result, rejecting bodies that are not messages.
 *
 * @example
 * const result = fromAnthropicMessage(await client.messages.create(body), warnings);
 */
export function fromAnthropicMessage(value: unknown, warnings: string[]): GenerateResult {
  if (!isMessage(value)) {
    const what = typeof value === "string" ? `text instead of a message (${value.slice(0, 80)})` : "no message content";
    throw new InvalidResponseError({ provider: PROVIDER, detail: what });
  }
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of value.content) {
    if (block.type === "text" && typeof block.text === "string") text += block.text;
    else if (block.type === "tool_use") {
      if (typeof block.id !== "string" || typeof block.name !== "string") {
        throw new InvalidResponseError({ provider: PROVIDER, detail: "a tool_use block without id or name" });
      }
      toolCalls.push({ toolCallId: block.id, toolName: block.name, input: block.input ?? {} });
    }
    // Thinking and server-tool blocks carry nothing weft's result has a place for.
  }
  return {
    choices: [{ text, toolCalls, finishReason: toFinishReason(value.stop_reason) }],
    usage: toUsage(value.usage),
    response: { id: value.id, modelId: value.model },
    ...(warnings.length ? { warnings } : {}),
  };
}

function isMessage(value: unknown): value is AnthropicMessageResponse {
  return typeof value === "object" && value !== null && Array.isArray((value as { content?: unknown }).content);
}
