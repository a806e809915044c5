import { attemptWithRetries, type RunOptions } from "../generate/call-settings.js";
import { generateObject } from "../generate/generate-object.js";
import { generateText } from "../generate/generate-text.js";
import { toMessages } from "../generate/prompt.js";
import { costOf } from "../models/model-facts.js";
import { InvalidArgumentError } from "../spec/errors.js";
import type { LanguageModel, Message, Usage } from "../spec/language-model.js";
import { gbnfLiteral } from "./regex-to-gbnf.js";
import { nearestOption, selectionMessages } from "./select-prompts.js";
import { readOptionLogprobs } from "./select-read-logprobs.js";
import { createUsageTotals, type UsageTotals } from "./techniques/usage.js";

/**
 * How an option was chosen:
 * - `score`: the model scored every option's tokens (local models, `doScore`);
 * - `logprobs`: the first tokens' top log probabilities of one short reply told the options apart;
 * - `json-schema-enum`: a structured-output call whose schema allows only the options;
 * - `grammar`: constrained decoding with a grammar of the literal options;
 * - `prompt`: the model was asked for an option and the reply matched to the nearest one.
 */
export type SelectMethod = "score" | "logprobs" | "json-schema-enum" | "grammar" | "prompt";

export interface SelectOptions extends RunOptions {
  model: LanguageModel;
  /** Chat context (role blocks); a trailing assistant message is the turn the option continues. */
  messages?: Message[];
  /** Raw text prefix (no roles): the option continues this text directly. */
  rawPrompt?: string;
  /** The options, e.g. `[" Yes", " No", " Maybe"]`; leading spaces are significant. */
  options: string[];
  /**
   * Unset or 0: the most likely option. Above 0 with `score` and `logprobs`: an option sampled
   * from the options' probabilities sharpened or flattened by the temperature; with the other
   * methods it is the temperature of the call.
   */
  temperature?: number;
  /** Alternatives asked per position by the `logprobs` method (default 20, OpenAI's maximum). */
  topLogprobs?: number;
}

export interface SelectResult {
  index: number;
  option: string;
  /** Total log probability of each option (same order), null where the method cannot know it. */
  logprobs: Array<number | null>;
  method: SelectMethod;
  usage: Usage;
  costUsd: number | null;
  /** Model calls made (a `logprobs` reading that did not decide is followed by a fallback call). */
  calls: number;
}

/**
 * The method `selectOption` starts with for a model: `score` when it can score continuations,
 * else `logprobs` when it returns log probabilities, else `grammar`, `json-schema-enum` or `prompt`.
 *
 * @example
 * chooseSelectMethod(createLocal().languageModel("stories260K.gguf")); // "score"
 */
export function chooseSelectMethod(model: LanguageModel): SelectMethod {
  if (model.doScore) return "score";
  if (model.capabilities.logprobs) return "logprobs";
  return fallbackMethod(model);
}

function fallbackMethod(model: LanguageModel): Exclude<SelectMethod, "score" | "logprobs"> {
  if (model.capabilities.grammar) return "grammar";
  if (model.capabilities.jsonSchema) return "json-schema-enum";
  return "prompt";
}

/**
 * Chooses one of `options` as the continuation of the prompt, using the strongest method the
 * model supports (see `chooseSelectMethod`), and reports the method and what it learned about
 * each option's log probability.
 *
 * @example
 * const { option, logprobs, method } = await selectOption({
 *   model: createLocal({ threads: 1 }).languageModel("stories260K.gguf"),
 *   rawPrompt: "Once upon a time, there was a little",
 *   options: [" girl", " boy", " dog", " car"],
 * }); // option " girl", method "score"
 */
export async function selectOption(options: SelectOptions): Promise<SelectResult> {
  checkSelectOptions(options);
  const totals = createUsageTotals();
  const method = chooseSelectMethod(options.model);
  if (method === "score") return scoreOptions(options, totals);
  if (method === "logprobs") {
    const read = await readLogprobs(options, totals);
    if (read) return read;
    return fallback(options, fallbackMethod(options.model), totals);
  }
  return fallback(options, method, totals);
}

function checkSelectOptions(options: SelectOptions): void {
  const fail = (argument: string, message: string) => {
    throw new InvalidArgumentError({ argument, message });
  };
  if (!Array.isArray(options.options) || options.options.length === 0) {
    fail("options", "select needs at least one option, e.g. options: [' Yes', ' No'].");
  }
  if (options.options.some((option) => typeof option !== "string" || option === "")) {
    fail("options", "Every option must be a non-empty string (an empty continuation is always certain).");
  }
  const seen = new Set<string>();
  for (const option of options.options) {
    if (seen.has(option)) fail("options", `The option ${JSON.stringify(option)} is listed twice; options must differ.`);
    seen.add(option);
  }
  if (options.messages === undefined && options.rawPrompt === undefined) {
    fail("messages", "select needs the text it continues: pass messages (chat context) or rawPrompt (raw text).");
  }
  if (options.temperature !== undefined && !(options.temperature >= 0 && options.temperature <= 2)) {
    fail("temperature", `temperature must be between 0 and 2, got ${options.temperature}.`);
  }
}

