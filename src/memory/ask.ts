import { generateText } from "../generate/generate-text.js";
import { streamText } from "../generate/stream-text.js";
import { type ModelFactsOverrides, modelFacts } from "../models/model-facts.js";
import { ContextLengthError, InvalidArgumentError } from "../spec/errors.js";
import type { EmbeddingModel, LanguageModel, Message, Usage } from "../spec/language-model.js";
import type { Store } from "../spec/store.js";
import { isNotFoundAnswer, NOT_FOUND_ANSWER } from "./ask-prompt.js";
import { estimateTokens } from "./chunking/index.js";
import { checkCitations } from "./citations.js";
import { type PackedSource, packContext, type TokenCounter } from "./context-packing.js";
import { extractiveAnswer, NO_MODEL_HINT } from "./extractive.js";
import { type SearchOptions, type SearchResponse, search } from "./search.js";
import { formatLocation, type SearchResult } from "./search-result.js";

/** Context size assumed for models weft has no facts about (local GGUF files, most servers). */
export const DEFAULT_CONTEXT_WINDOW = 4096;
/** Tokens kept free for the answer unless `maxAnswerTokens` says otherwise. */
export const DEFAULT_ANSWER_TOKENS = 1024;

export interface AskOptions {
  store: Pick<Store, "documents" | "location">;
  question: string;
  /** Writes the answer; without one, `ask` returns the best passages (an extractive answer). */
  model?: LanguageModel;
  /** The index's embedder, for hybrid search. */
  embedder?: EmbeddingModel;
  /** Passages retrieved before packing (default 8). */
  k?: number;
  /**
   * Most tokens the prompt (instructions, sources, question) may use. Default: the model's context
   * window from its model facts (4096 when unknown) minus `maxAnswerTokens`.
   */
  tokenBudget?: number;
  /** The answer's token limit and reserve (default 1024). */
  maxAnswerTokens?: number;
  temperature?: number;
  /** Receives the answer as it streams; without it the answer is generated in one call. */
  onText?: (delta: string) => void;
  /** Called with exactly what the model will see, just before it is called (the troubleshooting view). */
  onContext?: (context: { messages: Message[]; sources: AskSource[]; tokens: number; budget: number }) => void;
  /** Token counter for packing; default the model's own tokenizer, else `estimateTokens` (errs high). */
  countTokens?: TokenCounter;
  /** More search settings: mode, filters, mmr, hyde, rewrite, rerank. */
  search?: Omit<SearchOptions, "store" | "query" | "k" | "embedder" | "abortSignal">;
  modelFacts?: ModelFactsOverrides;
  maxRetries?: number;
  timeoutMs?: number;
  abortSignal?: AbortSignal;
}

/** A numbered source of an answer. */
export interface AskSource {
  n: number;
  /** Chunk id. */
  id: string;
  source: string;
  /** `path:lines` or `path p. N`. */
  location: string;
  title?: string;
  headingPath: string[];
  lines?: { start: number; end: number };
  pages?: { start: number; end: number };
  score: number;
  /** The text the model saw (cut when `truncated`). */
  text: string;
  truncated: boolean;
}

/** A citation `[n]` of the answer, resolved to where it points. */
export type AskCitation = Omit<AskSource, "text" | "score" | "truncated">;

export interface AskResult {
  answer: string;
  /** `generated` by the model, or `extractive`: the best passages, when there is no model. */
  kind: "generated" | "extractive";
  /** The answer is the "could not find" reply (or nothing matched). */
  notFound: boolean;
  /** Valid citations, in order of first use. */
  citations: AskCitation[];
  /** Numbers the answer cites that are not among the sources. */
  invalidCitations: number[];
  /** True when a generated answer cites no valid source, or cites one that does not exist. */
  flagged: boolean;
  /** Why it was flagged, and other notes (search warnings, budget cuts), in plain words. */
  warnings: string[];
  /** Every source given to the model (or listed, for extractive answers), numbered from 1. */
  sources: AskSource[];
  /** Exactly what the model saw; empty when no model was called. */
  messages: Message[];
  /** For extractive answers: the sentence on how to configure a model. */
  hint?: string;
  search: Pick<SearchResponse, "mode" | "queries" | "hypotheticalAnswer">;
  /** Prompt tokens counted against the budget. */
  budget: { tokens: number; used: number; dropped: number };
  /** `provider:model` of the model that answered. */
  model?: string;
  usage?: Usage;
  costUsd?: number | null;
}

function toSource(n: number, result: SearchResult, truncated = false): AskSource {
  const source: AskSource = {
    n,
    id: result.id,
    source: result.source,
    location: formatLocation(result),
    headingPath: result.headingPath,
    score: result.score,
    text: result.text,
    truncated,
  };
  if (result.title !== undefined) source.title = result.title;
  if (result.lines) source.lines = result.lines;
  if (result.pages) source.pages = result.pages;
  return source;
}

function toCitation({ text: _t, score: _s, truncated: _x, ...citation }: AskSource): AskCitation {
  return citation;
}

