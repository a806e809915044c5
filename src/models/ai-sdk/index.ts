export { toAISDKCallOptions } from "./ai-sdk-call-options.js";
export { type AISDKErrorContext, fromAISDKError } from "./ai-sdk-errors.js";
export { type AISDKLanguageModel, type FromAISDKOptions, fromAISDK } from "./from-ai-sdk.js";
export {
  type AISDKEmbeddingModel,
  type FromAISDKEmbeddingOptions,
  fromAISDKEmbedding,
} from "./from-ai-sdk-embedding.js";
