import { generateText } from "../../generate/generate-text.js";
import { streamText } from "../../generate/stream-text.js";
import type { Message, ToolCall, ToolChoice, ToolDefinition, Usage } from "../../spec/language-model.js";
import { type AgentRun, recordCall } from "./run-context.js";

export interface ModelRequest {
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  stop?: string[];
  /**
   * The part of the text so far that streaming shows as `text-delta` events (ReAct shows only the
   * final answer). Default: all of it.
   */
  visible?: (textSoFar: string) => string;
}

export interface ModelReply {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
}

/**
 * One model call of the run, through generateText (or streamText when streaming) so retries,
 * per-call timeouts, cost and the model's middleware (tracing, caching) all apply.
 */
export async function callModel(run: AgentRun, step: number, request: ModelRequest): Promise<ModelReply> {
  if (run.signal.aborted) throw run.signal.reason;
  // Keys before the spread: on Node 20 a key added after a spread costs about a microsecond per call.
  const base = {
    model: run.model,
    messages: request.messages,
    tools: request.tools,
    toolChoice: request.toolChoice,
    abortSignal: run.signal,
    ...run.settings,
  };
  const options = request.stop ? { ...base, stop: request.stop } : base;
  if (!run.streaming) {
    const result = await generateText(options);
    recordCall(run, result.usage, result.costUsd);
    return { text: result.text, toolCalls: result.toolCalls, usage: result.usage };
  }
  const result = streamText(options);
  const visible = request.visible;
  let text = "";
  let shown = 0;
  for await (const part of result.fullStream) {
    if (part.type !== "text-delta" || (part.choiceIndex ?? 0) !== 0) continue;
    if (!visible) {
      run.emit({ type: "text-delta", step, delta: part.delta });
      continue;
    }
    text += part.delta;
    const now = visible(text);
    if (now.length > shown) {
      run.emit({ type: "text-delta", step, delta: now.slice(shown) });
      shown = now.length;
    }
  }
  const done = await result.done;
  recordCall(run, done.usage, done.costUsd);
  return { text: done.text, toolCalls: done.toolCalls, usage: done.usage };
}
