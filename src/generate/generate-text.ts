import { costOf } from "../models/model-facts.js";
import type {
  Choice,
  FinishReason,
  LanguageModel,
  ResponseInfo,
  TokenLogprob,
  ToolCall,
  Usage,
} from "../spec/language-model.js";
import { attemptWithRetries, type CallSettings, modelIdOf, prepareCall, type RunOptions } from "./call-settings.js";
import type { PromptInput } from "./prompt.js";

export interface GenerateTextOptions extends PromptInput, CallSettings, RunOptions {
  model: LanguageModel;
}

export interface GenerateTextResult {
  /** Text of the first choice. */
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  logprobs?: TokenLogprob[];
  /** All choices (more than one when `n > 1`). */
  choices: Choice[];
  usage: Usage;
  /** USD; null when the model's price is unknown; 0 when served from the cache. */
  costUsd: number | null;
  /** True when the result came from the cache (see cachingMiddleware); `usage` is then the original call's. */
  cached: boolean;
  latencyMs: number;
  /** `provider:model`. */
  model: string;
  attempts: number;
  response?: ResponseInfo;
  warnings: string[];
}

/**
 * Generates text with retries, timeout, usage and cost.
 *
 * @example
 * const { text, usage, costUsd } = await generateText({
 *   model: createOpenAI().languageModel("gpt-4o-mini"),
 *   system: "Answer in one sentence.",
 *   prompt: "Why is the sky blue?",
 * });
 */
export async function generateText(options: GenerateTextOptions): Promise<GenerateTextResult> {
  const { model, call, run } = prepareCall(options);
  const started = performance.now();
  const { value: result, attempts } = await attemptWithRetries(run, (abortSignal) =>
    model.doGenerate({ abortSignal, ...call }),
  );
  const first = result.choices[0] ?? { text: "", toolCalls: [], finishReason: "unknown" as const };
  const cached = result.cached === true;
  return {
    text: first.text,
    toolCalls: first.toolCalls,
    finishReason: first.finishReason,
    logprobs: first.logprobs,
    choices: result.choices,
    usage: result.usage,
    costUsd: cached
      ? 0
      : costOf({ provider: model.provider, modelId: model.modelId, usage: result.usage, overrides: run.modelFacts }),
    cached,
    latencyMs: performance.now() - started,
    model: modelIdOf(model),
    attempts,
    response: result.response,
    warnings: result.warnings ?? [],
  };
}
