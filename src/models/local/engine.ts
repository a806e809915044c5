import { stat } from "node:fs/promises";
import os from "node:os";
import type * as NodeLlamaCpp from "node-llama-cpp";
import type {
  ChatWrapper,
  Llama,
  LlamaCompletion,
  LlamaContext,
  LlamaContextSequence,
  LlamaEmbeddingContext,
  LlamaModel,
  Token,
} from "node-llama-cpp";
import { MissingDependencyError, ModelNotFoundError, WeftError } from "../../spec/errors.js";
import { createMutex, type Mutex } from "./mutex.js";

export type NodeLlamaCppModule = typeof NodeLlamaCpp;

/** Default context window: the model's training context, capped to keep memory use modest. */
export const DEFAULT_MAX_CONTEXT_SIZE = 4096;

/**
 * Imports node-llama-cpp on first use; it is an optional peer dependency.
 *
 * @example
 * const lib = await importNodeLlamaCpp();
 */
export async function importNodeLlamaCpp(
  importer: () => Promise<unknown> = () => import("node-llama-cpp"),
): Promise<NodeLlamaCppModule> {
  try {
    return (await importer()) as NodeLlamaCppModule;
  } catch (error) {
    const code = (error as { code?: string } | null)?.code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error).includes("node-llama-cpp")) {
      throw new MissingDependencyError({ packageName: "node-llama-cpp", feature: "Local GGUF models", cause: error });
    }
    throw new WeftError(
      "local-runtime",
      `node-llama-cpp is installed but could not be loaded (${messageOf(error)}). Reinstall it with: npm install node-llama-cpp@3.21.1`,
      { cause: error },
    );
  }
}

/** The thread count weft asks for when the caller gives none (see the provider docs). */
export function defaultThreads(): number | undefined {
  // On 2 cores, a second llama.cpp thread competing with the caller's own work collapses throughput.
  return os.availableParallelism() <= 2 ? 1 : undefined;
}

export interface EngineOptions {
  threads?: number;
  gpu: false | "auto";
  contextSize?: number;
  onLog?: (level: string, message: string) => void;
}

/** Everything a language model call needs, loaded once per model file and provider. */
export interface ChatRuntime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
  chatWrapper: ChatWrapper;
  /** The token node-llama-cpp puts before every prompt, if any. */
  bos: Token | null;
  /** Serialises calls: the context has a single sequence. */
  mutex: Mutex;
  /** The node-llama-cpp module, for the classes a call builds on the sequence (LlamaChat for tool calls). */
  lib: NodeLlamaCppModule;
}

export interface EmbeddingRuntime {
  model: LlamaModel;
  context: LlamaEmbeddingContext;
  /** Inputs must be shorter than this many tokens. */
  contextSize: number;
}

interface ModelEntry {
  model: Promise<LlamaModel>;
  chat?: Promise<ChatRuntime>;
  embedding?: Promise<EmbeddingRuntime>;
  mutex: Mutex;
}

/** Owns the llama.cpp instance and the models a provider has loaded. */
export interface Engine {
  /** The loaded model alone (enough for tokenizing). */
  model(modelId: string, path: string): Promise<LlamaModel>;
  chat(modelId: string, path: string): Promise<ChatRuntime>;
  embedding(modelId: string, path: string): Promise<EmbeddingRuntime>;
  /** Frees one part of a loaded model; the model itself once no part uses it. */
  release(path: string, part: "chat" | "embedding"): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Creates the per-provider engine. Nothing is imported or loaded until the first call.
 *
 * @example
 * const engine = createEngine({ gpu: false, threads: 1 });
 * const runtime = await engine.chat("stories260K.gguf", "/models/stories260K.gguf");
 */
export function createEngine(options: EngineOptions): Engine {
  let lib: Promise<NodeLlamaCppModule> | undefined;
  let llama: Promise<Llama> | undefined;
  const entries = new Map<string, ModelEntry>();
  const recentErrors: string[] = [];
  let failedLoads = 0;

  const module = () => {
    if (!lib) {
      lib = importNodeLlamaCpp();
      lib.catch(() => {
        lib = undefined;
      });
    }
    return lib;
  };

  const getLlamaInstance = () => {
    if (llama) return llama;
    llama = (async () => {
      const { getLlama, LlamaLogLevel } = await module();
      try {
        return await getLlama({
          gpu: options.gpu,
          build: "never",
          skipDownload: true,
          maxThreads: options.threads ?? defaultThreads(),
          logLevel: LlamaLogLevel.warn,
          logger: (level, message) => {
            if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) {
              recentErrors.push(message.trim());
              if (recentErrors.length > 5) recentErrors.shift();
            }
            options.onLog?.(level, message);
          },
        });
      } catch (error) {
        throw new WeftError(
          "local-runtime",
          `node-llama-cpp found no usable prebuilt llama.cpp binary for this machine (${messageOf(error)}). weft never downloads or compiles llama.cpp: reinstall node-llama-cpp@3.21.1 so its prebuilt binary package for ${process.platform}-${process.arch} is installed${options.gpu === false ? "" : ", or use gpu: false"}.`,
          { cause: error },
        );
      }
    })();
    llama.catch(() => {
      llama = undefined;
    });
    return llama;
  };

  const entryFor = (modelId: string, path: string): ModelEntry => {
    let entry = entries.get(path);
    if (!entry) {
      const model = loadModel(modelId, path);
      entry = { model, mutex: createMutex() };
      entries.set(path, entry);
      model.catch(() => entries.delete(path));
    }
    return entry;
  };

