export { DEFAULT_MAX_TOKENS, DEFAULT_SAMPLING } from "./call-settings.js";
export { DEFAULT_MAX_CONTEXT_SIZE } from "./engine.js";
export { createLocal, type LocalProvider, type LocalProviderOptions } from "./local-provider.js";
export { defaultModelsDir, findLocalModels } from "./model-path.js";
