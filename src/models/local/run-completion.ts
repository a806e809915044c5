import type { LlamaGrammar, Token } from "node-llama-cpp";
import { AbortError, WeftError } from "../../spec/errors.js";
import type { FinishReason, TokenLogprob } from "../../spec/language-model.js";
import type { Sampling } from "./call-settings.js";
import { type ChatRuntime, messageOf } from "./engine.js";
import { scoreTokens } from "./logprobs.js";
import type { PreparedPrompt } from "./prompt.js";
import { createStopDetector } from "./stop-detector.js";

/** Prompt tokens given to the detokenizer so the first output token decodes as it does mid-text. */
const DETOKENIZE_CONTEXT = 8;

export interface CompletionRequest {
  prompt: PreparedPrompt;
  maxTokens: number;
  sampling: Sampling;
  stop: string[];
  grammar?: LlamaGrammar;
  /** Alternatives per token when logprobs are wanted; `undefined` for no logprobs. */
  topLogprobs?: number;
  signal?: AbortSignal;
  onTextChunk?: (text: string) => void;
}

export interface CompletionOutput {
  text: string;
  finishReason: FinishReason;
  /** Tokens the model sampled, including a final end-of-generation token. */
  outputTokens: number;
  logprobs?: TokenLogprob[];
}

/**
 * Generates one completion on the runtime's sequence. The caller holds `runtime.mutex` and has
 * checked that the prompt plus `maxTokens` fits the context.
 *
 * @example
 * const out = await runtime.mutex.run(() => runCompletion(runtime, "stories260K.gguf", request));
 */
export async function runCompletion(
  runtime: ChatRuntime,
  modelId: string,
  request: CompletionRequest,
): Promise<CompletionOutput> {
  const { sequence, completion } = runtime;
  const meterBefore = sequence.tokenMeter.usedOutputTokens;
  const stops = createStopDetector(request.stop);
  // Caller stop sequences are matched on text here rather than by node-llama-cpp, which drops the
  // part of a token that precedes a stop sequence.
  const stopper = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stopper.signal]) : stopper.signal;
  const generated: Array<{ token: Token; end: number }> = [];
  let pending: Token[] = [];
  let produced = 0;
  try {
    const result = await completion.generateCompletionWithMeta(request.prompt.tokens, {
      ...request.sampling,
      maxTokens: request.maxTokens,
      // Plain decoding: temperature 0 must mean argmax, like every other provider.
      repeatPenalty: false,
      grammar: request.grammar,
      customStopTriggers: request.prompt.stopTriggers.length ? request.prompt.stopTriggers : undefined,
      signal,
      stopOnAbortSignal: true,
      // The caller already guaranteed room, so never silently drop the start of the prompt.
      disableContextShift: true,
      contextShiftSize: 1,
      // node-llama-cpp reports a chunk's tokens just before its text.
      onToken: (tokens) => pending.push(...tokens),
      onTextChunk: (decoded) => {
        // node-llama-cpp decodes the first output token with no preceding context, which drops
        // a SentencePiece leading space; raw completions must keep it to continue the text.
        const chunk =
          generated.length === 0 && request.prompt.continuesText && pending.length > 0
            ? runtime.model.detokenize(pending, false, request.prompt.evaluated.slice(-DETOKENIZE_CONTEXT))
            : decoded;
        produced += chunk.length;
        for (const token of pending) generated.push({ token, end: produced });
        pending = [];
        const { emit, stopped } = stops.push(chunk);
        if (emit !== "") request.onTextChunk?.(emit);
        if (stopped) stopper.abort();
      },
    });
    if (request.signal?.aborted) throw new AbortError({ cause: request.signal.reason });
    const tail = stops.flush();
    if (tail !== "") request.onTextChunk?.(tail);
    const text = stops.text;
    const output: CompletionOutput = {
      text,
      finishReason: !stopper.signal.aborted && result.metadata.stopReason === "maxTokens" ? "length" : "stop",
      outputTokens: sequence.tokenMeter.usedOutputTokens - meterBefore,
    };
    if (request.topLogprobs !== undefined) {
      output.logprobs = await scoreTokens({
        model: runtime.model,
        sequence,
        prefix: request.prompt.evaluated,
        // After a stop sequence, the token it starts in is left out.
        continuation: generated.filter((g) => g.end <= text.length).map((g) => g.token),
        top: request.topLogprobs,
      });
    }
    return output;
  } catch (error) {
    throw toGenerationError(error, modelId, request.signal);
  }
}

/** Maps a failure during generation to a weft error. */
export function toGenerationError(error: unknown, modelId: string, signal?: AbortSignal): WeftError {
  if (WeftError.isInstance(error)) return error;
  if (signal?.aborted || (error as { name?: string } | null)?.name === "AbortError") {
    return new AbortError({ cause: error });
  }
  return new WeftError(
    "local-inference",
    `local:${modelId} failed while generating (${messageOf(error)}). Try a smaller prompt or contextSize; if it persists, the model file may be damaged.`,
    { cause: error },
  );
}
