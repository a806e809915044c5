import { InvalidArgumentError } from "../../spec/errors.js";
import { createChatModel } from "./chat-model.js";
import {
  type Connection,
  DEFAULT_TIMEOUT_MS,
  displayURL,
  type Env,
  type FetchFunction,
  lazy,
  nonEmpty,
  sdkOptions,
} from "./connection.js";
import { createEmbeddingModel } from "./embedding-model.js";
import {
  isLocalServerName,
  LOCAL_OPENAI_COMPATIBLE_SERVERS,
  type LocalServerName,
  localServerBaseURL,
} from "./local-servers.js";
import type { OpenAIFamilyProvider } from "./openai-provider.js";
import { loadOpenAISdk } from "./sdk.js";

/** Sent as the bearer token when a server needs none (the SDK insists on one). */
export const PLACEHOLDER_API_KEY = "no-key";

export interface OpenAICompatibleOptions {
  /** Provider name used in model ids, errors and `providerOptions`, e.g. `ollama`. */
  name: string;
  /** Base URL including the version path, e.g. `http://127.0.0.1:11434/v1`. */
  baseURL: string;
  /** Optional; a placeholder is sent when the server needs no key. */
  apiKey?: string;
  /** Environment variable that holds `apiKey`, named in authentication errors. */
  apiKeyEnv?: string;
  headers?: Record<string, string>;
  fetch?: FetchFunction;
  /**
   * Appended to "Could not reach <name> at <url>." when the server cannot be reached. Defaults to
   * how to start the server for the well-known local names (ollama, llamacpp, lmstudio, vllm).
   */
  connectionHint?: string;
  /** Hard ceiling for one HTTP call; normally left to the caller's AbortSignal. */
  timeoutMs?: number;
}

/**
 * A provider for any server that speaks the OpenAI Chat Completions protocol (vLLM, llama.cpp,
 * Ollama, LM Studio, proxies). Sends `max_tokens`, forwards `topK` as `top_k`, supports raw prompts
 * through `/completions`; token counting is left to the server.
 *
 * @example
 * const local = createOpenAICompatible({ name: "vllm", baseURL: "http://127.0.0.1:8000/v1" });
 * const model = local.languageModel("Qwen/Qwen2.5-0.5B-Instruct");
 */
export function createOpenAICompatible(options: OpenAICompatibleOptions): OpenAIFamilyProvider {
  if (!nonEmpty(options.name)) {
    throw new InvalidArgumentError({ argument: "name", message: "createOpenAICompatible needs a provider name." });
  }
  if (!nonEmpty(options.baseURL)) {
    throw new InvalidArgumentError({
      argument: "baseURL",
      message: `createOpenAICompatible needs the server's baseURL for '${options.name}', e.g. http://127.0.0.1:8000/v1.`,
    });
  }
  const apiKey = nonEmpty(options.apiKey);
  const hint =
    options.connectionHint ??
    (isLocalServerName(options.name) ? LOCAL_OPENAI_COMPATIBLE_SERVERS[options.name].hint : undefined);
  const connection: Connection = {
    provider: options.name,
    displayURL: displayURL(options.baseURL),
    ...(options.apiKeyEnv ? { apiKeyEnv: options.apiKeyEnv } : {}),
    ...(hint ? { connectionHint: hint } : {}),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secret: apiKey,
    flavor: { maxTokensField: "max_tokens", rawCompletion: true, countTokens: false, topK: true },
    client: lazy(
      async () =>
        new (await loadOpenAISdk()).OpenAI(
          sdkOptions({
            apiKey: apiKey ?? PLACEHOLDER_API_KEY,
            baseURL: options.baseURL,
            headers: options.headers,
            fetch: options.fetch,
            timeoutMs: options.timeoutMs,
          }),
        ),
    ),
  };
  return {
    name: options.name,
    languageModel: (modelId) => createChatModel(connection, modelId),
    embeddingModel: (modelId) => createEmbeddingModel(connection, modelId),
  };
}

export interface LocalServerOptions {
  /** Overrides the environment and the default address. */
  baseURL?: string;
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: FetchFunction;
  /** Where to read the base URL variables (default `process.env`, read once here). */
  env?: Env;
  timeoutMs?: number;
}

/**
 * A provider for one of the well-known local servers (`ollama:`, `llamacpp:`, `lmstudio:`,
 * `vllm:` ids). No key is needed; a refused connection says how to start the server.
 *
 * @example
 * const ollama = createLocalOpenAICompatible("ollama");
 * const model = ollama.languageModel("llama3.2");
 */
export function createLocalOpenAICompatible(
  name: LocalServerName,
  options: LocalServerOptions = {},
): OpenAIFamilyProvider {
  return createOpenAICompatible({
    name,
    baseURL: options.baseURL ?? localServerBaseURL(name, options.env ?? process.env),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
}
