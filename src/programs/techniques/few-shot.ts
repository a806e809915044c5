import type { RunOptions } from "../../generate/call-settings.js";
import { embedMany } from "../../generate/embed.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { EmbeddingModel, LanguageModel } from "../../spec/language-model.js";
import { createLexicalIndex, type LexicalIndex } from "./lexical.js";
import { cosineSimilarity, maximalMarginalRelevance } from "./mmr.js";
import { type TokenCounterKind, tokenCounter } from "./token-count.js";

/** The default example shape; any object works with `text` and `template`. */
export interface FewShotExample {
  input: string;
  output: string;
}

export interface ExampleSelectorOptions<T extends object> extends RunOptions {
  examples: readonly T[];
  /** Embeds the input and examples for relevance and similarity; without it BM25 (minisearch) is used. */
  embeddingModel?: EmbeddingModel;
  /** The text of an example compared with the input (default: its `input` field, else the formatted example). */
  text?: (example: T) => string;
  /** `{{field}}` placeholders filled from the example, or a function (default "Input: {{input}}\nOutput: {{output}}"). */
  template?: string | ((example: T) => string);
  /** Between formatted examples (default a blank line). */
  separator?: string;
  /** Counts tokens for the budget with `model.countTokens` when it has one. */
  model?: LanguageModel;
  /** Counts tokens for the budget; wins over `model`. Without either: ceil(characters / 4). */
  countTokens?: (text: string) => number | Promise<number>;
}

export interface ExampleSelectOptions {
  /** Most examples to pick (default 4). */
  k?: number;
  /** Token budget for the formatted examples, separators included. */
  maxTokens?: number;
  /**
   * 1 = relevance only, 0 = diversity only. Default 0.5 with embeddings (cosine on both sides), 0.7
   * with BM25, whose relevance is scaled so the best match scores 1.
   */
  lambda?: number;
  /** Put the most relevant example last, closest to the input (default false: most relevant first). */
  mostRelevantLast?: boolean;
}

export interface FewShotSelection<T> {
  examples: T[];
  /** Positions of the picks in the pool, in output order. */
  indices: number[];
  /** The picks formatted and joined, ready to put in a prompt. */
  text: string;
  /** Tokens in `text`. */
  tokens: number;
  method: "embeddings" | "bm25";
  tokenCounter: TokenCounterKind;
  /** Per pick (output order): relevance in [0, 1] for BM25 or cosine for embeddings, and its MMR score. */
  scores: Array<{ index: number; relevance: number; mmr: number }>;
  /** Embedding tokens used by this call (the pool is embedded on the first call only). */
  usage: { tokens?: number };
  costUsd: number | null;
}

export interface ExampleSelector<T> {
  select(input: string, options?: ExampleSelectOptions): Promise<FewShotSelection<T>>;
}

const DEFAULT_TEMPLATE = "Input: {{input}}\nOutput: {{output}}";

function fill(template: string, example: object): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    const value = (example as Record<string, unknown>)[name];
    if (value === undefined) {
      throw new InvalidArgumentError({
        argument: "template",
        message: `The template uses {{${name}}} but an example has no '${name}' field; fix the template or the examples.`,
      });
    }
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

/**
 * Creates a few-shot example selector over a pool. Each `select` picks examples relevant to the input
 * (embeddings when an embedding model is given, BM25 otherwise) and different from each other
 * (maximal marginal relevance), within a token budget. Deterministic: ties go to the earlier example.
 * The pool's embeddings and token counts are computed once, on first use.
 *
 * @example
 * const selector = createExampleSelector({ examples, embeddingModel, model });
 * const { text } = await selector.select("How do I reset my password?", { k: 3, maxTokens: 400 });
 * const prompt = `${text}\n\nInput: How do I reset my password?\nOutput:`;
 */
