import { costOf } from "../models/model-facts.js";
import { InvalidResponseError } from "../spec/errors.js";
import type { FinishReason, LanguageModel, StreamPart, ToolCall, Usage } from "../spec/language-model.js";
import { type CallSettings, modelIdOf, prepareCall, type RunOptions, raceSignal } from "./call-settings.js";
import type { PromptInput } from "./prompt.js";
import { createReplayBuffer } from "./replay-buffer.js";
import { withRetries } from "./retry.js";
import { callSignal } from "./timeout.js";

export interface StreamTextOptions extends PromptInput, CallSettings, RunOptions {
  model: LanguageModel;
}

export interface StreamTextFinish {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  /** Replayed from the result cache: cost 0. */
  cached: boolean;
  /** Milliseconds until the first text arrived. */
  firstTokenMs: number | null;
  model: string;
  attempts: number;
  warnings: string[];
}

export interface StreamTextResult {
  /** Text deltas of the first choice. */
  textStream: AsyncIterableIterator<string>;
  /** Every stream part, including tool calls, logprobs and the finish part. */
  fullStream: AsyncIterableIterator<StreamPart>;
  /** Resolves when the stream ends; rejects with the stream's error. */
  done: Promise<StreamTextFinish>;
  /** Shorthand for `(await done).text`. */
  text: Promise<string>;
}

/**
 * Streams text. Nothing is sent until one of the streams or promises is read; failures before the
 * first part are retried like generateText, failures mid-stream end the streams with a WeftError.
 *
 * @example
 * const result = streamText({ model, prompt: "Tell me a story." });
 * for await (const delta of result.textStream) process.stdout.write(delta);
 * const { usage, costUsd } = await result.done;
 */
export function streamText(options: StreamTextOptions): StreamTextResult {
  const { model, call, run: policy } = prepareCall(options);
  const buffer = createReplayBuffer<StreamPart>(() => void run());
  let resolveDone!: (v: StreamTextFinish) => void;
  let rejectDone!: (e: unknown) => void;
  const done = new Promise<StreamTextFinish>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Callers who only read textStream must not get an unhandled rejection from `done`.
  done.catch(() => {});

  async function run(): Promise<void> {
    const started = performance.now();
    let firstTokenMs: number | null = null;
    let text = "";
    const toolCalls: ToolCall[] = [];
    let finish: Extract<StreamPart, { type: "finish" }> | undefined;
    const { signal, dispose } = callSignal(policy);
    try {
      const { value: result, attempts } = await withRetries(
        () => raceSignal(model.doStream({ abortSignal: signal, ...call }), signal),
        { maxRetries: policy.maxRetries, initialDelayMs: policy.retryDelayMs, abortSignal: policy.abortSignal },
      );
      for await (const part of result.stream) {
        if (signal?.aborted) break;
        if (part.type === "text-delta" && (part.choiceIndex ?? 0) === 0) {
          if (firstTokenMs === null) firstTokenMs = performance.now() - started;
          text += part.delta;
        } else if (part.type === "tool-call" && (part.choiceIndex ?? 0) === 0) {
          toolCalls.push(part.toolCall);
        } else if (part.type === "finish") {
          finish = part;
        }
        buffer.push(part);
      }
      if (signal?.aborted) throw signal.reason;
      if (!finish) {
        throw new InvalidResponseError({ provider: model.provider, detail: "the stream ended without a finish event" });
      }
      const summary: StreamTextFinish = {
        text,
        toolCalls,
        finishReason: finish.finishReason,
        usage: finish.usage,
        cached: result.cached === true,
        costUsd: result.cached
          ? 0
          : costOf({
              provider: model.provider,
              modelId: model.modelId,
              usage: finish.usage,
              overrides: policy.modelFacts,
            }),
        latencyMs: performance.now() - started,
        firstTokenMs,
        model: modelIdOf(model),
        attempts,
        warnings: result.warnings ?? [],
      };
      buffer.end();
      resolveDone(summary);
    } catch (error) {
      buffer.end(error);
      rejectDone(error);
    } finally {
      dispose();
    }
  }

  const fullStream = buffer.iterate();
  async function* textOnly(): AsyncGenerator<string> {
    for await (const part of buffer.iterate()) {
      if (part.type === "text-delta" && (part.choiceIndex ?? 0) === 0) yield part.delta;
    }
  }
  const startOnRead = <T>(p: Promise<T>): Promise<T> => {
    // Reading a promise alone must also start the call.
    void buffer
      .iterate()
      .next()
      .catch(() => {});
    return p;
  };
  return {
    textStream: textOnly(),
    fullStream,
    get done() {
      return startOnRead(done);
    },
    get text() {
      return startOnRead(done.then((d) => d.text));
    },
  };
}
