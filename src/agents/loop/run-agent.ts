import { raceSignal } from "../../generate/call-settings.js";
import { createAsyncQueue } from "../../models/local/async-queue.js";
import { AbortError, InvalidArgumentError, TimeoutError } from "../../spec/errors.js";
import type { Message } from "../../spec/language-model.js";
import type { AnyTool } from "../tool.js";
import { runNative } from "./native-loop.js";
import { runReAct } from "./react-loop.js";
import type { AgentRun } from "./run-context.js";
import type { AgentEvent, AgentFinishReason, AgentOptions, AgentProtocol, AgentResult } from "./types.js";

interface LoopMode {
  emit(event: AgentEvent): void;
  streaming: boolean;
  /** streamAgent's own cancellation (the consumer stopped reading). */
  cancel?: AbortSignal;
}

function positiveInteger(value: number | undefined, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError({ argument, message: `${argument} must be a positive whole number, got ${value}.` });
  }
  return value;
}

function toolMap(tools: AnyTool[]): Map<string, AnyTool> {
  const map = new Map<string, AnyTool>();
  for (const t of tools) {
    if (!t || typeof t.execute !== "function" || typeof t.name !== "string") {
      throw new InvalidArgumentError({
        argument: "tools",
        message: "Every entry of tools must be a tool made with tool().",
      });
    }
    if (map.has(t.name)) {
      throw new InvalidArgumentError({
        argument: "tools",
        message: `Two tools are named '${t.name}'; tool names must be unique so the model can tell them apart.`,
      });
    }
    map.set(t.name, t);
  }
  return map;
}

function chooseProtocol(options: AgentOptions): AgentProtocol {
  const { protocol = "auto", model } = options;
  if (protocol === "auto") return model.capabilities.tools ? "native" : "react";
  if (protocol === "native" && !model.capabilities.tools) {
    throw new InvalidArgumentError({
      argument: "protocol",
      message: `${model.provider}:${model.modelId} has no native tool calling; use protocol "react" or "auto".`,
    });
  }
  if (protocol !== "native" && protocol !== "react") {
    throw new InvalidArgumentError({
      argument: "protocol",
      message: `protocol must be "auto", "native" or "react", got '${protocol}'.`,
    });
  }
  return protocol;
}

