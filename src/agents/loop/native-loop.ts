import type { Message, ToolCallPart, ToolResultPart } from "../../spec/language-model.js";
import { executeToolCalls } from "./execute-tools.js";
import { callModel } from "./model-step.js";
import type { AgentRun } from "./run-context.js";
import { definitionOf } from "./tool-definitions.js";

/**
 * Sent (not recorded in the result's messages) for the one extra call made when the step limit is
 * reached, together with `toolChoice: "none"`: the run then ends with the model's best answer from
 * what it found rather than with a dangling tool call.
 */
export const STEP_LIMIT_PROMPT =
  "You have used every tool call this request allows. Answer now from what you found so far, without calling tools; say what is still unknown.";

/** Throws the abort reason once the run's signal has fired, so the run ends between steps too. */
export function stopIfAborted(run: AgentRun): void {
  if (run.signal.aborted) throw run.signal.reason;
}

/**
 * The native tool-calling loop: the model gets the tool definitions; its tool calls run and their
 * results go back as tool messages, until it answers without calling a tool or `maxSteps` calls
 * have asked for tools. `sent` is the whole conversation, `added` what the result records.
 */
export async function runNative(
  run: AgentRun,
  sent: Message[],
  added: Message[],
  maxSteps: number,
): Promise<{ answer: string; finishReason: "answer" | "step-limit" }> {
  const definitions = [...run.tools.values()].map(definitionOf);
  const tools = definitions.length ? definitions : undefined;
  const push = (message: Message) => {
    sent.push(message);
    added.push(message);
  };
  for (let step = 1; step <= maxSteps; step++) {
    run.emit({ type: "step-start", step });
    const reply = await callModel(run, step, { messages: sent, tools });
    if (reply.text.trim()) run.lastText = reply.text;
    if (reply.toolCalls.length === 0) {
      push({ role: "assistant", content: reply.text });
      await run.onStep?.({ step, text: reply.text, toolCalls: [], results: [], usage: reply.usage });
      return { answer: reply.text, finishReason: "answer" };
    }
    // Providers always send ids; a model double may not, and results must still pair with calls.
    const calls = reply.toolCalls.map((c, i) => (c.toolCallId ? c : { ...c, toolCallId: `call_${step}_${i}` }));
    const parts: ToolCallPart[] = calls.map((c) => ({ type: "tool-call", ...c }));
    push({ role: "assistant", content: reply.text ? [{ type: "text", text: reply.text }, ...parts] : parts });
    for (const toolCall of calls) run.emit({ type: "tool-call", step, toolCall });
    const results = await executeToolCalls(run, calls, step);
    push({
      role: "tool",
      content: results.map(
        (r): ToolResultPart => ({
          type: "tool-result",
          toolCallId: r.toolCallId,
          toolName: r.tool,
          output: r.output,
          ...(r.isError ? { isError: true } : {}),
        }),
      ),
    });
    await run.onStep?.({ step, text: reply.text, toolCalls: calls, results, usage: reply.usage });
    stopIfAborted(run);
  }
  const step = maxSteps + 1;
  run.emit({ type: "step-start", step });
  const reply = await callModel(run, step, {
    messages: [...sent, { role: "user", content: STEP_LIMIT_PROMPT }],
    tools,
    toolChoice: tools ? "none" : undefined,
  });
  if (reply.text.trim()) {
    run.lastText = reply.text;
    push({ role: "assistant", content: reply.text });
  }
  await run.onStep?.({ step, text: reply.text, toolCalls: [], results: [], usage: reply.usage });
  return { answer: run.lastText, finishReason: "step-limit" };
}
