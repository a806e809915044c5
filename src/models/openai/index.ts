export { AZURE_DEFAULT_API_VERSION, type AzureProviderOptions, createAzure } from "./azure-provider.js";
export {
  createLocalOpenAICompatible,
  createOpenAICompatible,
  type LocalServerOptions,
  type OpenAICompatibleOptions,
} from "./compatible-provider.js";
export type { Env, FetchFunction } from "./connection.js";
export { OPENAI_EMBEDDING_DIMENSIONS } from "./embedding-model.js";
export { type ListServerModelsOptions, listServerModels } from "./list-models.js";
export {
  isLocalServerName,
  LOCAL_OPENAI_COMPATIBLE_SERVERS,
  LOCAL_SERVER_NAMES,
  type LocalServerInfo,
  type LocalServerName,
  localServerBaseURL,
} from "./local-servers.js";
export { createOpenAI, type OpenAIFamilyProvider, type OpenAIProviderOptions } from "./openai-provider.js";
export { countOpenAITokens, type OpenAIEncoding, openAIEncodingFor } from "./token-count.js";
