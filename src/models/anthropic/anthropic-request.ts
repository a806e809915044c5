import { InvalidArgumentError } from "../../spec/errors.js";
import type { CallOptions, Message, ToolChoice } from "../../spec/language-model.js";
import { defaultMaxTokens } from "./default-max-tokens.js";

/** The subset of the Messages API request body weft writes. */
export interface AnthropicRequestBody {
  model: string;
  max_tokens: number;
  messages: AnthropicMessage[];
  system?: string;
  tools?: Array<{ name: string; description?: string; input_schema: Record<string, unknown> }>;
  tool_choice?: { type: "auto" | "any" | "none" } | { type: "tool"; name: string };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  stream?: boolean;
  [key: string]: unknown;
}

export type AnthropicContentBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: string | AnthropicContentBlock[];
}

/**
 * Translates weft call options to a Messages API request body, with a warning for every setting
 * Anthropic cannot honour.
 *
 * @example
 * const { body, warnings } = toAnthropicRequest("claude-haiku-4-5", { messages: [{ role: "user", content: "Hi" }] });
 * body.max_tokens; // 8192
 */
export function toAnthropicRequest(
  modelId: string,
  options: CallOptions,
): { body: AnthropicRequestBody; warnings: string[] } {
  const warnings: string[] = [];
  const system = options.messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");

  const body: AnthropicRequestBody = {
    model: modelId,
    max_tokens: options.maxTokens ?? defaultMaxTokens(modelId),
    messages: toAnthropicMessages(options.messages),
  };
  if (system) body.system = system;
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.topP !== undefined) body.top_p = options.topP;
  if (options.topK !== undefined) body.top_k = options.topK;
  if (options.stop?.length) body.stop_sequences = options.stop;

  if (options.tools?.length) {
    body.tools = options.tools.map((tool) => ({
      name: tool.name,
      ...(tool.description ? { description: tool.description } : {}),
      input_schema: tool.inputSchema as Record<string, unknown>,
    }));
    if (options.toolChoice) body.tool_choice = toToolChoice(options.toolChoice);
  }

  if (options.seed !== undefined) warnings.push("Anthropic does not support seed; it was ignored.");
  if (options.n !== undefined && options.n > 1) {
    warnings.push(`Anthropic returns one completion per call; n=${options.n} was ignored.`);
  }
  if (options.logprobs || options.topLogprobs)
    warnings.push("Anthropic does not return log probabilities; logprobs was ignored.");
  if (options.grammar !== undefined)
    warnings.push("Anthropic does not support grammar-constrained decoding; grammar was ignored.");
  if (options.rawPrompt !== undefined) {
    warnings.push("Anthropic has no raw completion mode; the prompt was sent as a chat message.");
  }
  if (options.responseFormat?.type === "json") {
    warnings.push(
      "Anthropic has no native JSON schema mode here; responseFormat json was ignored. Describe the JSON shape in the prompt and validate the output.",
    );
  }

  // Provider options are the escape hatch for API fields weft does not model (metadata, thinking, ...).
  Object.assign(body, options.providerOptions?.anthropic);
  return { body, warnings };
}

function toToolChoice(choice: ToolChoice): NonNullable<AnthropicRequestBody["tool_choice"]> {
  if (choice === "auto") return { type: "auto" };
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any" };
  return { type: "tool", name: choice.toolName };
}

/**
 * Anthropic takes alternating user/assistant turns: tool results become `tool_result` blocks of a
 * user turn, and consecutive turns of one role are merged into one.
 */
function toAnthropicMessages(messages: Message[]): AnthropicMessage[] {
  const turns: Array<{ role: "user" | "assistant"; blocks: AnthropicContentBlock[] }> = [];
  const push = (role: "user" | "assistant", blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns[turns.length - 1];
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };

  for (const message of messages) {
    switch (message.role) {
      case "system":
        break;
      case "user":
        push("user", textBlocks(message.content));
        break;
      case "assistant": {
        if (typeof message.content === "string") {
          push("assistant", textBlocks(message.content));
          break;
        }
        const blocks: AnthropicContentBlock[] = [];
        for (const part of message.content) {
          if (part.type === "text") blocks.push(...textBlocks(part.text));
          else blocks.push({ type: "tool_use", id: part.toolCallId, name: part.toolName, input: toInputObject(part) });
        }
        push("assistant", blocks);
        break;
      }
      case "tool":
        push(
          "user",
          message.content.map((result) => ({
            type: "tool_result" as const,
            tool_use_id: result.toolCallId,
            content: typeof result.output === "string" ? result.output : (JSON.stringify(result.output) ?? "null"),
            ...(result.isError ? { is_error: true } : {}),
          })),
        );
        break;
    }
  }

  return turns.map(({ role, blocks }) => {
    const only = blocks.length === 1 ? blocks[0] : undefined;
    return { role, content: only?.type === "text" ? only.text : blocks };
  });
}

/** The API rejects empty text blocks, so empty text is dropped. */
function textBlocks(content: string | Array<{ type: "text"; text: string }>): AnthropicContentBlock[] {
  const parts = typeof content === "string" ? [content] : content.map((p) => p.text);
  return parts.filter((text) => text !== "").map((text) => ({ type: "text" as const, text }));
}

function toInputObject(call: { toolName: string; input: unknown }): Record<string, unknown> {
  if (call.input === undefined || call.input === null) return {};
  if (typeof call.input === "object" && !Array.isArray(call.input)) return call.input as Record<string, unknown>;
  throw new InvalidArgumentError({
    argument: "messages",
    message: `The input of the call to tool '${call.toolName}' must be a JSON object for Anthropic (got ${Array.isArray(call.input) ? "an array" : typeof call.input}).`,
  });
}
