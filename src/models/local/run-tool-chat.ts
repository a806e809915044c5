import { randomUUID } from "node:crypto";
import type { ChatHistoryItem, LlamaChatResponseFunctionCall } from "node-llama-cpp";
import { AbortError } from "../../spec/errors.js";
import type { FinishReason, ToolCall } from "../../spec/language-model.js";
import type { Sampling } from "./call-settings.js";
import type { ChatRuntime } from "./engine.js";
import { toGenerationError } from "./run-completion.js";
import { forcingWrapper, type ToolMode } from "./tool-mode.js";

export interface ToolChatRequest {
  history: ChatHistoryItem[];
  tools: ToolMode;
  maxTokens: number;
  sampling: Sampling;
  stop: string[];
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
  /** Called as soon as each call is complete, before generation ends. */
  onToolCall?: (call: ToolCall) => void;
}

export interface ToolChatOutput {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  outputTokens: number;
}

function toToolCall(call: LlamaChatResponseFunctionCall<never>): ToolCall {
  return {
    toolCallId: `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    toolName: call.functionName,
    // A tool without parameters is called with no params; weft's contract is an arguments object.
    input: call.params ?? {},
  };
}

/**
 * Generates one model turn with function calling through node-llama-cpp's LlamaChat. The functions
 * have no handlers, so generation stops at the model's function calls and returns them: weft's
 * agent loop, not node-llama-cpp, runs the tools. The caller holds `runtime.mutex`.
 *
 * @example
 * const out = await runtime.mutex.run(() => runToolChat(runtime, modelId, request));
 * out.toolCalls; // [{ toolCallId: "call_...", toolName: "get_weather", input: { city: "Paris" } }]
 */
export async function runToolChat(
  runtime: ChatRuntime,
  modelId: string,
  request: ToolChatRequest,
): Promise<ToolChatOutput> {
  const { sequence, lib } = runtime;
  const chatWrapper = request.tools.force ? forcingWrapper(lib, runtime.chatWrapper) : runtime.chatWrapper;
  // LlamaChat is a view over the shared sequence; disposing it leaves the sequence to the runtime.
  const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper });
  const meterBefore = sequence.tokenMeter.usedOutputTokens;
  const calls: ToolCall[] = [];
  try {
    const result = await chat.generateResponse(request.history, {
      ...request.sampling,
      maxTokens: request.maxTokens,
      repeatPenalty: false,
      functions: request.tools.functions,
      documentFunctionParams: true,
      customStopTriggers: request.stop.length ? request.stop : undefined,
      signal: request.signal,
      stopOnAbortSignal: true,
      onTextChunk: request.onTextChunk,
      onFunctionCall: (call) => {
        const toolCall = toToolCall(call as LlamaChatResponseFunctionCall<never>);
        calls.push(toolCall);
        request.onToolCall?.(toolCall);
      },
    });
    if (request.signal?.aborted) throw new AbortError({ cause: request.signal.reason });
    // Every call is reported through onFunctionCall; the result's list is the fallback should that change.
    const toolCalls = calls.length ? calls : (result.functionCalls ?? []).map((c) => toToolCall(c as never));
    const stopReason = result.metadata.stopReason;
    const finishReason: FinishReason =
      toolCalls.length > 0 ? "tool-calls" : stopReason === "maxTokens" ? "length" : "stop";
    return {
      text: result.response,
      toolCalls,
      finishReason,
      outputTokens: sequence.tokenMeter.usedOutputTokens - meterBefore,
    };
  } catch (error) {
    throw toGenerationError(error, modelId, request.signal);
  } finally {
    chat.dispose();
  }
}
