import { randomUUID } from "node:crypto";
import { raceSignal } from "../../generate/call-settings.js";
import { redactSecrets } from "../../generate/redact.js";
import { WeftError } from "../../spec/errors.js";
import type { ToolCall } from "../../spec/language-model.js";
import type { TraceRecord } from "../../spec/store.js";
import type { AnyTool } from "../tool.js";
import type { AgentRun } from "./run-context.js";
import type { AgentStep } from "./types.js";

interface Outcome {
  output: unknown;
  isError: boolean;
  latencyMs: number;
}

/** The message of anything thrown: a WeftError's as is, other errors' message without the stack. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error || WeftError.isInstance(error)) return error.message || error.name;
  return String(error);
}

/**
 * What the model is shown of a tool's output: the value itself when its text fits in `maxChars`,
 * otherwise the first `maxChars` characters of its text with a note saying how much was cut.
 */
export function limitToolOutput(value: unknown, maxChars: number): { output: unknown; isError: boolean } {
  const output = value === undefined ? null : value;
  let text: string | undefined;
  try {
    text = typeof output === "string" ? output : JSON.stringify(output);
  } catch (error) {
    return {
      output: `Error: the tool returned a value that cannot be sent to the model (${errorMessage(error)}).`,
      isError: true,
    };
  }
  if (text === undefined) text = String(output);
  if (text.length <= maxChars) return { output, isError: false };
  return {
    output: `${text.slice(0, maxChars)}\n[output truncated: the first ${maxChars} of ${text.length} characters are shown; ask for less, e.g. a narrower query]`,
    isError: false,
  };
}

function unknownTool(run: AgentRun, name: string): string {
  const names = [...run.tools.keys()];
  return names.length
    ? `Error: there is no tool named '${name}'. Available tools: ${names.join(", ")}.`
    : `Error: there is no tool named '${name}'; no tools are available, so answer directly.`;
}