function result(
  options: SelectOptions,
  index: number,
  logprobs: Array<number | null>,
  method: SelectMethod,
  totals: UsageTotals,
): SelectResult {
  const { usage, costUsd, calls } = totals.total();
  return { index, option: options.options[index] as string, logprobs, method, usage, costUsd, calls };
}

/** Argmax, or a sample from softmax(logprob / temperature) when the temperature is above 0. */
function pick(logprobs: Array<number | null>, temperature: number | undefined): number {
  const known: Array<{ lp: number; index: number }> = [];
  logprobs.forEach((lp, index) => {
    if (lp !== null) known.push({ lp, index });
  });
  const best = known.reduce((a, b) => (b.lp > a.lp ? b : a));
  if (!temperature) return best.index;
  const weights = known.map((e) => Math.exp((e.lp - best.lp) / temperature));
  let draw = Math.random() * weights.reduce((a, b) => a + b, 0);
  for (const [k, weight] of weights.entries()) {
    draw -= weight;
    if (draw <= 0) return known[k]?.index ?? best.index;
  }
  return best.index;
}

async function scoreOptions(options: SelectOptions, totals: UsageTotals): Promise<SelectResult> {
  const { model } = options;
  const messages = toMessages({ messages: options.messages, rawPrompt: options.rawPrompt });
  const { value } = await attemptWithRetries(options, (abortSignal) =>
    (model.doScore as NonNullable<LanguageModel["doScore"]>)({
      messages,
      rawPrompt: options.rawPrompt,
      continuations: options.options,
      abortSignal,
    }),
  );
  totals.add({
    usage: value.usage,
    costUsd: costOf({
      provider: model.provider,
      modelId: model.modelId,
      usage: value.usage,
      overrides: options.modelFacts,
    }),
  });
  const logprobs = value.continuations.map((c) => c.logprob);
  return result(options, pick(logprobs, options.temperature), logprobs, "score", totals);
}

/** Run options passed on to generateText / generateObject. */
function runOptions(options: SelectOptions): RunOptions {
  const { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts } = options;
  return { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts };
}

/** A rough token bound for writing the longest option (tokens are rarely shorter than 3 characters). */
function tokensFor(options: string[], floor: number): number {
  const longest = Math.max(...options.map((o) => o.length));
  return Math.max(floor, Math.ceil(longest / 3) + 2);
}

async function readLogprobs(options: SelectOptions, totals: UsageTotals): Promise<SelectResult | undefined> {
  const { model } = options;
  const raw = options.rawPrompt !== undefined && model.capabilities.rawCompletion;
  const reply = await generateText({
    ...runOptions(options),
    model,
    ...(raw ? { rawPrompt: options.rawPrompt } : { messages: selectionMessages(options) }),
    maxTokens: Math.min(8, tokensFor(options.options, 1)),
    temperature: 0,
    topLogprobs: options.topLogprobs ?? 20,
  });
  totals.add(reply);
  const reading = readOptionLogprobs(reply.logprobs ?? [], options.options, { trimLeading: !raw });
  if (reading.decided === undefined) return undefined;
  const index = options.temperature ? pick(reading.logprobs, options.temperature) : reading.decided;
  return result(options, index, reading.logprobs, "logprobs", totals);
}

async function fallback(
  options: SelectOptions,
  method: Exclude<SelectMethod, "score" | "logprobs">,
  totals: UsageTotals,
): Promise<SelectResult> {
  const { model } = options;
  const nulls = options.options.map(() => null);
  const temperature = options.temperature ?? 0;
  if (method === "json-schema-enum") {
    const reply = await generateObject<{ option: string }>({
      ...runOptions(options),
      model,
      messages: selectionMessages(options),
      schema: {
        type: "object",
        properties: { option: { type: "string", enum: options.options } },
        required: ["option"],
        additionalProperties: false,
      },
      schemaName: "selection",
      mode: "native",
      temperature,
    });
    totals.add(reply);
    return result(options, options.options.indexOf(reply.object.option), nulls, method, totals);
  }
  if (method === "grammar") {
    const raw = options.rawPrompt !== undefined && model.capabilities.rawCompletion;
    const reply = await generateText({
      ...runOptions(options),
      model,
      ...(raw ? { rawPrompt: options.rawPrompt } : { messages: selectionMessages(options) }),
      grammar: `root ::= ${options.options.map(gbnfLiteral).join(" | ")}`,
      // Every token covers at least one character, so this always fits the longest option.
      maxTokens: Math.max(...options.options.map((o) => o.length)) + 1,
      temperature,
      logprobs: model.capabilities.logprobs || undefined,
    });
    totals.add(reply);
    const index = nearestOption(reply.text, options.options);
    const logprobs: Array<number | null> = [...nulls];
    if (reply.logprobs && reply.text === options.options[index]) {
      logprobs[index] = reply.logprobs.reduce((sum, entry) => sum + entry.logprob, 0);
    }
    return result(options, index, logprobs, method, totals);
  }
  const reply = await generateText({
    ...runOptions(options),
    model,
    messages: selectionMessages(options),
    maxTokens: tokensFor(options.options, 16) * 2,
    temperature,
  });
  totals.add(reply);
  return result(options, nearestOption(reply.text, options.options), nulls, "prompt", totals);
}
