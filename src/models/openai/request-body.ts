import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { CompletionCreateParamsNonStreaming } from "openai/resources/completions";
import type { CallOptions, ToolChoice } from "../../spec/language-model.js";
import type { ChatFlavor } from "./connection.js";
import { toChatMessages } from "./convert-messages.js";

export interface RequestBody<T> {
  body: T;
  warnings: string[];
}

interface BodyContext {
  provider: string;
  modelId: string;
  flavor: ChatFlavor;
}

/**
 * Builds a Chat Completions request body from call options. `providerOptions[provider]` is merged
 * last, so it can set or override any wire field.
 *
 * @example
 * chatRequestBody({ messages, maxTokens: 50 }, { provider: "openai", modelId: "gpt-4o-mini", flavor }).body
 */
export function chatRequestBody(
  options: CallOptions,
  ctx: BodyContext,
): RequestBody<ChatCompletionCreateParamsNonStreaming> {
  const warnings = commonWarnings(options, ctx);
  const body: Record<string, unknown> = {
    model: ctx.modelId,
    messages: toChatMessages(options.messages),
    ...sampling(options, ctx),
  };
  if (options.maxTokens !== undefined) body[ctx.flavor.maxTokensField] = options.maxTokens;
  if (options.n !== undefined) body.n = options.n;
  if (options.logprobs || options.topLogprobs !== undefined) body.logprobs = true;
  if (options.topLogprobs !== undefined) body.top_logprobs = options.topLogprobs;
  if (options.tools?.length) {
    body.tools = options.tools.map((tool) => ({
      type: "function",
      function: {
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        parameters: tool.inputSchema,
      },
    }));
  }
  if (options.toolChoice !== undefined) {
    if (options.tools?.length) body.tool_choice = toolChoice(options.toolChoice);
    else warnings.push("toolChoice was ignored because no tools were given.");
  }
  const format = options.responseFormat;
  if (format?.type === "json") {
    body.response_format = format.schema
      ? {
          type: "json_schema",
          json_schema: {
            name: format.name ?? "response",
            ...(format.description ? { description: format.description } : {}),
            schema: format.schema,
            strict: true,
          },
        }
      : { type: "json_object" };
  }
  return {
    body: withProviderOptions(body, options, ctx) as unknown as ChatCompletionCreateParamsNonStreaming,
    warnings,
  };
}

/**
 * Builds a legacy Completions request body for a raw prompt. Tools and response formats do not
 * exist there and are reported as warnings.
 *
 * @example
 * completionRequestBody({ messages: [], rawPrompt: "Once upon a time" }, ctx).body.prompt
 */
export function completionRequestBody(
  options: CallOptions,
  ctx: BodyContext,
): RequestBody<CompletionCreateParamsNonStreaming> {
  const warnings = commonWarnings(options, ctx);
  if (options.tools?.length) warnings.push("tools are not available with a raw prompt and were ignored.");
  if (options.responseFormat?.type === "json") {
    warnings.push("responseFormat is not available with a raw prompt and was ignored.");
  }
  const body: Record<string, unknown> = {
    model: ctx.modelId,
    prompt: options.rawPrompt ?? "",
    ...sampling(options, ctx),
  };
  if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
  if (options.n !== undefined) body.n = options.n;
  if (options.logprobs || options.topLogprobs !== undefined) body.logprobs = options.topLogprobs ?? 0;
  return { body: withProviderOptions(body, options, ctx) as unknown as CompletionCreateParamsNonStreaming, warnings };
}

function sampling(options: CallOptions, ctx: BodyContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (options.temperature !== undefined) out.temperature = options.temperature;
  if (options.topP !== undefined) out.top_p = options.topP;
  if (options.topK !== undefined && ctx.flavor.topK) out.top_k = options.topK;
  if (options.stop?.length) out.stop = options.stop;
  if (options.seed !== undefined) out.seed = options.seed;
  return out;
}

function commonWarnings(options: CallOptions, ctx: BodyContext): string[] {
  const warnings: string[] = [];
  if (options.topK !== undefined && !ctx.flavor.topK) {
    warnings.push(`topK is not supported by ${ctx.provider} and was ignored.`);
  }
  if (options.grammar !== undefined) {
    warnings.push(`grammar is not supported by ${ctx.provider} and was ignored; use responseFormat with a schema.`);
  }
  return warnings;
}

function toolChoice(choice: ToolChoice): ChatCompletionToolChoiceOption {
  return typeof choice === "string" ? choice : { type: "function", function: { name: choice.toolName } };
}

function withProviderOptions(body: Record<string, unknown>, options: CallOptions, ctx: BodyContext) {
  const extra = options.providerOptions?.[ctx.provider];
  return extra ? { ...body, ...extra } : body;
}
