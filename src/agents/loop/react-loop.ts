import type { Message, ToolCall, ToolResultPart } from "../../spec/language-model.js";
import { executeToolCalls } from "./execute-tools.js";
import { callModel } from "./model-step.js";
import { stopIfAborted } from "./native-loop.js";
import {
  correctionPrompt,
  observation,
  parseReActReply,
  plainAnswer,
  REACT_STEP_LIMIT_PROMPT,
  REACT_STOP,
  reactSystemPrompt,
  reactVisibleAnswer,
  toReActTranscript,
} from "./react-protocol.js";
import type { AgentRun } from "./run-context.js";

export interface ReActInput {
  system?: string;
  /** Earlier turns (memory) and the caller's messages with the prompt, in native form. */
  conversation: Message[];
  maxSteps: number;
  maxCorrections: number;
}

/**
 * The ReAct loop. The model sees a text transcript (`Thought / Action / Action Input`, then
 * `Observation`); `added` records the same turns in native form (assistant tool calls, tool
 * messages) so results and memory look alike whatever the protocol. A reply out of format gets a
 * correction; after `maxCorrections` such replies in a row, a plain reply is taken as the answer.
 */
export async function runReAct(
  run: AgentRun,
  input: ReActInput,
  added: Message[],
): Promise<{ answer: string; finishReason: "answer" | "step-limit" }> {
  const toolNames = [...run.tools.keys()];
  const transcript: Message[] = [
    { role: "system", content: reactSystemPrompt([...run.tools.values()], input.system) },
    ...toReActTranscript(input.conversation),
  ];
  const userStop = run.settings.stop ?? [];
  const stop = userStop.includes(REACT_STOP) ? userStop : [...userStop, REACT_STOP];
  const answered = (answer: string, step: number, streamed: boolean) => {
    run.lastText = answer;
    added.push({ role: "assistant", content: answer });
    // A plain reply taken as the answer was not streamed (only text after "Final Answer:" is).
    if (run.streaming && !streamed && answer) run.emit({ type: "text-delta", step, delta: answer });
  };
  let corrections = 0;
  for (let step = 1; step <= input.maxSteps; step++) {
    run.emit({ type: "step-start", step });
    const reply = await callModel(run, step, { messages: transcript, stop, visible: reactVisibleAnswer });
    const parsed = parseReActReply(reply.text, run.tools);
    if (parsed.type === "final") {
      answered(parsed.answer, step, true);
      await run.onStep?.({ step, text: parsed.answer, toolCalls: [], results: [], usage: reply.usage });
      return { answer: parsed.answer, finishReason: "answer" };
    }
    if (parsed.type === "invalid") {
      corrections++;
      if (corrections > input.maxCorrections) {
        const answer = plainAnswer(reply.text);
        answered(answer, step, false);
        await run.onStep?.({ step, text: answer, toolCalls: [], results: [], usage: reply.usage });
        return { answer, finishReason: "answer" };
      }
      transcript.push(
        { role: "assistant", content: reply.text },
        { role: "user", content: correctionPrompt(parsed.reason, toolNames) },
      );
      await run.onStep?.({ step, text: reply.text, toolCalls: [], results: [], usage: reply.usage });
      continue;
    }
    corrections = 0;
    const toolCall: ToolCall = { toolCallId: `react_${step}`, toolName: parsed.toolName, input: parsed.input };
    run.emit({ type: "tool-call", step, toolCall });
    const results = await executeToolCalls(run, [toolCall], step);
    const result = results[0];
    transcript.push({ role: "assistant", content: parsed.text }, observation(result?.output));
    const part: ToolResultPart = {
      type: "tool-result",
      toolCallId: toolCall.toolCallId,
      toolName: toolCall.toolName,
      output: result?.output,
      ...(result?.isError ? { isError: true } : {}),
    };
    added.push(
      {
        role: "assistant",
        content: [
          ...(parsed.thought ? [{ type: "text" as const, text: parsed.thought }] : []),
          { type: "tool-call", ...toolCall },
        ],
      },
      { role: "tool", content: [part] },
    );
    await run.onStep?.({ step, text: parsed.thought, toolCalls: [toolCall], results, usage: reply.usage });
    stopIfAborted(run);
  }
  const step = input.maxSteps + 1;
  run.emit({ type: "step-start", step });
  const reply = await callModel(run, step, {
    messages: [...transcript, { role: "user", content: REACT_STEP_LIMIT_PROMPT }],
    stop,
    visible: reactVisibleAnswer,
  });
  const parsed = parseReActReply(reply.text, run.tools);
  const answer = parsed.type === "final" ? parsed.answer : plainAnswer(reply.text);
  if (answer) answered(answer, step, parsed.type === "final");
  await run.onStep?.({ step, text: answer, toolCalls: [], results: [], usage: reply.usage });
  return { answer: run.lastText, finishReason: "step-limit" };
}
