import { InvalidResponseError } from "../../spec/errors.js";
import type { ResponseInfo, StreamPart } from "../../spec/language-model.js";
import { type AnthropicErrorContext, fromAnthropicError } from "./anthropic-errors.js";
import { type AnthropicUsage, toFinishReason, toUsage } from "./anthropic-response.js";

const PROVIDER = "anthropic";

interface StreamEvent {
  type: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  content_block?: { type: string; text?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
}

interface PendingToolUse {
  id: string;
  name: string;
  json: string;
}

/**
 * Turns Messages API stream events into weft stream parts: text deltas, whole tool calls (their
 * JSON input accumulated and parsed at `content_block_stop`) and exactly one finish at
 * `message_stop`. A stream that ends before `message_stop` is an error, never a silent truncation.
 *
 * @example
 * for await (const part of fromAnthropicStream(await client.messages.create({ ...body, stream: true }), context)) {
 *   if (part.type === "text-delta") process.stdout.write(part.delta);
 * }
 */
export async function* fromAnthropicStream(
  events: AsyncIterable<unknown>,
  context: AnthropicErrorContext,
): AsyncGenerator<StreamPart> {
  const usage: AnthropicUsage = {};
  const response: ResponseInfo = {};
  const tools = new Map<number, PendingToolUse>();
  let stopReason: string | null | undefined;
  let count = 0;

  try {
    for await (const raw of events) {
      count++;
      const event = raw as StreamEvent;
      switch (event?.type) {
        case "message_start":
          response.id = event.message?.id;
          response.modelId = event.message?.model;
          Object.assign(usage, definedFields(event.message?.usage));
          break;
        case "content_block_start": {
          const block = event.content_block;
          if (block?.type === "tool_use") {
            if (typeof block.id !== "string" || typeof block.name !== "string") {
              throw new InvalidResponseError({
                provider: PROVIDER,
                detail: "a streamed tool_use block without id or name",
              });
            }
            tools.set(event.index ?? 0, { id: block.id, name: block.name, json: "" });
          } else if (block?.type === "text" && block.text) {
            yield { type: "text-delta", delta: block.text };
          }
          break;
        }
        case "content_block_delta": {
          const delta = event.delta;
          if (delta?.type === "text_delta" && delta.text) yield { type: "text-delta", delta: delta.text };
          else if (delta?.type === "input_json_delta") {
            const tool = tools.get(event.index ?? 0);
            if (tool) tool.json += delta.partial_json ?? "";
          }
          break;
        }
        case "content_block_stop": {
          const tool = tools.get(event.index ?? 0);
          if (tool) {
            tools.delete(event.index ?? 0);
            yield {
              type: "tool-call",
              toolCall: { toolCallId: tool.id, toolName: tool.name, input: parseInput(tool) },
            };
          }
          break;
        }
        case "message_delta":
          if (event.delta?.stop_reason !== undefined) stopReason = event.delta.stop_reason;
          Object.assign(usage, definedFields(event.usage));
          break;
        case "message_stop":
          yield { type: "finish", finishReason: toFinishReason(stopReason), usage: toUsage(usage), response };
          return;
        // ping and event types added to the API later carry nothing weft needs.
      }
    }
  } catch (error) {
    throw fromAnthropicError(error, { ...context, midStream: count > 0 });
  }

  // The SDK ends the iteration quietly when the call is aborted.
  if (context.abortSignal?.aborted) throw fromAnthropicError(context.abortSignal.reason, context);
  throw new InvalidResponseError({
    provider: PROVIDER,
    detail: `the stream ended after ${count} event(s) without message_stop, so the reply is incomplete`,
  });
}

function parseInput(tool: PendingToolUse): unknown {
  if (tool.json.trim() === "") return {};
  try {
    return JSON.parse(tool.json);
  } catch (error) {
    throw new InvalidResponseError({
      provider: PROVIDER,
      detail: `the arguments of the call to tool '${tool.name}' are not valid JSON (${tool.json.slice(0, 80)})`,
      cause: error,
    });
  }
}

/** Later usage events repeat fields as null; they must not erase earlier counts. */
function definedFields(usage: AnthropicUsage | undefined): AnthropicUsage {
  const out: AnthropicUsage = {};
  if (!usage) return out;
  for (const [key, value] of Object.entries(usage)) {
    if (typeof value === "number") out[key as keyof AnthropicUsage] = value;
  }
  return out;
}