/**
 * Answers a question from the indexed documents (Search-Ask): searches, packs the most relevant
 * passages into the model's token budget as numbered, delimited sources, and asks the model to
 * answer only from them with `[n]` citations, or to say "I could not find an answer.". The
 * citations are checked afterwards. With no `model`, returns the best passages with their
 * citations instead (an extractive answer).
 *
 * @example
 * const result = await ask({ store, question: "When is the observatory open?", model, onText: (t) => process.stdout.write(t) });
 * for (const c of result.citations) console.log(`[${c.n}] ${c.location}`);
 */
export async function ask(options: AskOptions): Promise<AskResult> {
  const question = options.question.trim();
  if (!question) throw new InvalidArgumentError({ argument: "question", message: "The question is empty." });
  const { model } = options;
  const found = await search({
    ...options.search,
    store: options.store,
    query: question,
    k: options.k ?? 8,
    embedder: options.embedder,
    abortSignal: options.abortSignal,
    maxRetries: options.maxRetries,
  });
  const base = {
    invalidCitations: [],
    flagged: false,
    warnings: [...found.warnings],
    messages: [],
    search: { mode: found.mode, queries: found.queries, hypotheticalAnswer: found.hypotheticalAnswer },
  };

  if (!model) {
    const sources = found.results.map((r, i) => toSource(i + 1, r));
    const extract = extractiveAnswer({ question, sources: found.results.map((result, i) => ({ n: i + 1, result })) });
    const cited = sources.filter((s) => extract.cited.includes(s.n));
    return {
      ...base,
      answer: sources.length ? extract.text : NOT_FOUND_ANSWER,
      kind: "extractive",
      notFound: sources.length === 0,
      citations: cited.map(toCitation),
      sources,
      hint: NO_MODEL_HINT,
      budget: { tokens: 0, used: 0, dropped: 0 },
    };
  }

  const answerTokens = options.maxAnswerTokens ?? DEFAULT_ANSWER_TOKENS;
  const contextWindow =
    modelFacts(model.provider, model.modelId, options.modelFacts)?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const defaultBudget = options.tokenBudget ?? contextWindow - answerTokens;
  const modelId = `${model.provider}:${model.modelId}`;
  if (found.results.length === 0) {
    return {
      ...base,
      answer: NOT_FOUND_ANSWER,
      kind: "generated",
      notFound: true,
      citations: [],
      sources: [],
      warnings: [...base.warnings, "No passage matched the question, so the model was not called."],
      budget: { tokens: defaultBudget, used: 0, dropped: 0 },
      model: modelId,
    };
  }

  const countTokens: TokenCounter = options.countTokens ?? (model.countTokens?.bind(model) || estimateTokens);
  const warnings = base.warnings;
  const generate = async (budget: number) => {
    const packed = await packContext({ results: found.results, question, budget, countTokens });
    const sources = packed.sources.map((p: PackedSource) => toSource(p.n, p.result, p.truncated));
    options.onContext?.({ messages: packed.messages, sources, tokens: packed.tokens, budget });
    const call = {
      model,
      messages: packed.messages,
      maxTokens: answerTokens,
      temperature: options.temperature,
      maxRetries: options.maxRetries,
      timeoutMs: options.timeoutMs,
      abortSignal: options.abortSignal,
      modelFacts: options.modelFacts,
    };
    if (!options.onText) return { packed, sources, budget, ...(await generateText(call)) };
    const streamed = streamText(call);
    for await (const delta of streamed.textStream) options.onText(delta);
    return { packed, sources, budget, ...(await streamed.done) };
  };

  let outcome: Awaited<ReturnType<typeof generate>>;
  try {
    outcome = await generate(defaultBudget);
  } catch (error) {
    // Models weft has no facts about (local files, most servers) report their real context size
    // when the prompt is too long for it: pack again for that size, once, unless the caller set one.
    const size = ContextLengthError.isInstance(error) ? error.contextSize : undefined;
    if (options.tokenBudget !== undefined || size === undefined || size - answerTokens >= defaultBudget) throw error;
    warnings.push(`${modelId} has a ${size}-token context; the sources were packed again to fit it.`);
    outcome = await generate(size - answerTokens);
  }
  const { packed, sources, budget } = outcome;
  if (packed.dropped > 0) {
    warnings.push(`${packed.dropped} of ${found.results.length} passages did not fit the ${budget}-token budget.`);
  }
  if (packed.sources[0]?.truncated) warnings.push(`Source [1] was cut to fit the ${budget}-token budget.`);
  const usage: Usage = outcome.usage;
  const costUsd = outcome.costUsd;
  let answer = outcome.text;
  answer = answer.trim();

  const notFound = isNotFoundAnswer(answer);
  const check = checkCitations(answer, sources.length);
  let flagged = false;
  if (check.invalid.length) {
    flagged = true;
    const list = check.invalid.map((n) => `[${n}]`).join(", ");
    warnings.push(`The answer cites ${list}, but there are only ${sources.length} sources.`);
  }
  if (!notFound && check.cited.length === 0) {
    flagged = true;
    warnings.push("The answer cites none of the sources; check it against them before relying on it.");
  }
  return {
    ...base,
    answer,
    kind: "generated",
    notFound,
    citations: check.cited.map((n) => toCitation(sources[n - 1] as AskSource)),
    invalidCitations: check.invalid,
    flagged,
    warnings,
    sources,
    messages: packed.messages,
    budget: { tokens: budget, used: packed.tokens, dropped: packed.dropped },
    model: modelId,
    usage,
    costUsd,
  };
}
