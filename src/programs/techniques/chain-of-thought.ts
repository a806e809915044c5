import { generateText } from "../../generate/generate-text.js";
import { toMessages } from "../../generate/prompt.js";
import type { LanguageModel } from "../../spec/language-model.js";
import { type AnswerFormat, extractAnswer, phraseAnswer } from "./answer-formats.js";
import { appendToPrompt, type TechniquePrompt, type TechniqueSettings } from "./sample.js";
import { createUsageTotals, type TechniqueUsage } from "./usage.js";

/**
 * How the model is asked to reason: `step-by-step` is the zero-shot trigger of Kojima et al. 2022,
 * `structured` asks for named stages, `none` only asks for the final-answer line.
 */
export type ReasoningStyle = "step-by-step" | "structured" | "none";

const TRIGGERS: Record<ReasoningStyle, string> = {
  "step-by-step": "Let's think step by step.",
  structured:
    "Before answering, reason in numbered steps: restate what is asked, list the facts given, work it out one step at a time, then check the result.",
  none: "",
};

/**
 * The text appended to a question to ask for reasoning and a final answer in `format`.
 *
 * @example
 * chainOfThoughtSuffix({ format: gsm8kAnswer() });
 * // "Let's think step by step.\nEnd with a final line of the form \"#### <number>\", ..."
 */
export function chainOfThoughtSuffix(options: { style?: ReasoningStyle; format?: AnswerFormat } = {}): string {
  const trigger = TRIGGERS[options.style ?? "step-by-step"];
  const instruction = (options.format ?? phraseAnswer()).instruction;
  return [trigger, instruction].filter(Boolean).join("\n");
}

/** A reply split into its reasoning and final answer. */
export interface ParsedReasoning {
  /** The text before the final-answer statement (the whole reply when the answer sits inside it). */
  reasoning: string;
  /** Normalised final answer; undefined when the reply has none. */
  answer?: string;
  /** The answer as written. */
  rawAnswer?: string;
}

/**
 * Splits a reasoning reply into reasoning and final answer.
 *
 * @example
 * parseReasoning("6 * 7 = 42.\nThe answer is 42.", numberAnswer()); // { reasoning: "6 * 7 = 42.", answer: "42", rawAnswer: "42" }
 */
export function parseReasoning(text: string, format: AnswerFormat): ParsedReasoning {
  const found = extractAnswer(text, format);
  if (!found) return { reasoning: text.trim() };
  return { reasoning: text.slice(0, found.index).trim(), answer: found.answer, rawAnswer: found.raw };
}

export interface ChainOfThoughtOptions extends TechniquePrompt, TechniqueSettings {
  model: LanguageModel;
  /** How the final answer is asked for and found (default: "The answer is X"). */
  format?: AnswerFormat;
  style?: ReasoningStyle;
  /** Replaces the generated suffix entirely (the format's instruction is then up to you). */
  suffix?: string;
}

export interface ChainOfThoughtResult extends ParsedReasoning, TechniqueUsage {
  /** The full reply. */
  text: string;
  /** `provider:model`. */
  model: string;
}

/**
 * Asks for step-by-step reasoning, then extracts the final answer.
 *
 * @example
 * const { reasoning, answer } = await chainOfThought({
 *   model,
 *   prompt: "A pen costs $2 and a book $5 more. What do both cost?",
 *   format: numberAnswer(),
 * });
 * answer; // "9"
 */
export async function chainOfThought(options: ChainOfThoughtOptions): Promise<ChainOfThoughtResult> {
  const { model, format = phraseAnswer(), style, suffix, prompt, system, messages, ...settings } = options;
  const input = appendToPrompt({ prompt, system, messages }, suffix ?? chainOfThoughtSuffix({ style, format }));
  const totals = createUsageTotals();
  const result = await generateText({ ...settings, model, messages: toMessages(input) });
  totals.add(result);
  return { text: result.text, ...parseReasoning(result.text, format), ...totals.total(), model: result.model };
}