async function agentLoop(options: AgentOptions, mode: LoopMode): Promise<AgentResult> {
  const {
    model,
    tools = [],
    prompt,
    messages = [],
    system,
    maxSteps: maxStepsOption,
    timeLimitMs,
    approve,
    memory,
    protocol: _protocol,
    onStep,
    maxParallelTools,
    maxToolOutputChars,
    maxCorrections: maxCorrectionsOption,
    traces,
    sessionId,
    parentId,
    abortSignal,
    ...settings
  } = options;
  if (!model || typeof model.doGenerate !== "function") {
    throw new InvalidArgumentError({ argument: "model", message: "runAgent needs a model (a LanguageModel object)." });
  }
  const protocol = chooseProtocol(options);
  const maxSteps = positiveInteger(maxStepsOption, "maxSteps", 10);
  const maxCorrections = maxCorrectionsOption ?? 2;
  if (!Number.isInteger(maxCorrections) || maxCorrections < 0) {
    throw new InvalidArgumentError({
      argument: "maxCorrections",
      message: `maxCorrections must be 0 or more, got ${maxCorrections}.`,
    });
  }
  if (timeLimitMs !== undefined && !(timeLimitMs > 0)) {
    throw new InvalidArgumentError({
      argument: "timeLimitMs",
      message: `timeLimitMs must be a positive number of milliseconds, got ${timeLimitMs}.`,
    });
  }
  const input: Message[] = prompt === undefined ? [...messages] : [...messages, { role: "user", content: prompt }];
  if (!input.some((m) => m.role === "user")) {
    throw new InvalidArgumentError({
      argument: "prompt",
      message: "runAgent needs the user's request: pass prompt, or messages with a user turn.",
    });
  }

  const controller = new AbortController();
  const timeUp =
    timeLimitMs === undefined ? undefined : new TimeoutError({ timeoutMs: timeLimitMs, what: "The agent run" });
  const timer = timeUp && setTimeout(() => controller.abort(timeUp), timeLimitMs);
  const sources = [abortSignal, mode.cancel].filter((s): s is AbortSignal => s !== undefined);
  const forward = (source: AbortSignal) => () => controller.abort(source.reason ?? new AbortError());
  const listeners = sources.map((source) => {
    const listener = forward(source);
    if (source.aborted) listener();
    else source.addEventListener("abort", listener, { once: true });
    return () => source.removeEventListener("abort", listener);
  });

  const run: AgentRun = {
    model,
    tools: toolMap(tools),
    settings,
    signal: controller.signal,
    streaming: mode.streaming,
    emit: mode.emit,
    onStep,
    approve,
    maxParallelTools: positiveInteger(maxParallelTools, "maxParallelTools", 4),
    maxToolOutputChars: positiveInteger(maxToolOutputChars, "maxToolOutputChars", 20_000),
    traces,
    sessionId,
    parentId,
    usage: {},
    costUsd: 0,
    modelCalls: 0,
    steps: [],
    lastText: "",
  };
  const added: Message[] = [...input];
  let outcome: { answer: string; finishReason: AgentFinishReason };
  try {
    const history = memory ? await raceSignal(memory.load({ abortSignal: run.signal }), run.signal) : [];
    outcome =
      protocol === "native"
        ? await runNative(
            run,
            [...(system === undefined ? [] : [{ role: "system" as const, content: system }]), ...history, ...input],
            added,
            maxSteps,
          )
        : await runReAct(run, { system, conversation: [...history, ...input], maxSteps, maxCorrections }, added);
  } catch (error) {
    if (!run.signal.aborted) throw error;
    outcome = { answer: run.lastText, finishReason: timeUp && run.signal.reason === timeUp ? "time-limit" : "aborted" };
  } finally {
    if (timer) clearTimeout(timer);
    for (const remove of listeners) remove();
  }
  if (memory) await memory.save(added);
  const result: AgentResult = {
    answer: outcome.answer,
    steps: run.steps,
    messages: added,
    usage: run.usage,
    costUsd: run.costUsd,
    finishReason: outcome.finishReason,
    modelCalls: run.modelCalls,
    protocol,
  };
  mode.emit({ type: "finish", ...result });
  return result;
}

const ignore = () => {};

/**
 * Runs a tool-using agent: the model calls tools (natively, or through the ReAct text protocol for
 * models without tool calling) until it answers, or a step or time limit ends the run. Tool
 * arguments are validated, failures go back to the model as error results, and side-effecting
 * tools need `approve`.
 *
 * @example
 * const add = tool({
 *   name: "add",
 *   description: "Adds two numbers.",
 *   inputSchema: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => a + b,
 * });
 * const { answer, steps, usage } = await runAgent({ model, tools: [add], prompt: "What is 2 + 40?" });
 */
export function runAgent(options: AgentOptions): Promise<AgentResult> {
  return agentLoop(options, { emit: ignore, streaming: false });
}

/** The events of a running agent, plus its result. */
export interface AgentStream extends AsyncIterable<AgentEvent> {
  /** Resolves with the result when the run ends (rejects with its error); reading it also starts the run. */
  readonly result: Promise<AgentResult>;
}

/**
 * Runs an agent like runAgent, streaming its events: `step-start`, `text-delta`, `tool-call`,
 * `approval-requested` / `approval-denied`, `tool-result`, and a last `finish` with the result.
 * The run starts when the events or `result` are first read; stopping the iteration early
 * (`break`) aborts it.
 *
 * @example
 * for await (const event of streamAgent({ model, tools, prompt })) {
 *   if (event.type === "text-delta") process.stdout.write(event.delta);
 *   if (event.type === "tool-call") console.error(`→ ${event.toolCall.toolName}`);
 * }
 */
export function streamAgent(options: AgentOptions): AgentStream {
  const cancel = new AbortController();
  const queue = createAsyncQueue<AgentEvent>({ onCancel: () => cancel.abort(new AbortError()) });
  let started: Promise<AgentResult> | undefined;
  const start = () => {
    if (!started) {
      started = agentLoop(options, { emit: (e) => queue.push(e), streaming: true, cancel: cancel.signal });
      started.then(
        () => queue.end(),
        (error) => queue.fail(error),
      );
    }
    return started;
  };
  return {
    [Symbol.asyncIterator]() {
      start();
      return queue.iterable[Symbol.asyncIterator]();
    },
    get result() {
      return start();
    },
  };
}
