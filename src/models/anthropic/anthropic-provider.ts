import type Anthropic from "@anthropic-ai/sdk";
import { AuthenticationError } from "../../spec/errors.js";
import type { LanguageModel, Provider } from "../../spec/language-model.js";
import { createAnthropicChatModel } from "./anthropic-chat-model.js";
import { loadAnthropicSdk } from "./sdk.js";

export interface AnthropicProviderOptions {
  /** Defaults to `env.ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Defaults to `env.ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`. */
  baseURL?: string;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /** A custom fetch implementation (proxies, tests). */
  fetch?: typeof globalThis.fetch;
  /** Where to read the variables above; defaults to `process.env`, read when `createAnthropic` runs. */
  env?: Record<string, string | undefined>;
}

export interface AnthropicProvider extends Provider {
  readonly name: "anthropic";
  languageModel(modelId: string): LanguageModel;
}

const DEFAULT_BASE_URL = "https://api.anthropic.com";
// The SDK's own default of 10 minutes, set explicitly: without it the SDK refuses non-streaming
// calls whose max_tokens it expects to take longer than that.
const TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Creates the Anthropic provider. A missing API key fails when a model is called, not here.
 *
 * @example
 * const anthropic = createAnthropic(); // reads ANTHROPIC_API_KEY
 * const model = anthropic.languageModel("claude-haiku-4-5");
 * const { choices } = await model.doGenerate({ messages: [{ role: "user", content: "Hello" }] });
 */
export function createAnthropic(options: AnthropicProviderOptions = {}): AnthropicProvider {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env.ANTHROPIC_API_KEY;
  const baseURL = (options.baseURL ?? env.ANTHROPIC_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  let client: Promise<Anthropic> | undefined;

  const getClient = (): Promise<Anthropic> => {
    if (!apiKey) {
      throw new AuthenticationError({
        provider: "anthropic",
        message: "Anthropic API key is missing. Pass apiKey or set ANTHROPIC_API_KEY.",
      });
    }
    client ??= loadAnthropicSdk().then(
      ({ default: Anthropic }) =>
        new Anthropic({
          apiKey,
          baseURL,
          maxRetries: 0,
          timeout: TIMEOUT_MS,
          // Retries, tracing and logging belong to weft's user-facing layer.
          openTelemetry: false,
          logLevel: "off",
          ...(options.headers ? { defaultHeaders: options.headers } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
    );
    return client;
  };

  return {
    name: "anthropic",
    languageModel: (modelId: string) => createAnthropicChatModel({ modelId, baseURL, client: getClient }),
  };
}
