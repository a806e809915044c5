import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import type { Completion, CompletionUsage } from "openai/resources/completions";
import { InvalidResponseError, type WeftError } from "../../spec/errors.js";
import type { FinishReason, StreamPart, TokenLogprob, ToolCall } from "../../spec/language-model.js";
import {
  mapChatLogprobs,
  mapCompletionLogprobs,
  mapFinishReason,
  mapUsage,
  parseToolArguments,
  responseInfo,
} from "./map-response.js";

export interface StreamContext {
  provider: string;
  /** Tag parts with `choiceIndex` (the caller asked for n > 1). */
  multipleChoices: boolean;
  abortSignal?: AbortSignal;
  mapError: (error: unknown) => WeftError;
}

interface ToolCallDelta {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

interface ChoiceEvent {
  index: number;
  text?: string | null;
  toolCalls?: ToolCallDelta[];
  logprobs?: TokenLogprob[];
  finishReason?: string | null;
}

interface WireChunk {
  id?: string;
  model?: string;
  usage?: CompletionUsage | null;
  choices?: unknown[];
}

/**
 * Turns Chat Completions chunks into stream parts: text deltas as they come, whole tool calls once
 * their arguments are complete, logprobs, and exactly one `finish` part after the server's usage
 * chunk. Throws a WeftError when the stream breaks or ends before a finish reason.
 *
 * @example
 * for await (const part of chatStreamParts(sdkStream, ctx)) if (part.type === "text-delta") write(part.delta);
 */
export function chatStreamParts(chunks: AsyncIterable<ChatCompletionChunk>, ctx: StreamContext) {
  return streamParts(chunks, ctx, (choice: ChatCompletionChunk.Choice) => ({
    index: choice.index ?? 0,
    text: choice.delta?.content ?? choice.delta?.refusal,
    toolCalls: choice.delta?.tool_calls,
    logprobs: mapChatLogprobs(choice.logprobs?.content),
    finishReason: choice.finish_reason,
  }));
}

/**
 * Like `chatStreamParts`, for legacy Completions chunks (raw prompts).
 *
 * @example
 * for await (const part of completionStreamParts(sdkStream, ctx)) console.log(part);
 */
export function completionStreamParts(chunks: AsyncIterable<Completion>, ctx: StreamContext) {
  return streamParts(chunks, ctx, (choice: Completion["choices"][number]) => ({
    index: choice.index ?? 0,
    text: choice.text,
    logprobs: mapCompletionLogprobs(choice.logprobs),
    finishReason: choice.finish_reason,
  }));
}

async function* streamParts<C>(
  chunks: AsyncIterable<WireChunk>,
  ctx: StreamContext,
  read: (choice: C) => ChoiceEvent,
): AsyncGenerator<StreamPart> {
  const pending = new Map<number, Array<{ id?: string; name?: string; args: string }>>();
  const finished = new Map<number, FinishReason>();
  let usage: CompletionUsage | null | undefined;
  let id: string | undefined;
  let model: string | undefined;

  try {
    for await (const chunk of chunks) {
      // Chunks already buffered keep arriving after an abort; stop at once instead.
      if (ctx.abortSignal?.aborted) break;
      if (typeof chunk !== "object" || chunk === null) {
        throw new InvalidResponseError({ provider: ctx.provider, detail: `unexpected stream chunk ${String(chunk)}` });
      }
      id ??= chunk.id || undefined;
      model ??= chunk.model || undefined;
      if (chunk.usage) usage = chunk.usage;
      for (const raw of chunk.choices ?? []) {
        const event = read(raw as C);
        const tag = ctx.multipleChoices ? { choiceIndex: event.index } : {};
        if (event.text) yield { type: "text-delta", delta: event.text, ...tag };
        if (event.toolCalls?.length) accumulate(pending, event.index, event.toolCalls);
        if (event.logprobs?.length) yield { type: "logprobs", logprobs: event.logprobs, ...tag };
        if (event.finishReason) {
          for (const toolCall of completeToolCalls(ctx.provider, pending.get(event.index) ?? [])) {
            yield { type: "tool-call", toolCall, ...tag };
          }
          pending.delete(event.index);
          finished.set(event.index, mapFinishReason(event.finishReason));
        }
      }
    }
  } catch (error) {
    throw ctx.mapError(error);
  }
  // The SDK ends the iteration quietly when the request is aborted; report the abort instead.
  if (ctx.abortSignal?.aborted) throw ctx.mapError(ctx.abortSignal.reason);
  if (finished.size === 0 || pending.size > 0) {
    throw new InvalidResponseError({
      provider: ctx.provider,
      detail: "the stream ended before the model finished (no finish_reason); the output may be truncated",
    });
  }
  const finishReason = finished.get(0) ?? finished.values().next().value ?? "unknown";
  yield { type: "finish", finishReason, usage: mapUsage(usage), response: responseInfo(id, model) };
}

function accumulate(
  pending: Map<number, Array<{ id?: string; name?: string; args: string }>>,
  choiceIndex: number,
  deltas: ToolCallDelta[],
) {
  const calls = pending.get(choiceIndex) ?? [];
  pending.set(choiceIndex, calls);
  for (const delta of deltas) {
    // Some servers omit `index`; a new id then starts a new call, anything else continues the last.
    const slot =
      delta.index ?? (delta.id && !calls.some((c) => c.id === delta.id) ? calls.length : Math.max(0, calls.length - 1));
    const call = calls[slot] ?? { args: "" };
    calls[slot] = call;
    if (delta.id) call.id = delta.id;
    if (delta.function?.name) call.name ??= delta.function.name;
    if (delta.function?.arguments) call.args += delta.function.arguments;
  }
}

function completeToolCalls(provider: string, calls: Array<{ id?: string; name?: string; args: string }>): ToolCall[] {
  return calls.flatMap((call, i) => {
    if (!call) return [];
    if (!call.name) throw new InvalidResponseError({ provider, detail: `tool call ${i} has no function name` });
    return [
      {
        toolCallId: call.id ?? `call_${i}`,
        toolName: call.name,
        input: parseToolArguments(provider, call.name, call.args),
      },
    ];
  });
}
