import { randomUUID } from "node:crypto";
import { costOf, type ModelFactsOverrides } from "../models/model-facts.js";
import { WeftError } from "../spec/errors.js";
import type { CallOptions, StreamPart, ToolCall, Usage } from "../spec/language-model.js";
import type { TraceRecord, TraceStore } from "../spec/store.js";
import type { LanguageModelMiddleware } from "./middleware.js";
import { redactSecrets } from "./redact.js";

export interface TracingOptions {
  traces: Pick<TraceStore, "insert">;
  sessionId?: string;
  parentId?: string;
  modelFacts?: ModelFactsOverrides;
  /** Called when a trace cannot be written; the model call itself still succeeds. Default: a process warning. */
  onTraceError?: (error: unknown) => void;
}

function parametersOf(options: CallOptions): Record<string, unknown> {
  // Headers may carry credentials; messages are stored separately as the input.
  const { messages: _m, abortSignal: _a, headers: _h, rawPrompt: _r, ...rest } = options;
  return redactSecrets(rest) as Record<string, unknown>;
}

function errorOf(error: unknown): TraceRecord["error"] {
  if (WeftError.isInstance(error)) return { name: error.name, code: error.code, message: error.message };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/**
 * Middleware that persists one TraceRecord per model call (model, parameters, messages, output,
 * tokens, cost, latency, error). Headers and secret-looking parameters are never stored. A result
 * served by `cachingMiddleware` (placed inside this one) is recorded with `cached: true` and cost 0.
 *
 * @example
 * const model = wrapModel(createOpenAI().languageModel("gpt-4o-mini"), [tracingMiddleware({ traces: store.traces })]);
 */
export function tracingMiddleware(options: TracingOptions): LanguageModelMiddleware {
  const warn =
    options.onTraceError ?? ((e: unknown) => process.emitWarning(`weft could not save a trace: ${String(e)}`));
  const save = async (record: TraceRecord) => {
    try {
      await options.traces.insert(record);
    } catch (error) {
      warn(error);
    }
  };
  const base = (operation: string, model: { provider: string; modelId: string }, call: CallOptions) => ({
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    operation,
    provider: model.provider,
    modelId: model.modelId,
    parameters: parametersOf(call),
    input: call.rawPrompt !== undefined ? { rawPrompt: call.rawPrompt } : redactSecrets(call.messages),
    sessionId: options.sessionId ?? null,
    parentId: options.parentId ?? null,
  });
  const cost = (model: { provider: string; modelId: string }, usage: Usage) =>
    costOf({ provider: model.provider, modelId: model.modelId, usage, overrides: options.modelFacts });
  type Pending = ReturnType<typeof base>;
  const succeeded = (
    record: Pending,
    model: { provider: string; modelId: string },
    started: number,
    done: { output: unknown; usage: Usage; cached?: boolean },
  ) =>
    save({
      ...record,
      output: done.output,
      usage: done.usage,
      costUsd: done.cached ? 0 : cost(model, done.usage),
      latencyMs: performance.now() - started,
      error: null,
      cached: done.cached === true,
    });
  const failed = (record: Pending, started: number, error: unknown, output: unknown = null) =>
    save({
      ...record,
      output,
      usage: {},
      costUsd: null,
      latencyMs: performance.now() - started,
      error: errorOf(error),
    });

  return {
    async wrapGenerate({ model, options: call, next }) {
      const record = base("generate", model, call);
      const started = performance.now();
      try {
        const result = await next();
        await succeeded(record, model, started, {
          output: { choices: result.choices, response: result.response, warnings: result.warnings },
          usage: result.usage,
          cached: result.cached,
        });
        return result;
      } catch (error) {
        await failed(record, started, error);
        throw error;
      }
    },
    async wrapScore({ model, options: call, next }) {
      const record = {
        ...base("score", model, { messages: call.messages, rawPrompt: call.rawPrompt }),
        parameters: { continuations: call.continuations },
      };
      const started = performance.now();
      try {
        const result = await next();
        await succeeded(record, model, started, {
          output: { logprobs: result.continuations.map((c) => c.logprob) },
          usage: result.usage,
          cached: result.cached,
        });
        return result;
      } catch (error) {
        await failed(record, started, error);
        throw error;
      }
    },
    async wrapStream({ model, options: call, next }) {
      const record = base("stream", model, call);
      const started = performance.now();
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next();
      } catch (error) {
        await failed(record, started, error);
        throw error;
      }
      const inner = result.stream;
      const cached = result.cached === true;
      async function* traced(): AsyncGenerator<StreamPart> {
        let text = "";
        const toolCalls: ToolCall[] = [];
        let finish: Extract<StreamPart, { type: "finish" }> | undefined;
        try {
          for await (const part of inner) {
            if (part.type === "text-delta" && (part.choiceIndex ?? 0) === 0) text += part.delta;
            else if (part.type === "tool-call") toolCalls.push(part.toolCall);
            else if (part.type === "finish") finish = part;
            yield part;
          }
        } catch (error) {
          await failed(record, started, error, { text, toolCalls, partial: true });
          throw error;
        }
        await succeeded(record, model, started, {
          output: { text, toolCalls, finishReason: finish?.finishReason ?? "unknown", response: finish?.response },
          usage: finish?.usage ?? {},
          cached,
        });
      }
      return { ...result, stream: traced() };
    },
  };
}
