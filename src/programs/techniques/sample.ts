import type { CallSettings, RunOptions } from "../../generate/call-settings.js";
import { generateText } from "../../generate/generate-text.js";
import type { PromptInput } from "../../generate/prompt.js";
import { InvalidResponseError } from "../../spec/errors.js";
import type { LanguageModel, Message } from "../../spec/language-model.js";
import { createLimiter, type Limiter } from "./concurrency.js";
import type { UsageTotals } from "./usage.js";

/** Generation and run settings a technique passes through to every call it makes (`n` is the technique's). */
export type TechniqueSettings = Omit<CallSettings, "n"> & RunOptions;

/** The prompt forms techniques accept: a prompt, a system prompt and/or messages (no raw completion). */
export type TechniquePrompt = Omit<PromptInput, "rawPrompt">;

export interface SampleOptions extends TechniqueSettings {
  model: LanguageModel;
  messages: Message[];
  /** Completions wanted. */
  n: number;
  /** Bounds the calls in flight; shared across a technique run (default: 4 at a time). */
  limiter?: Limiter;
  totals: UsageTotals;
}

/**
 * Draws `n` completions: one call with `n` when the model declares `multipleChoices`, otherwise
 * `n` calls through the limiter. Returns the texts in the order the calls were made.
 */
export async function sampleTexts(options: SampleOptions): Promise<string[]> {
  const { model, messages, n, limiter = createLimiter(4), totals, ...settings } = options;
  const texts: string[] = [];
  while (texts.length < n) {
    const wanted = n - texts.length;
    if (model.capabilities.multipleChoices && wanted > 1) {
      const result = await limiter(() => generateText({ ...settings, model, messages, n: wanted }));
      totals.add(result);
      // A server may return fewer choices than asked for; the loop asks again for the rest.
      if (result.choices.length === 0) {
        throw new InvalidResponseError({ provider: model.provider, detail: `asked for ${wanted} choices, got none` });
      }
      for (const choice of result.choices.slice(0, wanted)) texts.push(choice.text);
    } else {
      const batch = await Promise.all(
        Array.from({ length: wanted }, () => limiter(() => generateText({ ...settings, model, messages }))),
      );
      for (const result of batch) {
        totals.add(result);
        texts.push(result.text);
      }
    }
  }
  return texts;
}

/** Appends text to the last user turn (or adds a user turn), leaving the caller's objects untouched. */
export function appendToPrompt(input: TechniquePrompt, suffix: string): TechniquePrompt {
  if (!suffix) return input;
  if (input.prompt !== undefined) return { ...input, prompt: `${input.prompt}\n\n${suffix}` };
  const messages = [...(input.messages ?? [])];
  const last = messages.at(-1);
  if (last?.role === "user" && typeof last.content === "string") {
    messages[messages.length - 1] = { role: "user", content: `${last.content}\n\n${suffix}` };
  } else {
    messages.push({ role: "user", content: suffix });
  }
  return { ...input, messages };
}
