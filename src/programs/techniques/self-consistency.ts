import { modelIdOf } from "../../generate/call-settings.js";
import { toMessages } from "../../generate/prompt.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { LanguageModel } from "../../spec/language-model.js";
import type { AnswerFormat } from "./answer-formats.js";
import { phraseAnswer } from "./answer-formats.js";
import { chainOfThoughtSuffix, type ParsedReasoning, parseReasoning, type ReasoningStyle } from "./chain-of-thought.js";
import { createLimiter } from "./concurrency.js";
import { appendToPrompt, sampleTexts, type TechniquePrompt, type TechniqueSettings } from "./sample.js";
import { createUsageTotals, type TechniqueUsage } from "./usage.js";

/** One answer's share of the vote. */
export interface VoteCount {
  answer: string;
  count: number;
  /** Index of the first sample that gave this answer (the tie-breaker). */
  firstSample: number;
}

export interface MajorityVote {
  /** The winning normalised answer; undefined when no sample had a valid answer. */
  answer?: string;
  /** Every answer with its count, most votes first, ties in order of first appearance. */
  votes: VoteCount[];
  /** Winner's votes / valid samples (0 when there are none). */
  agreement: number;
  /** Samples that had a valid answer. */
  validSamples: number;
}

/**
 * Majority vote over normalised answers (`undefined` entries are samples without an answer and do
 * not vote). Ties go to the answer that appeared first among the samples, so a vote is deterministic
 * for a given sample order.
 *
 * @example
 * majorityVote(["18", "18", "20", undefined]); // { answer: "18", agreement: 0.666…, validSamples: 3, votes: [...] }
 */
export function majorityVote(answers: ReadonlyArray<string | undefined>): MajorityVote {
  const counts = new Map<string, VoteCount>();
  let valid = 0;
  for (const [i, answer] of answers.entries()) {
    if (answer === undefined) continue;
    valid++;
    const entry = counts.get(answer);
    if (entry) entry.count++;
    else counts.set(answer, { answer, count: 1, firstSample: i });
  }
  const votes = [...counts.values()].sort((a, b) => b.count - a.count || a.firstSample - b.firstSample);
  const top = votes[0];
  return { answer: top?.answer, votes, agreement: top && valid ? top.count / valid : 0, validSamples: valid };
}

export interface SelfConsistencyOptions extends TechniquePrompt, TechniqueSettings {
  model: LanguageModel;
  /** Reasoning paths sampled (default 5). */
  n?: number;
  /** How the final answer is asked for, found and normalised (default: "The answer is X"). */
  format?: AnswerFormat;
  /** Reasoning trigger appended to the prompt (default `step-by-step`). */
  style?: ReasoningStyle;
  /** Replaces the generated suffix (e.g. when the prompt already holds few-shot reasoning examples: ""). */
  suffix?: string;
  /** Calls in flight when the model cannot return `n` choices in one call (default 4). */
  maxConcurrency?: number;
}

export interface SelfConsistencySample extends ParsedReasoning {
  text: string;
}

export interface SelfConsistencyResult extends MajorityVote, TechniqueUsage {
  /** Every sample in order, with its reasoning and extracted answer. */
  samples: SelfConsistencySample[];
  model: string;
  /** Things that make the vote less meaningful, in plain words. */
  warnings: string[];
}

/**
 * Self-consistency (Wang et al. 2022): samples several reasoning paths, extracts each final answer
 * and returns the majority answer with an agreement score. Uses one call with `n` choices where the
 * model supports it, otherwise `n` calls, at most `maxConcurrency` at a time. Sampling temperature
 * defaults to 0.7.
 *
 * @example
 * const { answer, agreement, votes } = await selfConsistency({
 *   model,
 *   prompt: "Natalia sold 48 clips in April and half as many in May. How many in total?",
 *   format: numberAnswer(),
 *   n: 5,
 * });
 * // answer "72", agreement 0.8 when four of the five paths end in 72
 */
export async function selfConsistency(options: SelfConsistencyOptions): Promise<SelfConsistencyResult> {
  const {
    model,
    n = 5,
    format = phraseAnswer(),
    style,
    suffix,
    maxConcurrency,
    prompt,
    system,
    messages,
    temperature = 0.7,
    ...settings
  } = options;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({ argument: "n", message: `n must be a positive integer, got ${n}.` });
  }
  const input = appendToPrompt({ prompt, system, messages }, suffix ?? chainOfThoughtSuffix({ style, format }));
  const totals = createUsageTotals();
  const texts = await sampleTexts({
    ...settings,
    temperature,
    model,
    messages: toMessages(input),
    n,
    limiter: createLimiter(maxConcurrency ?? 4),
    totals,
  });
  const samples = texts.map((text) => ({ text, ...parseReasoning(text, format) }));
  const vote = majorityVote(samples.map((s) => s.answer));
  const warnings: string[] = [];
  if (n > 1 && temperature === 0) warnings.push("temperature 0 makes the samples near-identical; use 0.5–1.0.");
  if (vote.validSamples < samples.length) {
    warnings.push(`${samples.length - vote.validSamples} of ${samples.length} samples had no ${format.name} answer.`);
  }
  return { ...vote, samples, ...totals.total(), model: modelIdOf(model), warnings };
}
