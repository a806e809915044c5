import { AuthenticationError, InvalidArgumentError } from "../../spec/errors.js";
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
import type { OpenAIFamilyProvider } from "./openai-provider.js";
import { loadOpenAISdk } from "./sdk.js";

/** The newest generally available Azure OpenAI inference API version with deployment paths. */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

export interface AzureProviderOptions {
  /** Default: `env.AZURE_OPENAI_API_KEY`. Sent as the `api-key` header. */
  apiKey?: string;
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. Default: `env.AZURE_OPENAI_ENDPOINT`. */
  endpoint?: string;
  /** Default: `env.OPENAI_API_VERSION`, then `env.AZURE_OPENAI_API_VERSION`, then {@link AZURE_DEFAULT_API_VERSION}. */
  apiVersion?: string;
  /** Deployment used when a model is requested with an empty name. Default: `env.AZURE_OPENAI_DEPLOYMENT`. */
  deployment?: string;
  headers?: Record<string, string>;
  fetch?: FetchFunction;
  /** Where to read the variables above (default `process.env`, read once by this factory). */
  env?: Env;
  /** Hard ceiling for one HTTP call; normally left to the caller's AbortSignal. */
  timeoutMs?: number;
}

/**
 * The Azure OpenAI provider (`azure:<deployment>` ids). Model names are deployment names; requests
 * go to `<endpoint>/openai/deployments/<deployment>/...?api-version=...`. Missing configuration
 * fails on the first call.
 *
 * @example
 * const azure = createAzure({ endpoint: "https://my-resource.openai.azure.com", apiKey: "..." });
 * const model = azure.languageModel("my-gpt-4o-deployment");
 */
export function createAzure(options: AzureProviderOptions = {}): OpenAIFamilyProvider {
  const env = options.env ?? process.env;
  const apiKey = nonEmpty(options.apiKey) ?? nonEmpty(env.AZURE_OPENAI_API_KEY);
  const endpoint = nonEmpty(options.endpoint) ?? nonEmpty(env.AZURE_OPENAI_ENDPOINT);
  const apiVersion =
    nonEmpty(options.apiVersion) ??
    nonEmpty(env.OPENAI_API_VERSION) ??
    nonEmpty(env.AZURE_OPENAI_API_VERSION) ??
    AZURE_DEFAULT_API_VERSION;
  const baseURL = endpoint ? `${endpoint.replace(/\/+$/, "")}/openai` : undefined;

  const connection: Connection = {
    provider: "azure",
    displayURL: baseURL ? displayURL(baseURL) : "(no endpoint)",
    apiKeyEnv: "AZURE_OPENAI_API_KEY",
    connectionHint: "Check the endpoint (endpoint option or AZURE_OPENAI_ENDPOINT) and your network.",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    secret: apiKey,
    flavor: { maxTokensField: "max_completion_tokens", rawCompletion: false, countTokens: true, topK: false },
    client: lazy(async () => {
      if (!baseURL) {
        throw new InvalidArgumentError({
          argument: "endpoint",
          message:
            "Azure OpenAI endpoint is missing. Pass endpoint (e.g. https://my-resource.openai.azure.com) or set AZURE_OPENAI_ENDPOINT.",
        });
      }
      if (!apiKey) {
        throw new AuthenticationError({
          provider: "azure",
          message: "Azure OpenAI API key is missing. Pass apiKey or set AZURE_OPENAI_API_KEY.",
        });
      }
      // A base URL (not `endpoint`) keeps the SDK from consulting process.env for OPENAI_BASE_URL.
      const base = sdkOptions({
        apiKey,
        baseURL,
        headers: options.headers,
        fetch: options.fetch,
        timeoutMs: options.timeoutMs,
      });
      const { AzureOpenAI } = await loadOpenAISdk();
      return new AzureOpenAI({ ...base, apiKey, apiVersion });
    }),
  };

  const deploymentName = (modelId: string) => {
    const name = nonEmpty(modelId) ?? nonEmpty(options.deployment) ?? nonEmpty(env.AZURE_OPENAI_DEPLOYMENT);
    if (!name) {
      throw new InvalidArgumentError({
        argument: "modelId",
        message: "An Azure model id names a deployment, e.g. azure:my-gpt-4o-deployment (or pass deployment).",
      });
    }
    return name;
  };
  return {
    name: "azure",
    languageModel: (modelId) => createChatModel(connection, deploymentName(modelId)),
    embeddingModel: (modelId) => createEmbeddingModel(connection, deploymentName(modelId)),
  };
}
