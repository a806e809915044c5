export type { AnthropicChatModelSettings } from "./anthropic-chat-model.js";
export { createAnthropicChatModel } from "./anthropic-chat-model.js";
export { type AnthropicProvider, type AnthropicProviderOptions, createAnthropic } from "./anthropic-provider.js";
export { defaultMaxTokens } from "./default-max-tokens.js";