/** Parses and validates a call's arguments against the tool's zod schema; issues become the error text. */
function validate(tool: AnyTool, raw: unknown): { input: unknown } | { error: string } {
  let input = raw ?? {};
  if (typeof input === "string") {
    try {
      input = input.trim() === "" ? {} : JSON.parse(input);
    } catch (error) {
      return {
        error: `Error: the arguments of ${tool.name} are not valid JSON (${errorMessage(error)}). Call it again with a JSON object that matches its schema.`,
      };
    }
  }
  const parsed = tool.inputSchema.safeParse(input);
  if (parsed.success) return { input: parsed.data };
  const issues = parsed.error.issues.map((i) => `- ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  return {
    error: `Error: invalid arguments for ${tool.name}:\n${issues.join("\n")}\nFix them and call ${tool.name} again.`,
  };
}

function stoppedMessage(run: AgentRun, name: string): string {
  const reason = run.signal.reason;
  const why =
    WeftError.isInstance(reason) && reason.code === "timeout" ? "the time limit was reached" : "the run was aborted";
  return `Error: ${name} was stopped before it finished: ${why}.`;
}

async function trace(run: AgentRun, call: ToolCall, step: number, tool: AnyTool | undefined, outcome: Outcome) {
  if (!run.traces) return;
  const record: TraceRecord = {
    id: randomUUID(),
    startedAt: new Date(Date.now() - outcome.latencyMs).toISOString(),
    operation: "tool",
    provider: "tool",
    modelId: call.toolName,
    parameters: { toolCallId: call.toolCallId, step, sideEffect: tool?.sideEffect ?? null },
    input: redactSecrets(call.input),
    output: outcome.output,
    usage: {},
    costUsd: 0,
    latencyMs: outcome.latencyMs,
    error: outcome.isError ? { name: "ToolError", message: String(outcome.output) } : null,
    sessionId: run.sessionId ?? null,
    parentId: run.parentId ?? null,
  };
  try {
    await run.traces.insert(record);
  } catch (error) {
    process.emitWarning(`weft could not save a tool trace: ${errorMessage(error)}`);
  }
}

/**
 * Runs one step's tool calls: validates each against its tool's schema, asks for approval of
 * side-effecting ones (one at a time, in call order), then runs the approved ones concurrently, at
 * most `run.maxParallelTools` at once. Never throws for a tool's sake: every problem becomes an
 * error result the model can read. Results (and their events) come in call order.
 */
export async function executeToolCalls(run: AgentRun, calls: ToolCall[], step: number): Promise<AgentStep[]> {
  const outcomes: Array<Outcome | undefined> = new Array(calls.length);
  const traced: Promise<void>[] = [];
  let emitted = 0;
  const settle = (index: number, outcome: Outcome) => {
    outcomes[index] = outcome;
    const call = calls[index] as ToolCall;
    traced.push(trace(run, call, step, run.tools.get(call.toolName), outcome));
    for (let o = outcomes[emitted]; emitted < calls.length && o; o = outcomes[++emitted]) {
      const c = calls[emitted] as ToolCall;
      run.emit({
        type: "tool-result",
        step,
        toolCallId: c.toolCallId,
        toolName: c.toolName,
        output: o.output,
        isError: o.isError,
      });
    }
  };
  const fail = (index: number, output: string) => settle(index, { output, isError: true, latencyMs: 0 });

  const runnable: Array<{ index: number; tool: AnyTool; input: unknown }> = [];
  for (const [index, call] of calls.entries()) {
    const tool = run.tools.get(call.toolName);
    if (!tool) {
      fail(index, unknownTool(run, call.toolName));
      continue;
    }
    const checked = validate(tool, call.input);
    if ("error" in checked) {
      fail(index, checked.error);
      continue;
    }
    if (tool.sideEffect) {
      if (!run.approve) {
        run.emit({ type: "approval-denied", step, toolCall: call, reason: "no-approver" });
        fail(
          index,
          `Error: ${tool.name} changes things and needs the user's approval, which was not given (no one can approve in this run). Do not call it again; answer without it or say what you would have done.`,
        );
        continue;
      }
      run.emit({ type: "approval-requested", step, toolCall: call });
      let approved: boolean;
      try {
        approved = await raceSignal(
          Promise.resolve(
            run.approve({
              tool: tool.name,
              input: checked.input,
              toolCallId: call.toolCallId,
              description: tool.description,
              abortSignal: run.signal,
            }),
          ),
          run.signal,
        );
      } catch (error) {
        if (run.signal.aborted) {
          fail(index, stoppedMessage(run, tool.name));
          continue;
        }
        throw error;
      }
      if (approved !== true) {
        run.emit({ type: "approval-denied", step, toolCall: call, reason: "denied" });
        fail(
          index,
          `Error: the user did not approve this call of ${tool.name}. Do not call it again with the same arguments; answer without it or ask the user.`,
        );
        continue;
      }
    }
    runnable.push({ index, tool, input: checked.input });
  }

  let next = 0;
  const worker = async () => {
    while (next < runnable.length) {
      const { index, tool, input } = runnable[next++] as (typeof runnable)[number];
      const call = calls[index] as ToolCall;
      const started = performance.now();
      let outcome: { output: unknown; isError: boolean };
      try {
        const value = await raceSignal(
          tool.execute(input, { toolCallId: call.toolCallId, abortSignal: run.signal }),
          run.signal,
        );
        outcome = limitToolOutput(value, run.maxToolOutputChars);
      } catch (error) {
        outcome = {
          output: run.signal.aborted ? stoppedMessage(run, tool.name) : `Error: ${errorMessage(error)}`,
          isError: true,
        };
      }
      settle(index, { ...outcome, latencyMs: performance.now() - started });
    }
  };
  const workers = Math.min(run.maxParallelTools, runnable.length);
  await Promise.all(Array.from({ length: workers }, worker));
  await Promise.all(traced);

  const steps = calls.map((call, index) => {
    const outcome = outcomes[index] as Outcome;
    return {
      step,
      toolCallId: call.toolCallId,
      tool: call.toolName,
      input: call.input,
      output: outcome.output,
      isError: outcome.isError,
    };
  });
  run.steps.push(...steps);
  return steps;
}
