import { inspect } from "node:util";
import {
  AbortError,
  APICallError,
  ConnectionError,
  InvalidResponseError,
  ModelNotFoundError,
  TimeoutError,
  WeftError,
} from "../../spec/errors.js";
import { errorFromHttpStatus, errorFromNetworkFailure } from "../http-errors.js";
import type { Connection } from "./connection.js";
import { loadedOpenAISdk } from "./sdk.js";

const CUT_HINT = "The connection closed before the response was complete. Retry the call.";

/**
 * Maps anything the OpenAI SDK (or the body parser under it) throws to a weft error.
 * The API key is removed from every message it copies from the server.
 *
 * @example
 * try { await client.chat.completions.create(body) } catch (e) { throw mapOpenAIError(e, connection, modelId) }
 */
export function mapOpenAIError(
  error: unknown,
  connection: Connection,
  modelId: string,
  abortSignal?: AbortSignal,
): WeftError {
  if (WeftError.isInstance(error)) return error;
  return mapError(withoutSecret(error, connection.secret), connection, modelId, abortSignal);
}

function mapError(error: unknown, connection: Connection, modelId: string, abortSignal?: AbortSignal): WeftError {
  const { provider } = connection;
  const redact = (text: string | undefined) => redactSecret(text, connection.secret);

  if (abortSignal?.aborted && WeftError.isInstance(abortSignal.reason)) return abortSignal.reason;
  const sdk = loadedOpenAISdk();
  if ((sdk && error instanceof sdk.APIUserAbortError) || abortSignal?.aborted) return new AbortError({ cause: error });
  if (sdk && error instanceof sdk.APIConnectionTimeoutError) {
    return new TimeoutError({ timeoutMs: connection.timeoutMs, what: `The ${provider} call`, cause: error });
  }
  if (sdk && error instanceof sdk.APIConnectionError) {
    return new ConnectionError({ provider, url: connection.displayURL, hint: connection.connectionHint, cause: error });
  }
  if (sdk && error instanceof sdk.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const message = redact(typeof body?.message === "string" ? body.message : undefined);
    const errorCode = (error.code ?? error.type ?? undefined) || undefined;
    if (error.status === undefined) {
      return new APICallError({
        provider,
        message: `${provider} reported an error during the response${message ? `: ${message}` : ""}. Retry the call.`,
        retryable: true,
        cause: error,
      });
    }
    if (error.status === 404 && errorCode === "DeploymentNotFound") {
      return new ModelNotFoundError({
        modelId: `${provider}:${modelId}`,
        detail: `the resource has no deployment named '${modelId}'. Check the deployment name in the Azure portal.`,
        cause: error,
      });
    }
    return errorFromHttpStatus({
      provider,
      modelId,
      status: error.status,
      message,
      errorCode,
      headers: error.headers,
      responseBody: body === undefined ? undefined : redact(JSON.stringify(body)),
      apiKeyEnv: connection.apiKeyEnv,
      cause: error,
    });
  }
  if (error instanceof SyntaxError) {
    return new InvalidResponseError({ provider, detail: `malformed JSON (${error.message})`, cause: error });
  }
  if (error instanceof TypeError) {
    const cut = /terminated|other side closed|socket/i.test(`${error.message} ${String(error.cause ?? "")}`);
    return new ConnectionError({
      provider,
      url: connection.displayURL,
      hint: cut ? CUT_HINT : connection.connectionHint,
      cause: error,
    });
  }
  if (error instanceof Error) {
    return new APICallError({
      provider,
      message: `The ${provider} call failed: ${redact(error.message)}`,
      cause: error,
    });
  }
  return errorFromNetworkFailure({ provider, url: connection.displayURL, error });
}

/**
 * Replaces every occurrence of the secret in a text.
 *
 * @example
 * redactSecret("bad key sk-123456", "sk-123456"); // "bad key [redacted]"
 */
export function redactSecret(text: string | undefined, secret: string | undefined): string | undefined {
  if (text === undefined || !secret || secret.length < 4) return text;
  return text.split(secret).join("[redacted]");
}

/**
 * The SDK error becomes the weft error's `cause`; when the server echoed the key into it, keep the
 * error's class (for the mapping) but replace its texts with redacted copies.
 */
function withoutSecret(error: unknown, secret: string | undefined): unknown {
  if (!secret || secret.length < 4 || !(error instanceof Error)) return error;
  if (!inspect(error, { depth: 6 }).includes(secret)) return error;
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    Object.defineProperty(copy, key, {
      value: redactValue((error as unknown as Record<string, unknown>)[key], secret),
      enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function redactValue(value: unknown, secret: string): unknown {
  if (typeof value === "string") return redactSecret(value, secret);
  if (value instanceof Error) {
    return inspect(value, { depth: 6 }).includes(secret) ? new Error(redactSecret(value.message, secret)) : value;
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return value;
  }
  return json?.includes(secret) ? JSON.parse(json.split(secret).join("[redacted]")) : value;
}
