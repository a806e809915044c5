/**
 * weft — local-first toolkit for building with language models.
 *
 * @example
 * import { createOpenAI, generateText } from "weft";
 * const { text } = await generateText({ model: createOpenAI().languageModel("gpt-4o-mini"), prompt: "Hello" });
 */

export * from "./agents/index.js";
export { VERSION } from "./cli/version.js";
export * from "./data/index.js";
export * from "./generate/index.js";
export * from "./memory/index.js";
export * from "./models/index.js";
export * from "./programs/index.js";
export * from "./spec/index.js";
export * from "./store/index.js";
