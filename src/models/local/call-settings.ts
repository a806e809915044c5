import type { Llama, LlamaGrammar } from "node-llama-cpp";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { CallOptions } from "../../spec/language-model.js";
import { messageOf } from "./engine.js";

/** Output bound when the caller sets no `maxTokens`: a local model never generates unbounded. */
export const DEFAULT_MAX_TOKENS = 256;
/** Sampling defaults when `temperature` is unset (the llama.cpp defaults). */
export const DEFAULT_SAMPLING = { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 } as const;

export interface Sampling {
  temperature: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
}

/** Call options checked and with defaults applied. */
export interface CallSettings {
  maxTokens: number;
  n: number;
  stop: string[];
  logprobs: boolean;
  topLogprobs: number;
  warnings: string[];
  /** Sampling for choice `index` (each choice gets its own seed when a seed is given). */
  sampling(index: number): Sampling;
}

/**
 * Validates the options a local model understands and applies its defaults.
 *
 * @example
 * resolveCallSettings({ messages, temperature: 0 }).sampling(0); // { temperature: 0 }
 */
export function resolveCallSettings(options: CallOptions): CallSettings {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidArgumentError({
      argument: "maxTokens",
      message: `maxTokens must be a positive integer (got ${maxTokens}).`,
    });
  }
  const n = options.n ?? 1;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError({ argument: "n", message: `n must be a positive integer (got ${n}).` });
  }
  const topLogprobs = options.topLogprobs ?? 0;
  if (!Number.isInteger(topLogprobs) || topLogprobs < 0) {
    throw new InvalidArgumentError({
      argument: "topLogprobs",
      message: `topLogprobs must be a non-negative integer (got ${topLogprobs}).`,
    });
  }
  const warnings: string[] = [];
  const temperature = options.temperature ?? DEFAULT_SAMPLING.temperature;
  const greedy = temperature <= 0;
  if (greedy && (options.topK !== undefined || options.topP !== undefined)) {
    warnings.push("topK and topP have no effect with temperature 0 (greedy decoding).");
  }
  return {
    maxTokens,
    n,
    stop: (options.stop ?? []).filter((s) => s !== ""),
    logprobs: options.logprobs === true || topLogprobs > 0,
    topLogprobs,
    warnings,
    sampling(index) {
      if (greedy) return { temperature: 0 };
      return {
        temperature,
        topK: options.topK ?? DEFAULT_SAMPLING.topK,
        topP: options.topP ?? DEFAULT_SAMPLING.topP,
        minP: DEFAULT_SAMPLING.minP,
        seed: options.seed === undefined ? undefined : options.seed + index,
      };
    },
  };
}

const UNENFORCED_KEYWORDS = [
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "allOf",
  "not",
  "if",
  "uniqueItems",
];

/**
 * Builds the grammar for `grammar` (GBNF) or `responseFormat: { type: "json" }` (with a schema: a
 * grammar for that schema; without: any JSON), or `undefined` for free text.
 */
export async function createGrammar(
  llama: Llama,
  options: CallOptions,
  warnings: string[],
): Promise<LlamaGrammar | undefined> {
  const json = options.responseFormat?.type === "json" ? options.responseFormat : undefined;
  if (options.grammar !== undefined && json) {
    throw new InvalidArgumentError({
      argument: "grammar",
      message:
        "Pass either grammar or responseFormat { type: 'json' }, not both: each one constrains the whole output.",
    });
  }
  if (options.grammar !== undefined) {
    try {
      return await llama.createGrammar({ grammar: options.grammar });
    } catch (error) {
      throw new InvalidArgumentError({
        argument: "grammar",
        message: `The GBNF grammar could not be parsed (${messageOf(error)}). Rules look like: root ::= "yes" | "no" — every rule used must be defined, starting with root.`,
      });
    }
  }
  if (!json) return undefined;
  try {
    if (!json.schema) return await llama.getGrammarFor("json");
    const unenforced = unenforcedKeywords(json.schema);
    if (unenforced.length) {
      warnings.push(
        `The JSON schema keywords ${unenforced.join(", ")} are not enforced by the grammar; validate the output.`,
      );
    }
    return await llama.createGrammarForJsonSchema(json.schema as never);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "responseFormat",
      message: `The JSON schema could not be turned into a grammar (${messageOf(error)}). Use plain objects, arrays, strings, numbers, booleans, enum/const and $defs references.`,
    });
  }
}

/** JSON-schema keywords in `schema` that grammars do not enforce, sorted. */
export function unenforcedKeywords(schema: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(schema)) {
    for (const item of schema) unenforcedKeywords(item, found);
  } else if (schema !== null && typeof schema === "object") {
    for (const [key, value] of Object.entries(schema)) {
      if (UNENFORCED_KEYWORDS.includes(key)) found.add(key);
      // Property and definition names are data, not keywords.
      if ((key === "properties" || key === "$defs" || key === "definitions") && value && typeof value === "object") {
        for (const sub of Object.values(value)) unenforcedKeywords(sub, found);
      } else if (key !== "enum" && key !== "const") {
        unenforcedKeywords(value, found);
      }
    }
  }
  return [...found].sort();
}
