import type { ModelFactsOverrides } from "../../models/model-facts.js";
import type { LanguageModel, Usage } from "../../spec/language-model.js";
import type { TraceStore } from "../../spec/store.js";

/** One problem a check found in a step's output; fed back to the step's next attempt. */
export interface StepIssue {
  message: string;
  /** Where in the output, when the check knows (a line, a field). */
  path?: string;
}

/** What a validator may return: nothing or an empty list when the output is fine. */
export type IssueList = ReadonlyArray<string | StepIssue> | undefined | null;

/** The previous attempt of a step, given to the next one so it can repair its output. */
export interface StepFeedback<O = unknown> {
  /** Name of the check that failed. */
  check: string;
  issues: StepIssue[];
  /** The previous attempt's output. */
  output: O;
  /** The previous attempt's raw model reply (model steps). */
  text?: string;
}

/** What a step's functions (prompt, parse, run, validators) see about the attempt in progress. */
export interface StepContext<O = unknown> {
  runId: string;
  step: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Set from the second attempt on. */
  feedback?: StepFeedback<O>;
  abortSignal?: AbortSignal;
  /** Streams text as part of this step's output (a `text` event), e.g. progress of a transform. */
  emit(text: string): void;
}

/** A named validator with its own bound on re-runs. */
export interface Check<O, I = unknown> {
  name: string;
  validate(output: O, input: I, ctx: StepContext<O>): IssueList | Promise<IssueList>;
  /** Re-runs of the step this check may cause (default 2). */
  maxRepairs?: number;
  /** When repairs run out: fail the chain (default) or keep the last output and record its issues. */
  onExhausted?: "throw" | "accept";
  /** Appended to the error message when repairs run out, e.g. which option to change. */
  hint?: string;
}

/** Validation options shared by every leaf step. */
export interface CheckOptions<I, O> {
  /** Shorthand for one check named `validate`. */
  validate?: (output: O, input: I, ctx: StepContext<O>) => IssueList | Promise<IssueList>;
  /** Re-runs allowed by `validate` (default 2). */
  maxRepairs?: number;
  /** Checks run in order after each attempt; the first failing one decides the feedback. */
  checks?: ReadonlyArray<Check<O, I>>;
}

export type ChainEvent =
  | { type: "start"; step: string; kind: StepKind; model?: string }
  | { type: "text"; step: string; text: string }
  | { type: "check"; step: string; check: string; status: "running" | "passed" | "failed"; issues: StepIssue[] }
  | { type: "retry"; step: string; attempt: number; check: string; issues: StepIssue[] }
  | { type: "end"; step: string; result: StepResult };

export type StepKind = "model" | "transform" | "branch" | "chain";

/** What one leaf step (model or transform) did, in the order the steps ran. */
export interface StepResult {
  name: string;
  kind: "model" | "transform";
  output: unknown;
  /** The last raw model reply (model steps). */
  text?: string;
  /** `provider:model` (model steps). */
  model?: string;
  attempts: number;
  /** False when a check with `onExhausted: "accept"` still failed; `issues` then says why. */
  valid: boolean;
  issues: StepIssue[];
  /** Summed over attempts. */
  usage: Usage;
  /** USD summed over attempts; null when a model's price is unknown. Transforms cost 0. */
  costUsd: number | null;
  latencyMs: number;
}

/** What the runner gives a step: the run's defaults and where to report. */
export interface ChainRun {
  readonly runId: string;
  /** Model for model steps that name none. */
  readonly model?: LanguageModel;
  /** When set, every model call is traced here with `parentId` = `runId`. */
  readonly traces?: Pick<TraceStore, "insert">;
  readonly sessionId?: string;
  readonly modelFacts?: ModelFactsOverrides;
  readonly abortSignal?: AbortSignal;
  emit(event: ChainEvent): void;
  record(result: StepResult): void;
}

/**
 * A unit of a pipeline: takes `I`, gives `O`. Build them with `modelStep`, `transformStep`,
 * `branch` and `chain`; run them with `runChain` or `streamChain`.
 */
export interface Step<I, O> {
  readonly name: string;
  readonly kind: StepKind;
  run(input: I, run: ChainRun): Promise<O>;
}

/** The input type of a step. */
export type StepInput<S> = S extends Step<infer I, unknown> ? I : never;
/** The output type of a step. */
export type StepOutput<S> = S extends Step<never, infer O> ? O : never;
