import type { RunOptions } from "../../generate/call-settings.js";
import { createReplayBuffer } from "../../generate/replay-buffer.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { LanguageModel, Message, Usage } from "../../spec/language-model.js";
import { AwaitSignal, type Helper, type Partials } from "./context.js";
import type { TemplateLocation } from "./errors.js";
import { installInterpreter } from "./interpreter.js";
import { createModelCaller, type ProgramCall } from "./model-calls.js";
import { type CompiledProgram, compileProgram, isCompiledProgram } from "./parse.js";
import { createReplayLog, type ProgramState } from "./replay.js";
import { createTranscript, type TranscriptSegment } from "./transcript.js";
import { dataOnly, isPlainObject } from "./values.js";

export interface RunProgramOptions extends RunOptions {
  /** Needed when the program calls gen, select or geneach. Wrap it for tracing or caching. */
  model?: LanguageModel;
  /** Input values; functions among them work as helpers, compiled programs as partials. */
  variables?: Record<string, unknown>;
  helpers?: Record<string, Helper>;
  partials?: Partials;
  /** Defaults for gen: max_tokens (500) and temperature (0). */
  defaults?: { maxTokens?: number; temperature?: number };
  /** Receives the visible program text as it is produced, generated text included. */
  onText?: (delta: string) => void;
  /** No streaming output (onText is not called). */
  silent?: boolean;
  /** Resume a program that stopped at `{{await}}`: pass the result's `state` and the awaited value in variables. */
  state?: ProgramState;
}

export interface ProgramResult {
  /** Inputs plus every variable the program set (gen with n>1 gives a list). */
  variables: Record<string, unknown>;
  /** The visible program text; role blocks appear as `<|im_start|>role\n...<|im_end|>`. */
  transcript: string;
  /** The transcript in pieces, hidden ones included and marked. */
  segments: TranscriptSegment[];
  /** The visible conversation built from role blocks (empty for programs without them). */
  messages: Message[];
  /** For each select: the log probability of each option (null where the method gives none). */
  logprobs: Record<string, Record<string, number | null>>;
  /** Summed over this run's model calls. */
  usage: Usage;
  /** USD over this run's calls; null when any call's price is unknown. */
  costUsd: number | null;
  calls: ProgramCall[];
  /** Set when the program stopped at `{{await 'name'}}` for lack of a value. */
  awaiting?: string;
  awaitingAt?: TemplateLocation;
  /** With `awaiting`: pass it back as `state` (plus the value in variables) to resume. */
  state?: ProgramState;
}

const DEFAULT_MAX_TOKENS = 500;

function copyInputs(variables: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(variables)) {
    try {
      out[key] = typeof value === "function" || isCompiledProgram(value) ? value : structuredClone(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

function outputVariables(root: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(root).filter(([, value]) => typeof value !== "function" && !isCompiledProgram(value)),
  );
}

/**
 * Runs a template program: text, variables, control flow, and model calls (`gen`, `select`,
 * `geneach`) interleaved in one pass. Stops at `{{await}}` without a value and returns `state`
 * for resuming; what was generated before is replayed, never generated again.
 *
 * @example
 * const r = await runProgram("Q: {{question}}\nA:{{gen 'answer' max_tokens=30 stop='\\n'}}", {
 *   model,
 *   variables: { question: "What is 2+2?" },
 * });
 * r.variables.answer; r.transcript; r.usage;
 */
export async function runProgram(
  program: string | CompiledProgram,
  options: RunProgramOptions = {},
): Promise<ProgramResult> {
  const compiled = typeof program === "string" ? compileProgram(program) : program;
  if (!isCompiledProgram(compiled)) {
    throw new InvalidArgumentError({
      argument: "program",
      message: "runProgram expects template text or compileProgram(...).",
    });
  }
  if (options.variables !== undefined && !isPlainObject(options.variables)) {
    throw new InvalidArgumentError({ argument: "variables", message: "variables must be an object of name: value." });
  }
  const state = options.state;
  if (state !== undefined && (state?.version !== 1 || !Array.isArray(state.log) || !isPlainObject(state.variables))) {
    throw new InvalidArgumentError({
      argument: "state",
      message: "state must be the `state` of a program result that stopped at {{await}}.",
    });
  }
  const inputs = { ...(state?.variables ?? {}), ...(options.variables ?? {}) };
  const root = copyInputs(inputs);
  const { model, maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts } = options;
  const transcript = createTranscript({ onText: options.silent ? undefined : options.onText });
  const replay = createReplayLog(state?.log ?? []);
  const caller = model
    ? createModelCaller(model, { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts })
    : undefined;
  const rc = installInterpreter({
    model,
    caller,
    root,
    helpers: options.helpers ?? {},
    partials: options.partials,
    partialCache: new Map(),
    partialDepth: 0,
    transcript,
    replay,
    pendingAwaits: new Map(Object.entries(options.variables ?? {})),
    logprobs: {},
    defaults: {
      maxTokens: options.defaults?.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: options.defaults?.temperature ?? 0,
    },
    streaming: !options.silent && options.onText !== undefined,
    capture: null,
    abortSignal,
  });
  let awaiting: AwaitSignal | undefined;
  try {
    await rc.render(compiled.ast, { context: root, data: { root } }, { name: compiled.name });
  } catch (error) {
    if (!(error instanceof AwaitSignal)) throw error;
    awaiting = error;
  }
  const result: ProgramResult = {
    variables: outputVariables(root),
    transcript: transcript.text(),
    segments: transcript.segments(),
    messages: transcript.messages(),
    logprobs: rc.logprobs,
    usage: caller?.usage() ?? {},
    costUsd: caller ? caller.costUsd() : 0,
    calls: caller?.calls ?? [],
  };
  if (awaiting) {
    result.awaiting = awaiting.variable;
    result.awaitingAt = awaiting.location;
    result.state = { version: 1, awaiting: awaiting.variable, variables: dataOnly(inputs), log: replay.entries };
  }
  return result;
}

/**
 * Runs a program and streams its visible text as it is produced.
 *
 * @example
 * const { textStream, result } = streamProgram(template, { model, variables });
 * for await (const delta of textStream) process.stdout.write(delta);
 * const { variables, usage } = await result;
 */
export function streamProgram(
  program: string | CompiledProgram,
  options: RunProgramOptions = {},
): { textStream: AsyncIterableIterator<string>; result: Promise<ProgramResult> } {
  const buffer = createReplayBuffer<string>(() => {});
  const result = runProgram(program, {
    ...options,
    onText: (delta) => {
      options.onText?.(delta);
      buffer.push(delta);
    },
  });
  result.then(
    () => buffer.end(),
    (error) => buffer.end(error),
  );
  return { textStream: buffer.iterate(), result };
}
