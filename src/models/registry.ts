import { InvalidArgumentError, ModelNotFoundError } from "../spec/errors.js";
import type { EmbeddingModel, LanguageModel, Provider } from "../spec/language-model.js";
import type { ProviderSettings, WeftConfig } from "./config.js";
import { parseModelId } from "./model-id.js";

export interface RegistryOptions {
  config?: WeftConfig;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Custom fetch for every HTTP provider (proxies, tests). */
  fetch?: typeof fetch;
}

/** Turns `provider:name` ids into model objects, creating each provider once. */
export interface ModelRegistry {
  languageModel(id: string): Promise<LanguageModel>;
  embeddingModel(id: string): Promise<EmbeddingModel>;
  provider(name: string): Promise<Provider>;
  /** Frees every provider's resources (loaded local models). */
  dispose(): Promise<void>;
}

/** Built-in provider names; custom names come from the config file's `providers` with a `type`. */
export const BUILTIN_PROVIDERS = [
  "openai",
  "azure",
  "anthropic",
  "local",
  "ollama",
  "llamacpp",
  "lmstudio",
  "vllm",
] as const;

const LOCAL_SERVER_NAMES = new Set(["ollama", "llamacpp", "lmstudio", "vllm"]);

async function createProvider(name: string, settings: ProviderSettings, options: RegistryOptions): Promise<Provider> {
  const env = options.env ?? process.env;
  const apiKey = settings.apiKeyEnv ? env[settings.apiKeyEnv] : undefined;
  const type = settings.type ?? (LOCAL_SERVER_NAMES.has(name) ? "openai-compatible" : name);
  const common = { fetch: options.fetch, env };
  switch (type) {
    case "openai": {
      const { createOpenAI } = await import("./openai/index.js");
      return createOpenAI({ ...common, apiKey, baseURL: settings.baseURL });
    }
    case "azure": {
      const { createAzure } = await import("./openai/index.js");
      return createAzure({ ...common, apiKey, endpoint: settings.endpoint, apiVersion: settings.apiVersion });
    }
    case "anthropic": {
      const { createAnthropic } = await import("./anthropic/index.js");
      return createAnthropic({ ...common, apiKey, baseURL: settings.baseURL });
    }
    case "local": {
      const { createLocal } = await import("./local/index.js");
      return createLocal({
        modelsDir: settings.modelsDir,
        threads: settings.threads,
        contextSize: settings.contextSize,
        gpu: settings.gpu,
        cwd: options.cwd,
        env,
      });
    }
    case "openai-compatible": {
      const { createOpenAICompatible, localServerBaseURL } = await import("./openai/index.js");
      const baseURL = settings.baseURL ?? (LOCAL_SERVER_NAMES.has(name) ? localServerBaseURL(name, env) : undefined);
      if (!baseURL) {
        throw new InvalidArgumentError({
          argument: "model",
          message: `Provider '${name}' needs a baseURL: set providers.${name}.baseURL in weft.config.json.`,
        });
      }
      return createOpenAICompatible({ name, baseURL, apiKey, fetch: options.fetch });
    }
    default:
      throw new ModelNotFoundError({
        modelId: `${name}:`,
        detail: `'${name}' is not a known provider. Use one of ${BUILTIN_PROVIDERS.join(", ")}, or add it under "providers" in weft.config.json with a "type".`,
      });
  }
}

/**
 * Creates a registry that resolves `provider:name` ids using the config file's provider settings.
 *
 * @example
 * const registry = createModelRegistry({ config: loadConfig().config });
 * const model = await registry.languageModel("ollama:llama3.2");
 */
export function createModelRegistry(options: RegistryOptions = {}): ModelRegistry {
  const providers = new Map<string, Promise<Provider>>();
  const provider = (name: string): Promise<Provider> => {
    let p = providers.get(name);
    if (!p) {
      p = createProvider(name, options.config?.providers?.[name] ?? {}, options);
      providers.set(name, p);
      p.catch(() => providers.delete(name));
    }
    return p;
  };
  return {
    provider,
    async languageModel(id) {
      const { provider: name, name: model } = parseModelId(id);
      return (await provider(name)).languageModel(model);
    },
    async embeddingModel(id) {
      const { provider: name, name: model } = parseModelId(id);
      const p = await provider(name);
      if (!p.embeddingModel) {
        throw new ModelNotFoundError({ modelId: id, detail: `provider '${name}' has no embedding models.` });
      }
      return p.embeddingModel(model);
    },
    async dispose() {
      const all = await Promise.allSettled(providers.values());
      providers.clear();
      await Promise.all(all.map((r) => (r.status === "fulfilled" ? r.value.dispose?.() : undefined)));
    },
  };
}
