import {
  AbortError,
  APICallError,
  AuthenticationError,
  ConnectionError,
  ContextLengthError,
  InvalidResponseError,
  ModelNotFoundError,
  RateLimitError,
  TimeoutError,
  WeftError,
} from "../spec/errors.js";

/** Parses `Retry-After` (seconds or HTTP date) and `retry-after-ms` into milliseconds. */
export function parseRetryAfter(headers: Headers | Record<string, string | undefined> | undefined): number | undefined {
  if (!headers) return undefined;
  const get = (name: string) =>
    headers instanceof Headers ? (headers.get(name) ?? undefined) : (headers[name] ?? headers[name.toLowerCase()]);
  const ms = get("retry-after-ms");
  if (ms !== undefined && ms !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = get("retry-after");
  if (value === undefined || value === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const CONTEXT_PATTERNS = [
  /context[_ ]length/i,
  /maximum context/i,
  /context window/i,
  /too many tokens/i,
  /prompt is too long/i,
  /exceeds the (?:model's )?(?:maximum|context)/i,
];

export interface HttpFailure {
  provider: string;
  modelId: string;
  status: number;
  /** Server's error message, if any. */
  message?: string;
  /** Server's machine-readable error code/type, if any. */
  errorCode?: string;
  headers?: Headers | Record<string, string | undefined>;
  responseBody?: string;
  /** Environment variable that holds this provider's key, for the hint in auth errors. */
  apiKeyEnv?: string;
  cause?: unknown;
}

/** Maps an HTTP error response to the weft error class for that failure mode. */
export function errorFromHttpStatus(f: HttpFailure): WeftError {
  const detail = f.message ? `: ${f.message}` : "";
  if (f.status === 401 || f.status === 403) {
    return new AuthenticationError({ provider: f.provider, status: f.status, envVar: f.apiKeyEnv, cause: f.cause });
  }
  if (f.status === 429) {
    return new RateLimitError({ provider: f.provider, retryAfterMs: parseRetryAfter(f.headers), cause: f.cause });
  }
  const text = `${f.errorCode ?? ""} ${f.message ?? ""}`;
  if ((f.status === 400 || f.status === 413) && CONTEXT_PATTERNS.some((p) => p.test(text))) {
    return new ContextLengthError({ provider: f.provider, modelId: f.modelId, detail: f.message, cause: f.cause });
  }
  if (f.status === 404 && /model/i.test(text)) {
    return new ModelNotFoundError({
      modelId: `${f.provider}:${f.modelId}`,
      detail: `the server does not know it${detail}. Check the model name (weft models lists what is available).`,
      cause: f.cause,
    });
  }
  const retryable = f.status === 408 || f.status === 409 || f.status >= 500;
  return new APICallError({
    provider: f.provider,
    status: f.status,
    responseBody: f.responseBody,
    retryable,
    cause: f.cause,
    message: `${f.provider} returned HTTP ${f.status}${detail}.${retryable ? " This is usually temporary; weft retries it." : ""}`,
  });
}

/** Maps a thrown network-level error (no HTTP response) to a weft error. */
export function errorFromNetworkFailure(opts: {
  provider: string;
  url?: string;
  error: unknown;
  abortSignal?: AbortSignal;
  timeoutMs?: number;
}): WeftError {
  const { error } = opts;
  if (WeftError.isInstance(error)) return error;
  if (opts.abortSignal?.aborted) {
    const reason = opts.abortSignal.reason;
    if (WeftError.isInstance(reason)) return reason;
    return new AbortError({ cause: error });
  }
  const name = (error as { name?: string } | null)?.name ?? "";
  if (/timeout/i.test(name)) return new TimeoutError({ timeoutMs: opts.timeoutMs, cause: error });
  if (error instanceof SyntaxError) {
    return new InvalidResponseError({
      provider: opts.provider,
      detail: `malformed JSON (${error.message})`,
      cause: error,
    });
  }
  return new ConnectionError({ provider: opts.provider, url: opts.url, cause: error });
}
