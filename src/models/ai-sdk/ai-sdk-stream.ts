import type { LanguageModelV2StreamPart, LanguageModelV3StreamPart } from "@ai-sdk/provider";
import { InvalidResponseError } from "../../spec/errors.js";
import type { ResponseInfo, StreamPart } from "../../spec/language-model.js";
import { type AISDKErrorContext, fromAISDKError } from "./ai-sdk-errors.js";
import { fromAISDKFinishReason, fromAISDKToolCall, fromAISDKUsage, fromAISDKWarnings } from "./ai-sdk-results.js";

type AISDKStreamPart = LanguageModelV3StreamPart | LanguageModelV2StreamPart;

/**
 * Opens an AI SDK part stream as a weft stream. The first part is read before returning so that
 * the `stream-start` warnings can be reported and an immediate failure rejects instead of streaming.
 *
 * @example
 * const { stream } = await aiSdkModel.doStream(callOptions);
 * const { stream: parts, warnings } = await openAISDKStream(stream, { provider: "openai", modelId: "gpt-4o-mini" });
 */
export async function openAISDKStream(
  source: ReadableStream<AISDKStreamPart>,
  context: AISDKErrorContext,
): Promise<{ stream: AsyncIterable<StreamPart>; warnings: string[] }> {
  const reader = source.getReader();
  let first: AISDKStreamPart | undefined;
  const warnings: string[] = [];
  try {
    const result = await reader.read();
    first = result.done ? undefined : result.value;
    if (first?.type === "stream-start") {
      warnings.push(...fromAISDKWarnings(first.warnings));
      first = undefined;
    } else if (first?.type === "error") {
      throw first.error;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw fromAISDKError(error, context);
  }
  return { stream: iterate(reader, first, context), warnings };
}

async function* iterate(
  reader: ReadableStreamDefaultReader<AISDKStreamPart>,
  first: AISDKStreamPart | undefined,
  context: AISDKErrorContext,
): AsyncGenerator<StreamPart> {
  const response: ResponseInfo = {};
  let pending = first;
  try {
    while (true) {
      let part = pending;
      pending = undefined;
      if (!part) {
        const result = await reader.read();
        if (result.done) break;
        part = result.value;
      }
      switch (part.type) {
        case "text-delta":
          if (part.delta) yield { type: "text-delta", delta: part.delta };
          break;
        case "tool-call":
          // Tools the provider ran itself are not for the caller to run.
          if (!part.providerExecuted) yield { type: "tool-call", toolCall: fromAISDKToolCall(part, context.provider) };
          break;
        case "response-metadata":
          if (part.id) response.id = part.id;
          if (part.modelId) response.modelId = part.modelId;
          break;
        case "finish":
          yield {
            type: "finish",
            finishReason: fromAISDKFinishReason(part.finishReason),
            usage: fromAISDKUsage(part.usage),
            ...(response.id || response.modelId ? { response } : {}),
          };
          return;
        case "error":
          throw part.error;
        // Reasoning, tool-input deltas, sources, files and raw chunks have no weft counterpart.
      }
    }
  } catch (error) {
    throw fromAISDKError(error, context);
  } finally {
    reader.cancel().catch(() => {});
  }
  if (context.abortSignal?.aborted) throw fromAISDKError(context.abortSignal.reason, context);
  throw new InvalidResponseError({
    provider: context.provider,
    detail: "the AI SDK stream ended without a finish part, so the reply is incomplete",
  });
}
