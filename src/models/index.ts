export {
  type AISDKEmbeddingModel,
  type AISDKLanguageModel,
  type FromAISDKEmbeddingOptions,
  type FromAISDKOptions,
  fromAISDK,
  fromAISDKEmbedding,
} from "./ai-sdk/index.js";
export { type AnthropicProvider, type AnthropicProviderOptions, createAnthropic } from "./anthropic/index.js";
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
  createLocal,
  DEFAULT_MAX_TOKENS as LOCAL_DEFAULT_MAX_TOKENS,
  defaultModelsDir,
  findLocalModels,
  type LocalProvider,
  type LocalProviderOptions,
} from "./local/index.js";
export {
  costOf,
  isFreeProvider,
  MODEL_FACTS_AS_OF,
  type ModelFacts,
  type ModelFactsOverrides,
  modelFacts,
} from "./model-facts.js";
export { type ParsedModelId, parseModelId } from "./model-id.js";
export {
  AZURE_DEFAULT_API_VERSION,
  type AzureProviderOptions,
  countOpenAITokens,
  createAzure,
  createLocalOpenAICompatible,
  createOpenAI,
  createOpenAICompatible,
  type ListServerModelsOptions,
  LOCAL_OPENAI_COMPATIBLE_SERVERS,
  LOCAL_SERVER_NAMES,
  type LocalServerName,
  listServerModels,
  type OpenAICompatibleOptions,
  type OpenAIFamilyProvider,
  type OpenAIProviderOptions,
} from "./openai/index.js";
export { BUILTIN_PROVIDERS, createModelRegistry, type ModelRegistry, type RegistryOptions } from "./registry.js";
