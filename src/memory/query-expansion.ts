import { generateText } from "../generate/generate-text.js";
import type { LanguageModel } from "../spec/language-model.js";

/** Settings for a model-assisted search step. */
export interface ExpansionOptions {
  model: LanguageModel;
  /** Output budget (defaults: 200 for HyDE, 120 for rewrites). */
  maxTokens?: number;
  abortSignal?: AbortSignal;
  maxRetries?: number;
}

/**
 * HyDE (Gao et al., 2022): asks the model for a short passage that would answer the question. Its
 * embedding lands nearer to real answers than the question's own does; it may be wrong, which
 * does not matter, since only its embedding is used to find real passages.
 *
 * @example
 * const passage = await hypotheticalAnswer({ model, query: "When was the observatory founded?" });
 */
export async function hypotheticalAnswer(options: ExpansionOptions & { query: string }): Promise<string> {
  const { text } = await generateText({
    model: options.model,
    system:
      "Write one short factual paragraph (at most 4 sentences) that answers the question as a reference document would. Do not say that you are unsure; invent plausible details if needed.",
    prompt: options.query,
    maxTokens: options.maxTokens ?? 200,
    temperature: 0,
    abortSignal: options.abortSignal,
    maxRetries: options.maxRetries,
  });
  return text.trim();
}

/**
 * Query rewriting: asks the model for `count` differently worded search queries (synonyms, the
 * underlying need, key terms) to search alongside the original. Lines are cleaned of numbering
 * and quotes; duplicates of the original are dropped.
 *
 * @example
 * await rewriteQuery({ model, query: "opening hours", count: 3 }); // ["visiting times", ...]
 */
export async function rewriteQuery(options: ExpansionOptions & { query: string; count?: number }): Promise<string[]> {
  const count = options.count ?? 3;
  const { text } = await generateText({
    model: options.model,
    system: `Rewrite the user's search query into ${count} different search queries that could find the answer in a document collection: use synonyms, spell out the underlying question, and name key terms. Reply with one query per line and nothing else.`,
    prompt: options.query,
    maxTokens: options.maxTokens ?? 120,
    temperature: 0,
    abortSignal: options.abortSignal,
    maxRetries: options.maxRetries,
  });
  const seen = new Set([options.query.trim().toLowerCase()]);
  const queries: string[] = [];
  for (const line of text.split("\n")) {
    const query = line
      .replace(/^\s*(?:[-*•]|\d+[.)]|query\s*\d*:)\s*/i, "")
      .replace(/^["'“”]+|["'“”]+$/g, "")
      .trim();
    if (!query || seen.has(query.toLowerCase())) continue;
    seen.add(query.toLowerCase());
    queries.push(query);
    if (queries.length === count) break;
  }
  return queries;
}
