/**
 * weft's error classes: one per failure mode, each carrying data and a message that says what to
 * do next. Check with `XError.isInstance(e)` (works across duplicated package copies) or `instanceof`.
 */

const MARKER = Symbol.for("weft.error");

export interface WeftErrorOptions {
  cause?: unknown;
  /** Whether repeating the same call may succeed (rate limits, 5xx, dropped connections). */
  retryable?: boolean;
}

/** Base class of every error weft throws on purpose. `code` is stable and machine-readable. */
export class WeftError extends Error {
  readonly [MARKER] = true;
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: WeftErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  static isInstance(error: unknown): error is WeftError {
    return typeof error === "object" && error !== null && MARKER in error;
  }
}

function isCode<T extends WeftError>(code: string) {
  return (error: unknown): error is T => WeftError.isInstance(error) && error.code === code;
}

/** The API key was missing, wrong or lacks permission (HTTP 401/403). */
export class AuthenticationError extends WeftError {
  readonly provider: string;
  readonly status?: number;
  constructor(opts: { provider: string; message?: string; status?: number; cause?: unknown; envVar?: string }) {
    const hint = opts.envVar
      ? `Check the API key in ${opts.envVar} (or pass apiKey explicitly).`
      : "Check the API key for this provider.";
    super(
      "auth",
      opts.message ?? `${opts.provider} rejected the API key${opts.status ? ` (HTTP ${opts.status})` : ""}. ${hint}`,
      {
        cause: opts.cause,
      },
    );
    this.provider = opts.provider;
    this.status = opts.status;
  }
  static override isInstance = isCode<AuthenticationError>("auth");
}

/** HTTP 429. `retryAfterMs` is the server's Retry-After when it sent one. */
export class RateLimitError extends WeftError {
  readonly provider: string;
  readonly retryAfterMs?: number;
  constructor(opts: { provider: string; retryAfterMs?: number; message?: string; cause?: unknown }) {
    const wait =
      opts.retryAfterMs === undefined ? "" : ` The server asked to wait ${Math.ceil(opts.retryAfterMs / 1000)} s.`;
    super(
      "rate-limit",
      opts.message ??
        `${opts.provider} is rate limiting requests (HTTP 429).${wait} Retry later, lower concurrency, or raise maxRetries.`,
      { cause: opts.cause, retryable: true },
    );
    this.provider = opts.provider;
    this.retryAfterMs = opts.retryAfterMs;
  }
  static override isInstance = isCode<RateLimitError>("rate-limit");
}

/** The prompt plus requested output does not fit the model's context window. */
export class ContextLengthError extends WeftError {
  readonly provider: string;
  readonly contextSize?: number;
  constructor(opts: { provider: string; modelId: string; contextSize?: number; detail?: string; cause?: unknown }) {
    const size = opts.contextSize ? ` (${opts.contextSize} tokens)` : "";
    super(
      "context-length",
      `The request is too long for ${opts.provider}:${opts.modelId}'s context window${size}${opts.detail ? `: ${opts.detail}` : ""}. Shorten the prompt or history, lower maxTokens, or use a model with a larger context.`,
      { cause: opts.cause },
    );
    this.provider = opts.provider;
    this.contextSize = opts.contextSize;
  }
  static override isInstance = isCode<ContextLengthError>("context-length");
}

/** The server answered with something that is not a valid response of its protocol. */
export class InvalidResponseError extends WeftError {
  readonly provider: string;
  constructor(opts: { provider: string; detail: string; cause?: unknown; retryable?: boolean }) {
    super(
      "invalid-response",
      `${opts.provider} sent a response weft could not read: ${opts.detail}. If this is a proxy or a local server, check that it speaks the ${opts.provider} API.`,
      { cause: opts.cause, retryable: opts.retryable ?? true },
    );
    this.provider = opts.provider;
  }
  static override isInstance = isCode<InvalidResponseError>("invalid-response");
}

