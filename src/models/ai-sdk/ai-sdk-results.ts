import type {
  LanguageModelV2CallWarning,
  LanguageModelV2FinishReason,
  LanguageModelV2Usage,
  LanguageModelV3FinishReason,
  LanguageModelV3Usage,
  SharedV3Warning,
} from "@ai-sdk/provider";
import { InvalidResponseError } from "../../spec/errors.js";
import type { FinishReason, ToolCall, Usage } from "../../spec/language-model.js";

/**
 * Maps AI SDK usage (v3 nested totals or v2 flat counts) to weft usage.
 *
 * @example
 * fromAISDKUsage({ inputTokens: { total: 10, noCache: 4, cacheRead: 6, cacheWrite: 0 }, outputTokens: { total: 3, text: 3, reasoning: 0 } });
 * // { inputTokens: 10, outputTokens: 3, totalTokens: 13, cachedInputTokens: 6, reasoningTokens: 0 }
 */
export function fromAISDKUsage(usage: LanguageModelV3Usage | LanguageModelV2Usage | undefined): Usage {
  if (!usage) return {};
  const result: Usage = {};
  if (typeof usage.inputTokens === "object" && usage.inputTokens !== null) {
    const v3 = usage as LanguageModelV3Usage;
    assign(result, "inputTokens", v3.inputTokens.total);
    assign(result, "outputTokens", v3.outputTokens?.total);
    assign(result, "cachedInputTokens", v3.inputTokens.cacheRead);
    assign(result, "reasoningTokens", v3.outputTokens?.reasoning);
  } else {
    const v2 = usage as LanguageModelV2Usage;
    assign(result, "inputTokens", v2.inputTokens);
    assign(result, "outputTokens", v2.outputTokens);
    assign(result, "totalTokens", v2.totalTokens);
    assign(result, "cachedInputTokens", v2.cachedInputTokens);
    assign(result, "reasoningTokens", v2.reasoningTokens);
  }
  if (result.totalTokens === undefined && result.inputTokens !== undefined && result.outputTokens !== undefined) {
    result.totalTokens = result.inputTokens + result.outputTokens;
  }
  return result;
}

function assign(usage: Usage, key: keyof Usage, value: number | undefined): void {
  if (typeof value === "number") usage[key] = value;
}

/**
 * Maps an AI SDK finish reason (v3 `{ unified, raw }` or a v2 string) to weft's.
 *
 * @example
 * fromAISDKFinishReason({ unified: "tool-calls", raw: "tool_use" }); // "tool-calls"
 */
export function fromAISDKFinishReason(
  reason: LanguageModelV3FinishReason | LanguageModelV2FinishReason | undefined,
): FinishReason {
  const value = typeof reason === "object" && reason !== null ? reason.unified : reason;
  switch (value) {
    case "stop":
    case "length":
    case "tool-calls":
    case "content-filter":
    case "error":
    case "other":
      return value;
    default:
      return "unknown";
  }
}

/**
 * Turns AI SDK call warnings into plain sentences.
 *
 * @example
 * fromAISDKWarnings([{ type: "unsupported", feature: "seed" }]); // ["seed is not supported by this model."]
 */
export function fromAISDKWarnings(
  warnings: ReadonlyArray<SharedV3Warning | LanguageModelV2CallWarning> | undefined,
): string[] {
  return (warnings ?? []).map((w) => {
    const details = "details" in w && w.details ? `: ${w.details}` : ".";
    switch (w.type) {
      case "unsupported":
        return `${w.feature} is not supported by this model${details}`;
      case "compatibility":
        return `${w.feature} runs in a compatibility mode${details}`;
      case "unsupported-setting":
        return `${String(w.setting)} is not supported by this model${details}`;
      case "unsupported-tool":
        return `Tool '${w.tool.name}' is not supported by this model${details}`;
      case "other":
        return w.message;
      default:
        return JSON.stringify(w);
    }
  });
}

/**
 * Maps an AI SDK tool call (input as a JSON string) to a weft tool call with parsed input.
 *
 * @example
 * fromAISDKToolCall({ toolCallId: "c1", toolName: "add", input: '{"a":1}' }, "openai"); // input: { a: 1 }
 */
export function fromAISDKToolCall(
  call: { toolCallId: string; toolName: string; input: unknown },
  provider: string,
): ToolCall {
  const { toolCallId, toolName, input } = call;
  if (typeof input !== "string") return { toolCallId, toolName, input };
  try {
    return { toolCallId, toolName, input: input.trim() === "" ? {} : JSON.parse(input) };
  } catch (error) {
    throw new InvalidResponseError({
      provider,
      detail: `the arguments of the call to tool '${toolName}' are not valid JSON (${input.slice(0, 80)})`,
      cause: error,
    });
  }
}
