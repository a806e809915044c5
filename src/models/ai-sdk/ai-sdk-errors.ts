import {
  AbortError,
  APICallError,
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  InvalidResponseError,
  ModelNotFoundError,
  TimeoutError,
  WeftError,
} from "../../spec/errors.js";
import { errorFromHttpStatus, errorFromNetworkFailure } from "../http-errors.js";

export interface AISDKErrorContext {
  /** weft provider name, e.g. `openai` for the AI SDK's `openai.chat`. */
  provider: string;
  modelId: string;
  abortSignal?: AbortSignal;
}

/** The AI SDK marks its errors with `Symbol.for("vercel.ai.error.<name>")`; checking it needs no import. */
function isAISDKError(error: unknown, name: string): boolean {
  const marker = Symbol.for(`vercel.ai.error.${name}`);
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

interface AISDKAPICallError extends Error {
  url?: string;
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

const INVALID_RESPONSE = [
  "AI_InvalidResponseDataError",
  "AI_JSONParseError",
  "AI_TypeValidationError",
  "AI_EmptyResponseBodyError",
  "AI_NoContentGeneratedError",
];
const INVALID_ARGUMENT = [
  "AI_InvalidArgumentError",
  "AI_InvalidPromptError",
  "AI_UnsupportedFunctionalityError",
  "AI_TooManyEmbeddingValuesForCallError",
];

/**
 * Maps an error thrown by (or streamed from) an AI SDK model to the weft error class for that
 * failure mode; HTTP failures go through the same status mapping as weft's own providers.
 *
 * @example
 * try { await aiSdkModel.doGenerate(callOptions) } catch (e) { throw fromAISDKError(e, { provider: "openai", modelId }) }
 */
export function fromAISDKError(error: unknown, context: AISDKErrorContext): WeftError {
  const { provider, modelId } = context;
  if (WeftError.isInstance(error)) return error;
  if (context.abortSignal?.aborted)
    return errorFromNetworkFailure({ provider, error, abortSignal: context.abortSignal });
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "AbortError") return new AbortError({ cause: error });
  if (name === "TimeoutError") return new TimeoutError({ cause: error });
  const message = error instanceof Error ? error.message : String(error);

  if (isAISDKError(error, "AI_APICallError")) {
    const e = error as AISDKAPICallError;
    if (e.statusCode === undefined) return new ConnectionError({ provider, url: e.url, cause: error });
    return errorFromHttpStatus({
      provider,
      modelId,
      status: e.statusCode,
      message,
      headers: e.responseHeaders,
      responseBody: e.responseBody,
      cause: error,
    });
  }
  if (isAISDKError(error, "AI_LoadAPIKeyError")) return new AuthenticationError({ provider, message, cause: error });
  if (isAISDKError(error, "AI_NoSuchModelError")) {
    return new ModelNotFoundError({ modelId: `${provider}:${modelId}`, detail: message, cause: error });
  }
  if (INVALID_RESPONSE.some((n) => isAISDKError(error, n))) {
    return new InvalidResponseError({ provider, detail: message, cause: error });
  }
  if (INVALID_ARGUMENT.some((n) => isAISDKError(error, n))) {
    return new InvalidArgumentError({
      argument: "options",
      message: `${provider}:${modelId} cannot take this call: ${message}`,
    });
  }
  return new APICallError({
    provider,
    message: `The AI SDK model ${provider}:${modelId} failed: ${message}`,
    cause: error,
  });
}
