import { AuthenticationError } from "../../spec/errors.js";
import type { EmbeddingModel, LanguageModel, Provider } from "../../spec/language-model.js";
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
import { loadOpenAISdk } from "./sdk.js";

/** A provider of the OpenAI family: chat models and embedding models. */
export interface OpenAIFamilyProvider extends Provider {
  languageModel(modelId: string): LanguageModel;
  embeddingModel(modelId: string): EmbeddingModel;
}

export interface OpenAIProviderOptions {
  /** Default: `env.OPENAI_API_KEY`. A missing key fails on the first call, not here. */
  apiKey?: string;
  /** Default: `env.OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Default: `env.OPENAI_ORG_ID`. */
  organization?: string;
  /** Default: `env.OPENAI_PROJECT_ID`. */
  project?: string;
  /** Sent with every request. */
  headers?: Record<string, string>;
  fetch?: FetchFunction;
  /** Where to read the variables above (default `process.env`, read once by this factory). */
  env?: Env;
  /** Hard ceiling for one HTTP call; normally left to the caller's AbortSignal. */
  timeoutMs?: number;
}

/**
 * The OpenAI provider (`openai:<model>` ids). No request is made and no key is needed until a
 * model is called.
 *
 * @example
 * const openai = createOpenAI({ apiKey: process.env.OPENAI_API_KEY });
 * const model = openai.languageModel("gpt-4o-mini");
 * const result = await model.doGenerate({ messages: [{ role: "user", content: "Hi" }] });
 */
export function createOpenAI(options: OpenAIProviderOptions = {}): OpenAIFamilyProvider {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.OPENAI_API_KEY);
  const baseURL = nonEmpty(options.baseURL) ?? nonEmpty(env.OPENAI_BASE_URL) ?? "https://api.openai.com/v1";
  const connection: Connection = {
    provider: "openai",
    displayURL: displayURL(baseURL),
    apiKeyEnv: "OPENAI_API_KEY",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secret: apiKey,
    flavor: { maxTokensField: "max_completion_tokens", rawCompletion: false, countTokens: true, topK: false },
    client: lazy(async () => {
      if (!apiKey) {
        throw new AuthenticationError({
          provider: "openai",
          message: "OpenAI API key is missing. Pass apiKey or set OPENAI_API_KEY.",
        });
      }
      const { OpenAI } = await loadOpenAISdk();
      return new OpenAI(
        sdkOptions({
          apiKey,
          baseURL,
          headers: options.headers,
          fetch: options.fetch,
          timeoutMs: options.timeoutMs,
          organization: nonEmpty(options.organization) ?? nonEmpty(env.OPENAI_ORG_ID),
          project: nonEmpty(options.project) ?? nonEmpty(env.OPENAI_PROJECT_ID),
        }),
      );
    }),
  };
  return {
    name: "openai",
    languageModel: (modelId) => createChatModel(connection, modelId),
    embeddingModel: (modelId) => createEmbeddingModel(connection, modelId),
  };
}
