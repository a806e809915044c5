import type { LlamaGrammar } from "node-llama-cpp";
import { ContextLengthError } from "../../spec/errors.js";
import type {
  CallOptions,
  Choice,
  GenerateResult,
  LanguageModel,
  ModelCapabilities,
  ScoreResult,
  StreamPart,
  StreamResult,
  ToolCall,
} from "../../spec/language-model.js";
import { createAsyncQueue } from "./async-queue.js";
import { type CallSettings, createGrammar, resolveCallSettings } from "./call-settings.js";
import type { ChatRuntime, Engine } from "./engine.js";
import { chatPrompt, type PreparedPrompt, rawPrompt } from "./prompt.js";
import { runCompletion, toGenerationError } from "./run-completion.js";
import { runToolChat } from "./run-tool-chat.js";
import { scoreContinuations } from "./score.js";
import { checkToolSchemas, resolveToolMode, type ToolMode } from "./tool-mode.js";

export const LOCAL_CAPABILITIES: ModelCapabilities = {
  tools: true,
  jsonSchema: true,
  logprobs: true,
  multipleChoices: true,
  grammar: true,
  rawCompletion: true,
  embeddings: true,
};

export interface LocalModelHandle {
  modelId: string;
  engine: Engine;
  /** Resolves and checks the model file (cached by the provider). */
  locate(): Promise<string>;
}

interface ChoiceEvents {
  text?: (delta: string, index: number) => void;
  toolCall?: (toolCall: ToolCall, index: number) => void;
  done?: (choice: Choice, index: number) => void;
}

interface PreparedCall {
  runtime: ChatRuntime;
  settings: CallSettings;
  prompt: PreparedPrompt;
  maxTokens: number;
  grammar?: LlamaGrammar;
  /** Set when the model may call tools: generation then runs through LlamaChat. */
  tools?: ToolMode;
  warnings: string[];
}

/**
 * A GGUF model run in-process by node-llama-cpp. Loads lazily on the first call.
 *
 * @example
 * const model = createLocalLanguageModel({ modelId: "stories260K.gguf", engine, locate });
 * const { choices } = await model.doGenerate({ messages: [], rawPrompt: "Once upon a time", temperature: 0 });
 */