/** The call took longer than its timeout. */
export class TimeoutError extends WeftError {
  readonly timeoutMs?: number;
  constructor(opts: { timeoutMs?: number; what?: string; cause?: unknown }) {
    super(
      "timeout",
      `${opts.what ?? "The model call"} timed out${opts.timeoutMs ? ` after ${opts.timeoutMs} ms` : ""}. Raise the timeout (timeoutMs / --timeout) or check that the server is responsive.`,
      { cause: opts.cause, retryable: true },
    );
    this.timeoutMs = opts.timeoutMs;
  }
  static override isInstance = isCode<TimeoutError>("timeout");
}

/** The call was cancelled through its AbortSignal. Never retried. */
export class AbortError extends WeftError {
  constructor(opts: { cause?: unknown } = {}) {
    super("aborted", "The call was aborted.", { cause: opts.cause });
  }
  static override isInstance = isCode<AbortError>("aborted");
}

/** The server could not be reached (refused, reset, DNS). */
export class ConnectionError extends WeftError {
  readonly url?: string;
  constructor(opts: { provider: string; url?: string; cause?: unknown; hint?: string }) {
    super(
      "connection",
      `Could not reach ${opts.provider}${opts.url ? ` at ${opts.url}` : ""}. ${opts.hint ?? "Check that the server is running and the base URL is right."}`,
      { cause: opts.cause, retryable: true },
    );
    this.url = opts.url;
  }
  static override isInstance = isCode<ConnectionError>("connection");
}

