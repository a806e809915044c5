import { AbortError, APICallError, ConnectionError, TimeoutError, WeftError } from "../../spec/errors.js";
import { errorFromHttpStatus, errorFromNetworkFailure } from "../http-errors.js";
import { loadedAnthropicSdk } from "./sdk.js";

const PROVIDER = "anthropic";

/** Error `type`s Anthropic sends in SSE `error` events, where there is no HTTP status of their own. */
const STATUS_OF_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export interface AnthropicErrorContext {
  modelId: string;
  baseURL: string;
  abortSignal?: AbortSignal;
  /** The failure happened after the stream had started. */
  midStream?: boolean;
}

/**
 * Maps anything the Anthropic SDK throws to the weft error class for that failure mode.
 *
 * @example
 * try { await client.messages.create(body) } catch (e) { throw fromAnthropicError(e, { modelId, baseURL }) }
 */
export function fromAnthropicError(error: unknown, context: AnthropicErrorContext): WeftError {
  if (WeftError.isInstance(error)) return error;
  if (context.abortSignal?.aborted) {
    return errorFromNetworkFailure({ provider: PROVIDER, error, abortSignal: context.abortSignal });
  }
  const sdk = loadedAnthropicSdk();
  if (sdk && error instanceof sdk.APIUserAbortError) return new AbortError({ cause: error });
  if (sdk && error instanceof sdk.APIConnectionTimeoutError)
    return new TimeoutError({ what: "The Anthropic call", cause: error });
  if (sdk && error instanceof sdk.APIConnectionError) {
    return errorFromNetworkFailure({ provider: PROVIDER, url: context.baseURL, error: error.cause ?? error });
  }
  if (sdk && error instanceof sdk.APIError) {
    const status = error.status ?? (error.type ? STATUS_OF_TYPE[error.type] : undefined);
    const message = error.apiMessage ?? undefined;
    if (status === 529 || error.type === "overloaded_error") {
      return new APICallError({
        provider: PROVIDER,
        status: 529,
        retryable: true,
        responseBody: bodyText(error.error),
        cause: error,
        message: `Anthropic is overloaded${message ? `: ${message}` : ""}. This is temporary; retry in a few seconds (weft retries it).`,
      });
    }
    if (status !== undefined) {
      return errorFromHttpStatus({
        provider: PROVIDER,
        modelId: context.modelId,
        status,
        message,
        errorCode: error.type ?? undefined,
        headers: error.headers,
        responseBody: bodyText(error.error),
        apiKeyEnv: "ANTHROPIC_API_KEY",
        cause: error,
      });
    }
  }
  if (error instanceof SyntaxError) return errorFromNetworkFailure({ provider: PROVIDER, error });
  if (isUndiciTermination(error)) {
    return new ConnectionError({
      provider: PROVIDER,
      url: context.baseURL,
      cause: error,
      hint: context.midStream
        ? "The connection dropped while the response was streaming; retrying the call usually works."
        : "Check that the server is running and the base URL is right.",
    });
  }
  return new APICallError({
    provider: PROVIDER,
    message: `The Anthropic call failed: ${error instanceof Error ? error.message : String(error)}.`,
    cause: error,
  });
}

function isUndiciTermination(error: unknown): boolean {
  return error instanceof TypeError && /terminated|fetch failed|socket|network/i.test(error.message);
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  return typeof body === "string" ? body : JSON.stringify(body);
}
