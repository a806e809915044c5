import type { LanguageModel } from "../../spec/language-model.js";

/** How tokens were counted: the model's tokenizer, a function you gave, or the estimate. */
export type TokenCounterKind = "model" | "custom" | "estimate";

export interface TokenCounter {
  kind: TokenCounterKind;
  count(text: string): Promise<number>;
}

/**
 * The documented estimate used when no tokenizer is available: one token per 4 characters, rounded
 * up — close to GPT-style tokenizers on English prose, generous on code and non-Latin scripts.
 *
 * @example
 * estimateTokens("Hello, world!"); // 4
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Picks the best counter available: a function given, the model's `countTokens`, else the estimate. */
export function tokenCounter(options: {
  model?: Pick<LanguageModel, "countTokens">;
  countTokens?: (text: string) => number | Promise<number>;
}): TokenCounter {
  const custom = options.countTokens;
  if (custom) return { kind: "custom", count: async (text) => custom(text) };
  const model = options.model;
  if (model?.countTokens)
    return { kind: "model", count: (text) => (model.countTokens as (t: string) => Promise<number>)(text) };
  return { kind: "estimate", count: async (text) => estimateTokens(text) };
}
