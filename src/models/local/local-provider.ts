import path from "node:path";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { EmbeddingModel, LanguageModel, Provider } from "../../spec/language-model.js";
import { createEngine } from "./engine.js";
import { createLocalEmbeddingModel } from "./local-embedding-model.js";
import { createLocalLanguageModel } from "./local-language-model.js";
import { checkModelFile, defaultModelsDir, locateModel } from "./model-path.js";

export interface LocalProviderOptions {
  /** Where bare model names are looked up. Default: `$WEFT_MODELS_DIR`, else `~/.weft/models`. */
  modelsDir?: string;
  /** llama.cpp threads. Default: 1 on machines with 2 or fewer cores, else node-llama-cpp's choice. */
  threads?: number;
  /** `false` (default) runs on the CPU; `"auto"` (or `true`) lets node-llama-cpp pick a GPU build it ships. */
  gpu?: boolean | "auto";
  /** Context window in tokens. Default: the model's training context, at most 4096. */
  contextSize?: number;
  /** Base for relative model paths. Default: `process.cwd()`. */
  cwd?: string;
  /** Environment used for `WEFT_MODELS_DIR`. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Receives llama.cpp's log lines (warnings and errors), which are otherwise not printed. */
  onLog?: (level: string, message: string) => void;
}

export interface LocalProvider extends Provider {
  languageModel(pathOrName: string): LanguageModel;
  embeddingModel(pathOrName: string): EmbeddingModel;
  /** Frees every model this provider loaded and the llama.cpp instance. */
  dispose(): Promise<void>;
}

/**
 * The `local` provider: GGUF models run in-process with node-llama-cpp (an optional peer
 * dependency, imported on first use). Nothing is downloaded or compiled.
 *
 * @example
 * const local = createLocal({ threads: 1 });
 * const model = local.languageModel("stories260K.gguf"); // or "./models/stories260K.gguf"
 * const { choices } = await model.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0 });
 * await local.dispose();
 */
export function createLocal(options: LocalProviderOptions = {}): LocalProvider {
  for (const key of ["threads", "contextSize"] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new InvalidArgumentError({ argument: key, message: `${key} must be a positive integer (got ${value}).` });
    }
  }
  const cwd = options.cwd ?? process.cwd();
  const modelsDir = path.resolve(cwd, options.modelsDir ?? defaultModelsDir(options.env ?? process.env));
  const engine = createEngine({
    threads: options.threads,
    gpu: options.gpu === true || options.gpu === "auto" ? "auto" : false,
    contextSize: options.contextSize,
    onLog: options.onLog,
  });
  const located = new Map<string, Promise<string>>();

  const locate = (name: string) => {
    let found = located.get(name);
    if (!found) {
      found = (async () => {
        const location = await locateModel(name, { modelsDir, cwd });
        await checkModelFile(name, location, modelsDir);
        return location.path;
      })();
      located.set(name, found);
      // A file that is missing now may be added later; only successes are remembered.
      found.catch(() => located.delete(name));
    }
    return found;
  };

  const handle = (modelId: string) => {
    if (modelId.trim() === "") {
      throw new InvalidArgumentError({
        argument: "modelId",
        message: "A local model needs a .gguf file name or path, e.g. local:stories260K.gguf or local:./model.gguf.",
      });
    }
    return { modelId, engine, locate: () => locate(modelId) };
  };

  return {
    name: "local",
    languageModel: (pathOrName) => createLocalLanguageModel(handle(pathOrName)),
    embeddingModel: (pathOrName) => createLocalEmbeddingModel(handle(pathOrName)),
    dispose: () => engine.dispose(),
  };
}
