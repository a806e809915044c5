/**
 * Test doubles for code built on weft: mock models and loopback servers that speak real provider
 * protocols. Import from `weft/testing`.
 */

export {
  DEFAULT_FAKE_ANTHROPIC_TEXT,
  type FakeAnthropicReply,
  type FakeAnthropicRequest,
  type FakeAnthropicServer,
  type FakeAnthropicServerOptions,
  type FakeAnthropicToolUse,
  type FakeAnthropicUsage,
  startFakeAnthropicServer,
} from "./fake-anthropic-server.js";
export {
  type FakeChoice,
  type FakeJson,
  type FakeOpenAIServer,
  type FakeOpenAIServerOptions,
  type FakeReply,
  type FakeRequest,
  type FakeToolCall,
  startFakeOpenAIServer,
} from "./fake-openai-server.js";
export {
  createMockEmbeddingModel,
  type MockEmbeddingModel,
  type MockEmbeddingModelOptions,
} from "./mock-embedding-model.js";
export {
  createMockLanguageModel,
  type MockLanguageModel,
  type MockLanguageModelOptions,
  type MockReply,
} from "./mock-language-model.js";
