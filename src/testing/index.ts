/**
 * Test doubles for code built on weft: mock models and loopback servers that speak real provider
 * protocols. Import from `weft/testing`.
 */
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
