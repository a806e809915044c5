import type { CallSettings, RunOptions } from "../../generate/call-settings.js";
import { generateText } from "../../generate/generate-text.js";
import { wrapModel } from "../../generate/middleware.js";
import { type PromptInput, toMessages } from "../../generate/prompt.js";
import { streamText } from "../../generate/stream-text.js";
import { tracingMiddleware } from "../../generate/tracing.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { LanguageModel, Message, Usage } from "../../spec/language-model.js";
import type { TraceStore } from "../../spec/store.js";
import { checksOf, runLeaf } from "./run-leaf.js";
import type { ChainRun, CheckOptions, Step, StepContext, StepFeedback } from "./types.js";

export interface ModelStepOptions<I, O> extends CheckOptions<I, O> {
  name: string;
  /** The model for this step; default: the `model` given to runChain. */
  model?: LanguageModel;
  /** System prompt, unless `prompt` returns its own. */
  system?: string;
  /** The step's prompt: a user message, or messages / a system prompt / a raw prompt. */
  prompt: (input: I, ctx: StepContext<O>) => string | PromptInput;
  /** Turns the reply into the step's output (default: the reply text). */
  parse?: (text: string, input: I, ctx: StepContext<O>) => O | Promise<O>;
  /**
   * The message that tells the model what was wrong with its previous reply. The retry sends the
   * prompt, the previous reply and this message. `false`: `prompt` handles `ctx.feedback` itself.
   */
  feedback?: ((feedback: StepFeedback<O>, input: I) => string) | false;
  /** Generation settings and the transport policy of each call. */
  settings?: CallSettings & Pick<RunOptions, "maxRetries" | "retryDelayMs" | "timeoutMs">;
  /** Stream the reply as `text` events (default true); false waits for the whole reply. */
  stream?: boolean;
}

/**
 * The default feedback message: the failed check and its issues, one per line.
 *
 * @example
 * defaultFeedback({ check: "validate", issues: [{ message: "Too long." }], output: "..." });
 * // "Your previous answer did not pass the check 'validate':\n- Too long.\nReply again in full, with these problems fixed."
 */
export function defaultFeedback(feedback: StepFeedback<unknown>): string {
  const lines = feedback.issues.map((i) => `- ${i.path ? `${i.path}: ` : ""}${i.message}`);
  return `Your previous answer did not pass the check '${feedback.check}':\n${lines.join("\n")}\nReply again in full, with these problems fixed.`;
}

/** Each trace of the step says which step and attempt it belongs to. */
function tagTraces(traces: Pick<TraceStore, "insert">, step: string, attempt: number): Pick<TraceStore, "insert"> {
  return {
    insert: (record) => traces.insert({ ...record, parameters: { ...record.parameters, step, attempt } }),
  };
}

function modelFor(step: string, own: LanguageModel | undefined, run: ChainRun): LanguageModel {
  const model = own ?? run.model;
  if (!model) {
    throw new InvalidArgumentError({
      argument: "model",
      message: `Step '${step}' has no model: pass model to modelStep({ model }) or to runChain(..., { model }).`,
    });
  }
  return model;
}

/**
 * A step that calls a model: builds a prompt from its input, streams the reply, parses it and runs
 * its checks; a failed check re-runs the step with the issues fed back.
 *
 * @example
 * const summarize = modelStep({
 *   name: "summarize",
 *   model: createOpenAI().languageModel("gpt-4o-mini"),
 *   prompt: (article: string) => `Summarize in one sentence:\n\n${article}`,
 *   validate: (summary) => (summary.length > 200 ? ["Keep it under 200 characters."] : []),
 * });
 */
export function modelStep<I>(options: ModelStepOptions<I, string> & { parse?: undefined }): Step<I, string>;
export function modelStep<I, O>(
  options: ModelStepOptions<I, O> & { parse: (text: string, input: I, ctx: StepContext<O>) => O | Promise<O> },
): Step<I, O>;
export function modelStep<I, O>(options: ModelStepOptions<I, O>): Step<I, O> {
  const { name } = options;
  const checks = checksOf(options);
  return {
    name,
    kind: "model",
    async run(input, run) {
      const base = modelFor(name, options.model, run);
      const label = `${base.provider}:${base.modelId}`;
      return runLeaf<I, O>({
        name,
        kind: "model",
        model: label,
        input,
        run,
        checks,
        attempt: async (ctx) => {
          const model = run.traces
            ? wrapModel(base, [
                tracingMiddleware({
                  traces: tagTraces(run.traces, name, ctx.attempt),
                  parentId: run.runId,
                  sessionId: run.sessionId,
                  modelFacts: run.modelFacts,
                }),
              ])
            : base;
          const given = options.prompt(input, ctx);
          const prompt: PromptInput = typeof given === "string" ? { prompt: given } : given;
          let messages: Message[] = toMessages({ ...prompt, system: prompt.system ?? options.system });
          if (ctx.feedback && options.feedback !== false && prompt.rawPrompt === undefined) {
            const say = options.feedback ?? defaultFeedback;
            messages = [
              ...messages,
              { role: "assistant", content: ctx.feedback.text ?? String(ctx.feedback.output) },
              { role: "user", content: say(ctx.feedback, input) },
            ];
          }
          const call = {
            ...options.settings,
            model,
            messages,
            rawPrompt: prompt.rawPrompt,
            abortSignal: run.abortSignal,
            modelFacts: run.modelFacts,
          };
          let reply: { text: string; usage: Usage; costUsd: number | null };
          if (options.stream === false) {
            reply = await generateText(call);
            ctx.emit(reply.text);
          } else {
            const streamed = streamText(call);
            for await (const delta of streamed.textStream) ctx.emit(delta);
            reply = await streamed.done;
          }
          const output = options.parse ? await options.parse(reply.text, input, ctx) : (reply.text as O);
          return { output, text: reply.text, usage: reply.usage, costUsd: reply.costUsd, model: label };
        },
      });
    },
  };
}
