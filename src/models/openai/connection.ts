import type { ClientOptions, OpenAI } from "openai";

/** A `fetch` implementation, e.g. to record or proxy requests. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Environment variables to read configuration from. */
export type Env = Record<string, string | undefined>;

/**
 * The SDK's own timeout is set out of the way (a day): callers bound calls with their AbortSignal.
 * Larger values overflow Node's timer and would fire at once.
 */
export const DEFAULT_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** How one member of the OpenAI family differs on the wire. */
export interface ChatFlavor {
  /** `max_completion_tokens` (OpenAI, Azure) or `max_tokens` (other servers). */
  maxTokensField: "max_completion_tokens" | "max_tokens";
  /** Declares `/completions` support for raw prompts. */
  rawCompletion: boolean;
  /** Count tokens locally with the OpenAI tokenizers. */
  countTokens: boolean;
  /** Forward `topK` as `top_k` (most local servers accept it; OpenAI does not). */
  topK: boolean;
}

/** Everything a model needs to reach its server and explain failures. */
export interface Connection {
  readonly provider: string;
  /** Base URL shown in error messages (credentials and query removed). */
  readonly displayURL: string;
  readonly apiKeyEnv?: string;
  readonly connectionHint?: string;
  readonly timeoutMs: number;
  /** Redacted from every error message. */
  readonly secret?: string;
  readonly flavor: ChatFlavor;
  /** The SDK client, created on first use; throws a WeftError when configuration is missing. */
  client(): Promise<OpenAI>;
}

/**
 * Memoises a client factory so configuration errors surface on the first call, not at construction.
 *
 * @example
 * const client = lazy(async () => new (await loadOpenAISdk()).OpenAI(options)); // nothing is created until client() runs
 */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/**
 * SDK options shared by every provider: no retries, quiet logging, caller-controlled timeouts.
 *
 * @example
 * new OpenAI(sdkOptions({ apiKey, baseURL: "http://127.0.0.1:8080/v1" }));
 */
export function sdkOptions(o: {
  apiKey: string;
  baseURL: string;
  headers?: Record<string, string>;
  fetch?: FetchFunction;
  timeoutMs?: number;
  organization?: string;
  project?: string;
}): Omit<ClientOptions, "provider"> {
  return {
    apiKey: o.apiKey,
    baseURL: o.baseURL,
    // Explicit nulls stop the SDK from reading these from process.env behind the caller's back.
    adminAPIKey: null,
    organization: o.organization ?? null,
    project: o.project ?? null,
    webhookSecret: null,
    maxRetries: 0,
    timeout: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logLevel: "off",
    ...(o.headers ? { defaultHeaders: o.headers } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
  };
}

/**
 * A URL safe to print: no user info, no query string.
 *
 * @example
 * displayURL("https://user:pw@host/v1?key=1"); // "https://host/v1"
 */
export function displayURL(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url.replace(/\?.*$/, "");
  }
}

/**
 * Returns a non-empty string or undefined, so an empty environment variable counts as unset.
 *
 * @example
 * nonEmpty(" "); // undefined
 */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
