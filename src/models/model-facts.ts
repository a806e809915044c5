import type { Usage } from "../spec/language-model.js";
import data from "./model-facts.json" with { type: "json" };

/** What weft knows about a model: context size and price in USD per million tokens. */
export interface ModelFacts {
  contextWindow?: number;
  maxOutputTokens?: number;
  dimensions?: number;
  /** USD per million input tokens. */
  input?: number;
  /** USD per million cached input tokens (defaults to `input`). */
  cachedInput?: number;
  /** USD per million output tokens. */
  output?: number;
}

/** Extra or corrected facts, e.g. from the config file: `{ "openai:my-fine-tune": { input: 0.3, output: 1.2 } }`. */
export type ModelFactsOverrides = Record<string, ModelFacts>;

const table: Record<string, ModelFacts> = data.models;
const free = new Set<string>(data.freeProviders);

/** Azure deployments are usually named after the OpenAI model they serve, at the same price. */
const aliases: Record<string, string> = { azure: "openai" };

const VERSION_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|latest|preview(-\d{4}-\d{2}-\d{2})?)$/;

function lookup(facts: Record<string, ModelFacts>, key: string): ModelFacts | undefined {
  const exact = facts[key];
  if (exact) return exact;
  // A dated or tagged id (gpt-4o-2024-08-06, claude-3-5-haiku-20241022, claude-sonnet-4-5-latest)
  // uses the longest key it extends by such a suffix, and only by such a suffix.
  let best: string | undefined;
  for (const candidate of Object.keys(facts)) {
    if (key.startsWith(candidate) && VERSION_SUFFIX.test(key.slice(candidate.length))) {
      if (!best || candidate.length > best.length) best = candidate;
    }
  }
  return best ? facts[best] : undefined;
}

/**
 * Looks up a model's facts; undefined when weft does not know the model.
 *
 * @example
 * modelFacts("openai", "gpt-4o-mini-2024-07-18")?.contextWindow; // 128000
 */
export function modelFacts(provider: string, modelId: string, overrides?: ModelFactsOverrides): ModelFacts | undefined {
  const merged = overrides ? { ...table, ...overrides } : table;
  return (
    lookup(merged, `${provider}:${modelId}`) ??
    (aliases[provider] ? lookup(merged, `${aliases[provider]}:${modelId}`) : undefined)
  );
}

/** True when the provider runs on the user's machine, so tokens cost nothing. */
export function isFreeProvider(provider: string): boolean {
  return free.has(provider);
}

/**
 * Cost of one call in USD, or null when the model's price is unknown (never a silent 0).
 *
 * @example
 * costOf({ provider: "openai", modelId: "gpt-4o-mini", usage: { inputTokens: 1000, outputTokens: 500 } }); // 0.00045
 */
export function costOf(opts: {
  provider: string;
  modelId: string;
  usage: Usage;
  overrides?: ModelFactsOverrides;
}): number | null {
  if (isFreeProvider(opts.provider)) return 0;
  const facts = modelFacts(opts.provider, opts.modelId, opts.overrides);
  if (!facts || facts.input === undefined) return null;
  const { inputTokens, outputTokens, cachedInputTokens } = opts.usage;
  if (inputTokens === undefined && outputTokens === undefined) return null;
  const cached = Math.min(cachedInputTokens ?? 0, inputTokens ?? 0);
  const uncached = (inputTokens ?? 0) - cached;
  const cost =
    uncached * facts.input + cached * (facts.cachedInput ?? facts.input) + (outputTokens ?? 0) * (facts.output ?? 0);
  return cost / 1_000_000;
}

/** When the price table was last checked. */
export const MODEL_FACTS_AS_OF: string = data.asOf;