  const loadModel = async (modelId: string, path: string): Promise<LlamaModel> => {
    const instance = await getLlamaInstance();
    recentErrors.length = 0;
    try {
      return await instance.loadModel({ modelPath: path });
    } catch (error) {
      // node-llama-cpp 3.21.1 keeps a disposal guard on the llama instance when llama.cpp fails to
      // load a model; that guard is only released by garbage collection (see dispose below).
      failedLoads++;
      const log = recentErrors.length ? ` llama.cpp said: ${recentErrors.join(" / ")}.` : "";
      const truncated = await describeTruncation(await module(), path);
      throw new ModelNotFoundError({
        modelId: `local:${modelId}`,
        detail: truncated
          ? `${path} is incomplete: ${truncated} Download it again.`
          : `llama.cpp could not load ${path} (${messageOf(error)}).${log} The file may be incomplete or corrupted, or use an architecture this llama.cpp build does not support; download it again or try another GGUF file.`,
        cause: error,
      });
    }
  };

  const contextSizeFor = (model: LlamaModel) =>
    options.contextSize ?? Math.min(model.trainContextSize || DEFAULT_MAX_CONTEXT_SIZE, DEFAULT_MAX_CONTEXT_SIZE);

  const createChat = async (entry: ModelEntry, modelId: string): Promise<ChatRuntime> => {
    const [nodeLlama, instance, model] = await Promise.all([module(), getLlamaInstance(), entry.model]);
    const context = await withContextError(modelId, () =>
      model.createContext({ contextSize: contextSizeFor(model), sequences: 1 }),
    );
    const sequence = context.getSequence();
    return {
      llama: instance,
      model,
      context,
      sequence,
      completion: new nodeLlama.LlamaCompletion({ contextSequence: sequence }),
      chatWrapper: nodeLlama.resolveChatWrapper(model, { warningLogs: false }) ?? new nodeLlama.GeneralChatWrapper(),
      bos: beginningToken(model),
      mutex: entry.mutex,
      lib: nodeLlama,
    };
  };

  const createEmbedding = async (entry: ModelEntry, modelId: string): Promise<EmbeddingRuntime> => {
    const model = await entry.model;
    const contextSize = contextSizeFor(model);
    const context = await withContextError(modelId, () => model.createEmbeddingContext({ contextSize }));
    return { model, context, contextSize };
  };

  const part = <K extends "chat" | "embedding">(
    modelId: string,
    path: string,
    key: K,
    create: (entry: ModelEntry, modelId: string) => NonNullable<ModelEntry[K]>,
  ): NonNullable<ModelEntry[K]> => {
    const entry = entryFor(modelId, path);
    let value = entry[key];
    if (!value) {
      value = create(entry, modelId);
      entry[key] = value;
      value.catch(() => {
        if (entry[key] === value) entry[key] = undefined;
      });
    }
    return value as NonNullable<ModelEntry[K]>;
  };

  return {
    model: (modelId, path) => entryFor(modelId, path).model,
    chat: (modelId, path) => part(modelId, path, "chat", createChat),
    embedding: (modelId, path) => part(modelId, path, "embedding", createEmbedding),
    async release(path, which) {
      const entry = entries.get(path);
      if (!entry) return;
      await entry.mutex.run(async () => {
        const held = entry[which];
        entry[which] = undefined;
        const runtime = await held?.catch(() => undefined);
        await runtime?.context.dispose();
        if (!entry.chat && !entry.embedding && entries.get(path) === entry) {
          entries.delete(path);
          const model = await entry.model.catch(() => undefined);
          await model?.dispose();
        }
      });
    },
    async dispose() {
      const paths = [...entries.keys()];
      for (const path of paths) {
        await this.release(path, "chat");
        await this.release(path, "embedding");
      }
      const instance = await llama?.catch(() => undefined);
      llama = undefined;
      // After a failed load the instance cannot finish disposing until that leaked guard is
      // collected, so start the disposal without waiting for it rather than hang the caller.
      if (failedLoads > 0) instance?.dispose().catch(() => undefined);
      else await instance?.dispose();
    },
  };
}

/** Explains a load failure caused by a cut-off file (an interrupted download), if that is the cause. */
async function describeTruncation(lib: NodeLlamaCppModule, path: string): Promise<string | undefined> {
  try {
    const info = await lib.readGgufFileInfo(path, { sourceType: "filesystem", logWarnings: false });
    if (info.splicedParts !== 1 || info.infoEndOffset === undefined) return undefined;
    const insights = await lib.GgufInsights.from(info);
    const needed = info.infoEndOffset + insights.modelSize;
    const { size } = await stat(path);
    return size < needed
      ? `it has ${size.toLocaleString("en")} bytes but its tensors need at least ${needed.toLocaleString("en")}.`
      : undefined;
  } catch {
    return undefined;
  }
}

/** Mirrors how LlamaCompletion decides whether to prepend a beginning-of-sequence token. */
function beginningToken(model: LlamaModel): Token | null {
  const type = String(model.vocabularyType);
  if (type === "rwkv" || type === "ugm") return null;
  if (type === "wpm") return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

async function withContextError<T>(modelId: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    throw new WeftError(
      "local-runtime",
      `Could not create a context for local:${modelId} (${messageOf(error)}). Lower contextSize or free memory.`,
      { cause: error },
    );
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
