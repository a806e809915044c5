export {
  type CachedResult,
  type CachingMiddleware,
  type CachingOptions,
  cacheKeyOf,
  cachingMiddleware,
  DEFAULT_CACHE_NAMESPACE,
} from "./caching.js";
export { type CallSettings, modelIdOf, type RunOptions } from "./call-settings.js";
export { type EmbedManyOptions, type EmbedManyResult, type EmbedResult, embed, embedMany } from "./embed.js";
export {
  type GenerateObjectOptions,
  type GenerateObjectResult,
  generateObject,
  type ObjectMode,
} from "./generate-object.js";
export { type GenerateTextOptions, type GenerateTextResult, generateText } from "./generate-text.js";
export { type LanguageModelMiddleware, wrapModel } from "./middleware.js";
export { messageText, type PromptInput, toMessages } from "./prompt.js";
export { redactSecrets } from "./redact.js";
export { type RetryOptions, withRetries } from "./retry.js";
export { extractJson, type ObjectSchema, type SchemaIssue, toObjectSchema, type ValidationResult } from "./schema.js";
export { type StreamTextFinish, type StreamTextOptions, type StreamTextResult, streamText } from "./stream-text.js";
export { type TracingOptions, tracingMiddleware } from "./tracing.js";
