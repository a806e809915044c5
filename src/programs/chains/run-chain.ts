import { randomUUID } from "node:crypto";
import { createReplayBuffer } from "../../generate/replay-buffer.js";
import { addCost, addUsage } from "../../generate/usage.js";
import type { ModelFactsOverrides } from "../../models/model-facts.js";
import type { LanguageModel, Usage } from "../../spec/language-model.js";
import type { TraceStore } from "../../spec/store.js";
import type { ChainEvent, ChainRun, Step, StepResult } from "./types.js";

export interface RunChainOptions {
  /** Model for the model steps that name none. */
  model?: LanguageModel;
  /** Trace every model call here, with `parentId` = the run id (e.g. `store.traces`). */
  traces?: Pick<TraceStore, "insert">;
  /** Id of this run (default: a random UUID); the traces' `parentId`. */
  runId?: string;
  sessionId?: string;
  modelFacts?: ModelFactsOverrides;
  abortSignal?: AbortSignal;
  /** Every event as it happens: step start and end, text deltas, checks, retries. */
  onEvent?: (event: ChainEvent) => void;
  /** Shorthand for the `text` events. */
  onText?: (text: string, step: string) => void;
}

export interface ChainResult<O> {
  runId: string;
  output: O;
  /** Every model and transform step that ran, in order. */
  steps: StepResult[];
  /** Summed over every step and attempt. */
  usage: Usage;
  /** USD; null when a model's price is unknown. */
  costUsd: number | null;
  latencyMs: number;
}

/**
 * Runs a step (usually a `chain`) on an input and returns the output with every step's result,
 * usage and cost, and the totals.
 *
 * @example
 * const store = await openStore();
 * const result = await runChain(pipeline, "tides", {
 *   model,
 *   traces: store.traces,
 *   onText: (text) => process.stdout.write(text),
 * });
 * await store.traces.list({ parentId: result.runId }); // one trace per model call
 */
export async function runChain<I, O>(
  step: Step<I, O>,
  input: I,
  options: RunChainOptions = {},
): Promise<ChainResult<O>> {
  const runId = options.runId ?? randomUUID();
  const steps: StepResult[] = [];
  const started = performance.now();
  const run: ChainRun = {
    runId,
    model: options.model,
    traces: options.traces,
    sessionId: options.sessionId,
    modelFacts: options.modelFacts,
    abortSignal: options.abortSignal,
    emit(event) {
      options.onEvent?.(event);
      if (event.type === "text") options.onText?.(event.text, event.step);
    },
    record: (result) => steps.push(result),
  };
  const output = await step.run(input, run);
  return {
    runId,
    output,
    steps,
    usage: steps.reduce<Usage>((sum, s) => addUsage(sum, s.usage), {}),
    costUsd: steps.reduce<number | null>((sum, s) => addCost(sum, s.costUsd), 0),
    latencyMs: performance.now() - started,
  };
}

export interface StreamChainResult<O> {
  /** Every event of the run; ends when the run does, and throws the run's error if it fails. */
  events: AsyncIterableIterator<ChainEvent>;
  /** The run's result (the same as runChain's). */
  result: Promise<ChainResult<O>>;
}

/**
 * Starts a run and returns its events as an async iterable, plus the final result. The run starts
 * at once; events are buffered, so reading them late loses none.
 *
 * @example
 * const { events, result } = streamChain(pipeline, "tides", { model });
 * for await (const e of events) if (e.type === "text") process.stdout.write(e.text);
 * const { output, costUsd } = await result;
 */
export function streamChain<I, O>(
  step: Step<I, O>,
  input: I,
  options: Omit<RunChainOptions, "onEvent" | "onText"> = {},
): StreamChainResult<O> {
  const buffer = createReplayBuffer<ChainEvent>(() => {});
  const result = runChain(step, input, { ...options, onEvent: (event) => buffer.push(event) });
  result.then(
    () => buffer.end(),
    (error) => buffer.end(error),
  );
  // Callers who only read the events must not get an unhandled rejection from `result`.
  result.catch(() => {});
  return { events: buffer.iterate(), result };
}
