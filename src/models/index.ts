export {
  type DetectOptions,
  type DetectResult,
  detectModels,
  type ModelCandidate,
  resolveModelId,
} from "./auto-detect.js";
export {
  CONFIG_FILE_NAME,
  findConfigFile,
  type LoadedConfig,
  loadConfig,
  type ProviderSettings,
  type WeftConfig,
} from "./config.js";
export { errorFromHttpStatus, errorFromNetworkFailure, parseRetryAfter } from "./http-errors.js";
export {
  costOf,
  isFreeProvider,
  MODEL_FACTS_AS_OF,
  type ModelFacts,
  type ModelFactsOverrides,
  modelFacts,
} from "./model-facts.js";
export { type ParsedModelId, parseModelId } from "./model-id.js";
export { BUILTIN_PROVIDERS, createModelRegistry, type ModelRegistry, type RegistryOptions } from "./registry.js";
export {
  type AISDKEmbeddingModel,
  type AISDKLanguageModel,
  type FromAISDKEmbeddingOptions,
  type FromAISDKOptions,
  fromAISDK,
  fromAISDKEmbedding,
} from "./ai-sdk/index.js";
export { type AnthropicProvider, type AnthropicProviderOptions, createAnthropic } from "./anthropic/index.js";