/** Any other HTTP failure from a provider; retryable for 408, 409, 5xx. */
export class APICallError extends WeftError {
  readonly provider: string;
  readonly status?: number;
  readonly responseBody?: string;
  constructor(opts: {
    provider: string;
    status?: number;
    message: string;
    responseBody?: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super("api-call", opts.message, { cause: opts.cause, retryable: opts.retryable ?? false });
    this.provider = opts.provider;
    this.status = opts.status;
    this.responseBody = opts.responseBody;
  }
  static override isInstance = isCode<APICallError>("api-call");
}

/** No model was named and auto-detection found none. The message lists every way to fix it. */
export class NoModelConfiguredError extends WeftError {
  constructor(opts: { tried?: string[] } = {}) {
    const tried = opts.tried?.length ? ` (looked for: ${opts.tried.join("; ")})` : "";
    super(
      "no-model",
      `No model is configured${tried}. Pass --model provider:name (e.g. openai:gpt-4o-mini, ollama:llama3.2, local:./model.gguf), set "model" in weft.config.json, set OPENAI_API_KEY / ANTHROPIC_API_KEY / AZURE_OPENAI_API_KEY, start Ollama or a llama.cpp server on localhost, or put a .gguf file in the weft models folder.`,
    );
  }
  static override isInstance = isCode<NoModelConfiguredError>("no-model");
}

/** A model id was malformed, named an unknown provider, or the provider does not know the model. */
export class ModelNotFoundError extends WeftError {
  readonly modelId: string;
  constructor(opts: { modelId: string; detail: string; cause?: unknown }) {
    super("model-not-found", `Model '${opts.modelId}' is not available: ${opts.detail}`, { cause: opts.cause });
    this.modelId = opts.modelId;
  }
  static override isInstance = isCode<ModelNotFoundError>("model-not-found");
}

/** A caller passed an option that cannot work (bad value, unsupported combination). */
export class InvalidArgumentError extends WeftError {
  readonly argument: string;
  constructor(opts: { argument: string; message: string }) {
    super("invalid-argument", opts.message);
    this.argument = opts.argument;
  }
  static override isInstance = isCode<InvalidArgumentError>("invalid-argument");
}

/** The model's output never matched the schema within the allowed repairs. */
export class ObjectValidationError extends WeftError {
  readonly text: string;
  readonly issues: Array<{ path: string; message: string }>;
  constructor(opts: { text: string; issues: Array<{ path: string; message: string }>; attempts: number }) {
    const first = opts.issues
      .slice(0, 3)
      .map((i) => `${i.path || "(root)"}: ${i.message}`)
      .join("; ");
    super(
      "object-validation",
      `The model's output did not match the schema after ${opts.attempts} attempt(s): ${first}. Simplify the schema, raise maxRepairs, or use a stronger model.`,
    );
    this.text = opts.text;
    this.issues = opts.issues;
  }
  static override isInstance = isCode<ObjectValidationError>("object-validation");
}

/** An optional engine (node-llama-cpp, pg, PGlite, ...) is not installed. */
export class MissingDependencyError extends WeftError {
  readonly packageName: string;
  constructor(opts: { packageName: string; feature: string; cause?: unknown }) {
    super(
      "missing-dependency",
      `${opts.feature} needs the optional package '${opts.packageName}'. Install it with: npm install ${opts.packageName}`,
      {
        cause: opts.cause,
      },
    );
    this.packageName = opts.packageName;
  }
  static override isInstance = isCode<MissingDependencyError>("missing-dependency");
}

/** The configuration file is unreadable or invalid. */
export class ConfigError extends WeftError {
  readonly path?: string;
  constructor(opts: { message: string; path?: string; cause?: unknown }) {
    super("config", opts.message, { cause: opts.cause });
    this.path = opts.path;
  }
  static override isInstance = isCode<ConfigError>("config");
}

/** The store could not be opened, migrated or written. */
export class StoreError extends WeftError {
  constructor(opts: { message: string; cause?: unknown }) {
    super("store", opts.message, { cause: opts.cause });
  }
  static override isInstance = isCode<StoreError>("store");
}

/** A data file could not be loaded (unreadable, corrupt, wrong format, no tables). */
export class DataLoadError extends WeftError {
  readonly path: string;
  constructor(opts: { path: string; message: string; cause?: unknown }) {
    super("data-load", opts.message, { cause: opts.cause });
    this.path = opts.path;
  }
  static override isInstance = isCode<DataLoadError>("data-load");
}

/**
 * SQL that weft will not run: not exactly one read-only statement, unknown table or column, a
 * forbidden function, or an engine error. `reason` is short and machine-readable.
 */
export class SqlRejectedError extends WeftError {
  readonly sql: string;
  readonly reason:
    | "empty"
    | "multiple-statements"
    | "not-read-only"
    | "forbidden"
    | "syntax"
    | "unknown-object"
    | "timeout"
    | "too-large"
    | "engine";
  constructor(opts: { sql: string; reason: SqlRejectedError["reason"]; message: string; cause?: unknown }) {
    super("sql-rejected", opts.message, { cause: opts.cause });
    this.sql = opts.sql;
    this.reason = opts.reason;
  }
  static override isInstance = isCode<SqlRejectedError>("sql-rejected");
}

/** A tool refused a request on safety grounds: blocked address, path outside the workspace, sandbox limit. */
export class ToolSafetyError extends WeftError {
  readonly tool: string;
  constructor(opts: { tool: string; message: string; cause?: unknown }) {
    super("tool-safety", opts.message, { cause: opts.cause });
    this.tool = opts.tool;
  }
  static override isInstance = isCode<ToolSafetyError>("tool-safety");
}

/** A tool failed while running (bad arguments it could not use, upstream error, sandbox error). */
export class ToolExecutionError extends WeftError {
  readonly tool: string;
  constructor(opts: { tool: string; message: string; cause?: unknown; retryable?: boolean }) {
    super("tool-execution", opts.message, { cause: opts.cause, retryable: opts.retryable });
    this.tool = opts.tool;
  }
  static override isInstance = isCode<ToolExecutionError>("tool-execution");
}

/** An MCP server could not be started, reached or understood. */
export class McpError extends WeftError {
  readonly server: string;
  constructor(opts: { server: string; message: string; cause?: unknown }) {
    super("mcp", opts.message, { cause: opts.cause });
    this.server = opts.server;
  }
  static override isInstance = isCode<McpError>("mcp");
}
