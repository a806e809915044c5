import type { Token } from "node-llama-cpp";
import { AbortError, ContextLengthError, InvalidArgumentError } from "../../spec/errors.js";
import type { Message, ScoreOptions, ScoreResult, TokenLogprob } from "../../spec/language-model.js";
import type { ChatRuntime } from "./engine.js";
import { nextTokenProbabilities, scoreTokens } from "./logprobs.js";
import { chatPrompt, type PreparedPrompt, rawPrompt } from "./prompt.js";

/** How one continuation is evaluated after the prompt. */
export interface ContinuationPlan {
  /** Tokens the continuation is conditioned on (the prompt's tokens, or the part both tokenizations share). */
  prefix: Token[];
  /** Tokens scored: the continuation's tokens as they are tokenized after the prompt. */
  tokens: Token[];
  /**
   * The prompt's own last tokens when the continuation merged with them at the boundary (e.g. a
   * prompt ending in a space). Their log probability is subtracted from the continuation's.
   */
  tail: Token[];
}

/**
 * Tokenizes the prompt followed by `continuation` exactly as generation renders it (raw text, or
 * the chat template with the continuation written into the model's turn) and splits the result at
 * the first token where it differs from the prompt alone.
 *
 * Usually the prompt's tokens are a prefix of the whole, and the continuation's tokens are simply
 * the rest. When the two merge at the boundary ("a little " + "girl" tokenizes "▁girl", not "▁" +
 * "girl"), the shared tokens are the condition, the whole's remaining tokens are scored, and the
 * prompt's remaining tokens (the tail) are scored too so that
 * log P(continuation | prompt) = log P(whole tail) − log P(prompt tail).
 *
 * @example
 * const plan = planContinuation(runtime, { messages: [], rawPrompt: "Once upon a" }, prompt, " time");
 */
export function planContinuation(
  runtime: Pick<ChatRuntime, "model" | "bos" | "chatWrapper">,
  options: Pick<ScoreOptions, "messages" | "rawPrompt">,
  prompt: PreparedPrompt,
  continuation: string,
): ContinuationPlan {
  const whole =
    options.rawPrompt !== undefined
      ? rawPrompt(runtime, options.rawPrompt + continuation)
      : chatPrompt(runtime, withContinuation(options.messages, continuation));
  const a = prompt.evaluated;
  const b = whole.evaluated;
  let shared = 0;
  while (shared < a.length && shared < b.length && a[shared] === b[shared]) shared++;
  return { prefix: a.slice(0, shared), tokens: b.slice(shared), tail: a.slice(shared) };
}

/** The conversation with `continuation` written into the model's (open) turn. */
function withContinuation(messages: Message[], continuation: string): Message[] {
  const last = messages.at(-1);
  if (last?.role !== "assistant") return [...messages, { role: "assistant", content: continuation }];
  const content =
    typeof last.content === "string"
      ? last.content + continuation
      : [...last.content, { type: "text" as const, text: continuation }];
  return [...messages.slice(0, -1), { role: "assistant", content }];
}

/** Probability mass left unvisited when the marginal below stops summing. */
const NEGLIGIBLE_MASS = 1e-7;
const DETOKENIZE_CONTEXT = 8;

/**
 * Log probability of the prompt's tail *text* after `prefix`: the tail's tokens up to the last,
 * then the total probability of every next token whose text starts with the last token's text (a
 * trailing " " is any word that starts with a space, not the lone-space token).
 */
async function tailLogprob(runtime: ChatRuntime, prefix: Token[], tail: Token[]): Promise<number> {
  const head = tail.slice(0, -1);
  const before =
    head.length === 0
      ? 0
      : sum(
          await scoreTokens({ model: runtime.model, sequence: runtime.sequence, prefix, continuation: head, top: 0 }),
        );
  const context = [...prefix, ...head];
  const detokenize = (token: Token) => runtime.model.detokenize([token], false, context.slice(-DETOKENIZE_CONTEXT));
  const lastText = detokenize(tail[tail.length - 1] as Token);
  const next = await nextTokenProbabilities({ sequence: runtime.sequence, prefix: context });
  let matching = 0;
  let seen = 0;
  for (const [token, probability] of next) {
    if (detokenize(token).startsWith(lastText)) matching += probability;
    seen += probability;
    if (seen >= 1 - NEGLIGIBLE_MASS) break;
  }
  return before + Math.log(Math.max(matching, Number.MIN_VALUE));
}

const sum = (logprobs: TokenLogprob[]) => logprobs.reduce((total, entry) => total + entry.logprob, 0);

/**
 * Scores each continuation after the prompt on the runtime's sequence. The caller holds the
 * runtime's mutex. The prompt's evaluation stays in the KV cache between continuations, so each
 * one costs only its own tokens.
 *
 * @example
 * const result = await runtime.mutex.run(() => scoreContinuations(runtime, "stories260K.gguf", options));
 */
export async function scoreContinuations(
  runtime: ChatRuntime,
  modelId: string,
  options: ScoreOptions,
): Promise<ScoreResult> {
  const prompt =
    options.rawPrompt !== undefined ? rawPrompt(runtime, options.rawPrompt) : chatPrompt(runtime, options.messages);
  const plans = options.continuations.map((text) => planContinuation(runtime, options, prompt, text));
  const contextSize = runtime.context.contextSize;
  const longest = Math.max(prompt.evaluated.length, ...plans.map((p) => p.prefix.length + p.tokens.length));
  if (longest > contextSize) {
    throw new ContextLengthError({
      provider: "local",
      modelId,
      contextSize,
      detail: `the prompt plus the longest continuation is ${longest} tokens`,
    });
  }
  const tails = new Map<number, number>();
  const continuations: ScoreResult["continuations"] = [];
  let evaluated = prompt.evaluated.length;
  for (const plan of plans) {
    if (options.abortSignal?.aborted) throw new AbortError({ cause: options.abortSignal.reason });
    if (plan.tokens.length === 0 && plan.tail.length === 0) {
      continuations.push({ logprob: 0, tokens: [] });
      continue;
    }
    if (plan.prefix.length === 0) {
      throw new InvalidArgumentError({
        argument: "rawPrompt",
        message: `local:${modelId} has no beginning-of-sequence token, so the first token of a text cannot be scored; give a non-empty prompt.`,
      });
    }
    const tokens = await scoreTokens({
      model: runtime.model,
      sequence: runtime.sequence,
      prefix: plan.prefix,
      continuation: plan.tokens,
      top: 0,
    });
    evaluated += tokens.length;
    let tail = tails.get(plan.prefix.length);
    if (tail === undefined) {
      tail = plan.tail.length === 0 ? 0 : await tailLogprob(runtime, plan.prefix, plan.tail);
      tails.set(plan.prefix.length, tail);
    }
    // The two sides are estimated along different tokenizations; a probability stays <= 1.
    continuations.push({ logprob: Math.min(0, sum(tokens) - tail), tokens });
  }
  return { continuations, usage: { inputTokens: evaluated, outputTokens: 0, totalTokens: evaluated } };
}
