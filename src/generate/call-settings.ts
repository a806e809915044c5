import type { ModelFactsOverrides } from "../models/model-facts.js";
import { AbortError, InvalidArgumentError, WeftError } from "../spec/errors.js";
import type { CallOptions, LanguageModel } from "../spec/language-model.js";
import { type PromptInput, toMessages } from "./prompt.js";
import { type RetryResult, withRetries } from "./retry.js";
import { callSignal } from "./timeout.js";

/** Generation settings shared by generateText, streamText and generateObject. */
export type CallSettings = Omit<CallOptions, "messages" | "rawPrompt" | "abortSignal">;

/** How the user-facing functions run a call: retries, timeout, cancellation, price overrides. */
export interface RunOptions {
  /** Retries of retryable failures (429, 5xx, resets, timeouts). Default 2. */
  maxRetries?: number;
  /** First retry delay in milliseconds, doubling each retry (default 500). A server's Retry-After wins. */
  retryDelayMs?: number;
  /** Per-attempt timeout in milliseconds. Default: none. */
  timeoutMs?: number;
  abortSignal?: AbortSignal;
  /** Extra model prices and context sizes (e.g. from weft.config.json). */
  modelFacts?: ModelFactsOverrides;
}

/** The `provider:model` id of a model object. */
export function modelIdOf(model: Pick<LanguageModel, "provider" | "modelId">): string {
  return `${model.provider}:${model.modelId}`;
}

/** Rejects settings the model cannot honour instead of silently ignoring them. */
export function checkSettings(model: LanguageModel, settings: CallSettings & { rawPrompt?: string }): void {
  const id = modelIdOf(model);
  const fail = (argument: string, message: string) => {
    throw new InvalidArgumentError({ argument, message });
  };
  if (settings.maxTokens !== undefined && (!Number.isInteger(settings.maxTokens) || settings.maxTokens < 1)) {
    fail("maxTokens", `maxTokens must be a positive integer, got ${settings.maxTokens}.`);
  }
  if (settings.temperature !== undefined && !(settings.temperature >= 0 && settings.temperature <= 2)) {
    fail("temperature", `temperature must be between 0 and 2, got ${settings.temperature}.`);
  }
  if (settings.n !== undefined && settings.n > 1 && !model.capabilities.multipleChoices) {
    fail("n", `${id} cannot return several choices in one call (n=${settings.n}); call it several times instead.`);
  }
  if (settings.grammar !== undefined && !model.capabilities.grammar) {
    fail("grammar", `${id} does not support grammars; use responseFormat with a JSON schema or a local GGUF model.`);
  }
  if (settings.rawPrompt !== undefined && !model.capabilities.rawCompletion) {
    fail("rawPrompt", `${id} has no raw completion mode; pass prompt or messages instead.`);
  }
  if (settings.tools?.length && !model.capabilities.tools) {
    fail("tools", `${id} does not support tool calling; choose a model that does.`);
  }
}

/** Rejects when the signal aborts, even if the underlying promise never settles. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(WeftError.isInstance(signal.reason) ? signal.reason : new AbortError({ cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** A user-facing call split into what the model receives and how weft runs it. */
export interface PreparedCall {
  model: LanguageModel;
  call: Omit<CallOptions, "abortSignal">;
  run: RunOptions;
}

/** Validates settings against the model and normalises the prompt into messages. */
export function prepareCall(options: PromptInput & CallSettings & RunOptions & { model: LanguageModel }): PreparedCall {
  const {
    model,
    prompt,
    system,
    messages,
    rawPrompt,
    maxRetries,
    retryDelayMs,
    timeoutMs,
    abortSignal,
    modelFacts,
    ...settings
  } = options;
  // Added keys go before the spread: on Node 20 a key added after a spread costs ~1 µs per call.
  checkSettings(model, { rawPrompt, ...settings });
  return {
    model,
    call: { rawPrompt, messages: toMessages({ prompt, system, messages, rawPrompt }), ...settings },
    run: { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts },
  };
}

/** Runs one model request with the retry, per-attempt timeout and abort policy of `run`. */
export function attemptWithRetries<T>(
  run: RunOptions,
  request: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<RetryResult<T>> {
  return withRetries(
    async () => {
      const { signal, dispose } = callSignal(run);
      try {
        return await raceSignal(request(signal), signal);
      } finally {
        dispose();
      }
    },
    { maxRetries: run.maxRetries, initialDelayMs: run.retryDelayMs, abortSignal: run.abortSignal },
  );
}