export function createLocalLanguageModel(handle: LocalModelHandle): LanguageModel {
  const { modelId, engine } = handle;

  const runtime = async () => engine.chat(modelId, await handle.locate());

  // Tool schemas this model has already validated, so each distinct schema is checked once.
  const checkedSchemas = new Set<string>();

  const prepare = async (options: CallOptions): Promise<PreparedCall> => {
    const settings = resolveCallSettings(options);
    const modeWarnings: string[] = [];
    const tools = resolveToolMode(options, modeWarnings);
    if (tools) await checkToolSchemas(tools.functions, checkedSchemas, modeWarnings);
    const rt = await runtime();
    const prompt =
      options.rawPrompt !== undefined
        ? rawPrompt(rt, options.rawPrompt)
        : chatPrompt(rt, options.messages, tools?.functions);
    const warnings = [...settings.warnings, ...modeWarnings, ...prompt.warnings];
    const contextSize = rt.context.contextSize;
    const room = contextSize - prompt.evaluated.length;
    if (room < 1) {
      throw new ContextLengthError({
        provider: "local",
        modelId,
        contextSize,
        detail: `the prompt alone is ${prompt.evaluated.length} tokens`,
      });
    }
    let maxTokens = settings.maxTokens;
    if (maxTokens > room) {
      warnings.push(
        `maxTokens was lowered from ${maxTokens} to ${room}: the prompt uses ${prompt.evaluated.length} of the ${contextSize}-token context.`,
      );
      maxTokens = room;
    }
    if (!tools) {
      const grammar = await createGrammar(rt.llama, options, warnings);
      return { runtime: rt, settings, prompt, maxTokens, grammar, warnings };
    }
    // node-llama-cpp constrains function calls with its own grammars and cannot add another.
    if (options.grammar !== undefined || options.responseFormat?.type === "json") {
      warnings.push(
        "grammar and responseFormat are not enforced while the model may call tools; validate the answer, or call again with toolChoice 'none' to constrain it.",
      );
    }
    if (settings.logprobs) warnings.push("logprobs are not returned while the model may call tools.");
    return { runtime: rt, settings, prompt, maxTokens, tools, warnings };
  };

  const generateOne = (call: PreparedCall, index: number, signal: AbortSignal | undefined, onChoice: ChoiceEvents) => {
    const onTextChunk = onChoice.text ? (delta: string) => onChoice.text?.(delta, index) : undefined;
    if (call.tools && call.prompt.history) {
      return runToolChat(call.runtime, modelId, {
        history: call.prompt.history,
        tools: call.tools,
        maxTokens: call.maxTokens,
        sampling: call.settings.sampling(index),
        stop: call.settings.stop,
        signal,
        onTextChunk,
        onToolCall: onChoice.toolCall ? (toolCall) => onChoice.toolCall?.(toolCall, index) : undefined,
      });
    }
    return runCompletion(call.runtime, modelId, {
      prompt: call.prompt,
      maxTokens: call.maxTokens,
      sampling: call.settings.sampling(index),
      stop: call.settings.stop,
      grammar: call.grammar,
      topLogprobs: call.settings.logprobs ? call.settings.topLogprobs : undefined,
      signal,
      onTextChunk,
    });
  };

  const generateChoices = async (call: PreparedCall, signal: AbortSignal | undefined, onChoice: ChoiceEvents = {}) =>
    call.runtime.mutex.run(async () => {
      const choices: Choice[] = [];
      let outputTokens = 0;
      for (let index = 0; index < call.settings.n; index++) {
        const out = await generateOne(call, index, signal, onChoice);
        const choice: Choice = {
          text: out.text,
          toolCalls: "toolCalls" in out ? out.toolCalls : [],
          finishReason: out.finishReason,
        };
        if ("logprobs" in out && out.logprobs) choice.logprobs = out.logprobs;
        choices.push(choice);
        outputTokens += out.outputTokens;
        onChoice.done?.(choice, index);
      }
      const inputTokens = call.prompt.evaluated.length;
      return { choices, usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens } };
    }, signal);

  return {
    specificationVersion: "weft-lm-1",
    provider: "local",
    modelId,
    capabilities: { ...LOCAL_CAPABILITIES },

    async doGenerate(options): Promise<GenerateResult> {
      const call = await prepare(options);
      const { choices, usage } = await generateChoices(call, options.abortSignal);
      const result: GenerateResult = { choices, usage, response: { modelId } };
      if (call.warnings.length) result.warnings = call.warnings;
      return result;
    },

    async doStream(options): Promise<StreamResult> {
      const call = await prepare(options);
      const cancel = new AbortController();
      const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, cancel.signal]) : cancel.signal;
      const queue = createAsyncQueue<StreamPart>({ onCancel: () => cancel.abort() });
      const multi = call.settings.n > 1;
      generateChoices(call, signal, {
        text: (delta, index) => {
          if (delta !== "")
            queue.push(multi ? { type: "text-delta", delta, choiceIndex: index } : { type: "text-delta", delta });
        },
        toolCall: (toolCall, index) => {
          queue.push(multi ? { type: "tool-call", toolCall, choiceIndex: index } : { type: "tool-call", toolCall });
        },
        done: (choice, index) => {
          if (choice.logprobs) {
            queue.push(
              multi
                ? { type: "logprobs", logprobs: choice.logprobs, choiceIndex: index }
                : { type: "logprobs", logprobs: choice.logprobs },
            );
          }
        },
      }).then(
        ({ choices, usage }) => {
          const finishReason = choices.at(-1)?.finishReason ?? "stop";
          queue.push({ type: "finish", finishReason, usage, response: { modelId } });
          queue.end();
        },
        (error: unknown) => queue.fail(toGenerationError(error, modelId, signal)),
      );
      const result: StreamResult = { stream: queue.iterable };
      if (call.warnings.length) result.warnings = call.warnings;
      return result;
    },

    async doScore(options): Promise<ScoreResult> {
      const rt = await runtime();
      try {
        return await rt.mutex.run(() => scoreContinuations(rt, modelId, options), options.abortSignal);
      } catch (error) {
        throw toGenerationError(error, modelId, options.abortSignal);
      }
    },

    async countTokens(text) {
      const model = await engine.model(modelId, await handle.locate());
      return model.tokenize(text, false).length;
    },

    async dispose() {
      const path = await handle.locate().catch(() => undefined);
      if (path) await engine.release(path, "chat");
    },
  };
}