export function createExampleSelector<T extends object = FewShotExample>(
  options: ExampleSelectorOptions<T>,
): ExampleSelector<T> {
  const { examples, embeddingModel, separator = "\n\n", template = DEFAULT_TEMPLATE } = options;
  const format = (e: T) => (typeof template === "function" ? template(e) : fill(template, e));
  const formatted = examples.map(format);
  const matchText = options.text ?? ((e: T) => ("input" in e && typeof e.input === "string" ? e.input : format(e)));
  const texts = examples.map(matchText);
  const counter = tokenCounter({ model: options.model, countTokens: options.countTokens });
  let tokenCounts: Promise<number[]> | undefined;
  let poolVectors: Promise<{ vectors: number[][]; tokens?: number; costUsd: number | null }> | undefined;
  let lexical: LexicalIndex | undefined;
  const runOptions = {
    maxRetries: options.maxRetries,
    retryDelayMs: options.retryDelayMs,
    timeoutMs: options.timeoutMs,
    abortSignal: options.abortSignal,
    modelFacts: options.modelFacts,
  };

  async function relevanceAndSimilarity(input: string) {
    if (!embeddingModel) {
      lexical ??= createLexicalIndex(texts);
      return {
        relevance: lexical.relevance(input),
        similarity: lexical.similarity,
        tokens: undefined,
        costUsd: 0 as number | null,
      };
    }
    let firstUse = false;
    if (!poolVectors) {
      firstUse = true;
      poolVectors = embedMany({ ...runOptions, model: embeddingModel, values: texts }).then(
        (r) => ({ vectors: r.embeddings, tokens: r.usage.tokens, costUsd: r.costUsd }),
        (error: unknown) => {
          poolVectors = undefined; // a failed call is retried by the next select, not cached
          throw error;
        },
      );
    }
    const [pool, query] = await Promise.all([
      poolVectors,
      embedMany({ ...runOptions, model: embeddingModel, values: [input] }),
    ]);
    const queryVector = query.embeddings[0] ?? [];
    const tokens = [query.usage.tokens, firstUse ? pool.tokens : 0];
    const costs = [query.costUsd, firstUse ? pool.costUsd : 0];
    return {
      relevance: pool.vectors.map((v) => cosineSimilarity(v, queryVector)),
      similarity: (a: number, b: number) => cosineSimilarity(pool.vectors[a] ?? [], pool.vectors[b] ?? []),
      tokens: tokens.every((t) => t === undefined) ? undefined : tokens.reduce<number>((s, t) => s + (t ?? 0), 0),
      costUsd: costs.some((c) => c === null) ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0),
    };
  }

  return {
    async select(input, selectOptions = {}) {
      const { k = 4, maxTokens, mostRelevantLast = false } = selectOptions;
      const lambda = selectOptions.lambda ?? (embeddingModel ? 0.5 : 0.7);
      if (!(lambda >= 0 && lambda <= 1)) {
        throw new InvalidArgumentError({
          argument: "lambda",
          message: `lambda must be between 0 and 1, got ${lambda}.`,
        });
      }
      if (maxTokens !== undefined && !(maxTokens >= 0)) {
        throw new InvalidArgumentError({
          argument: "maxTokens",
          message: `maxTokens must be 0 or more, got ${maxTokens}.`,
        });
      }
      tokenCounts ??= Promise.all(formatted.map((f) => counter.count(f))).catch((error: unknown) => {
        tokenCounts = undefined;
        throw error;
      });
      const [counts, separatorTokens, scored] = await Promise.all([
        tokenCounts,
        counter.count(separator),
        relevanceAndSimilarity(input),
      ]);
      const cost = (picked: readonly number[]) =>
        picked.reduce((sum, i) => sum + (counts[i] ?? 0), 0) + Math.max(0, picked.length - 1) * separatorTokens;
      const fits = (i: number, selected: readonly number[]) =>
        maxTokens === undefined || cost([...selected, i]) <= maxTokens;
      const mmr = { similarity: scored.similarity, relevance: scored.relevance, lambda };
      // With BM25, examples sharing no term with the input come only after every one that shares some.
      let picks = maximalMarginalRelevance({
        ...mmr,
        k,
        fits: (i, selected) => (embeddingModel !== undefined || (scored.relevance[i] ?? 0) > 0) && fits(i, selected),
      });
      if (!embeddingModel && picks.length < k) {
        const rest = maximalMarginalRelevance({
          ...mmr,
          k: k - picks.length,
          selected: picks.map((p) => p.index),
          fits,
        });
        picks = [...picks, ...rest];
      }
      // Tokenizers are not additive across joins; recount the real text and drop picks until it fits.
      const join = (p: typeof picks) => {
        const ordered = mostRelevantLast ? [...p].reverse() : p;
        return { ordered, text: ordered.map((x) => formatted[x.index]).join(separator) };
      };
      let joined = join(picks);
      let tokens = await counter.count(joined.text);
      while (maxTokens !== undefined && tokens > maxTokens && picks.length > 0) {
        picks = picks.slice(0, -1);
        joined = join(picks);
        tokens = await counter.count(joined.text);
      }
      return {
        examples: joined.ordered.map((p) => examples[p.index] as T),
        indices: joined.ordered.map((p) => p.index),
        text: joined.text,
        tokens,
        method: embeddingModel ? "embeddings" : "bm25",
        tokenCounter: counter.kind,
        scores: joined.ordered.map((p) => ({
          index: p.index,
          relevance: scored.relevance[p.index] ?? 0,
          mmr: p.score,
        })),
        usage: { tokens: scored.tokens },
        costUsd: scored.costUsd,
      };
    },
  };
}

/**
 * Picks few-shot examples for one input; see createExampleSelector to reuse a pool across inputs.
 *
 * @example
 * const { text, examples } = await selectExamples({
 *   examples: [{ input: "2+2", output: "4" }, { input: "capital of France", output: "Paris" }],
 *   input: "3+5",
 *   k: 1,
 * });
 */
export async function selectExamples<T extends object = FewShotExample>(
  options: ExampleSelectorOptions<T> & ExampleSelectOptions & { input: string },
): Promise<FewShotSelection<T>> {
  const { input, k, maxTokens, lambda, mostRelevantLast, ...selector } = options;
  return createExampleSelector(selector).select(input, { k, maxTokens, lambda, mostRelevantLast });
}
