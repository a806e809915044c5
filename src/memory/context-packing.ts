import { InvalidArgumentError } from "../spec/errors.js";
import type { Message } from "../spec/language-model.js";
import { askMessages, formatSource } from "./ask-prompt.js";
import type { SearchResult } from "./search-result.js";

/** Counts tokens; may be async (a model's own tokenizer). */
export type TokenCounter = (text: string) => number | Promise<number>;

/** Chat formats add a few tokens per message around the text (OpenAI's cookbook counts 3-4). */
const PER_MESSAGE_TOKENS = 4;
const PRIMING_TOKENS = 3;

export interface PackedSource {
  /** Its citation number, from 1. */
  n: number;
  result: SearchResult;
  /** Tokens of its delimited block. */
  tokens: number;
  /** Whether its text was cut to fit the budget (only ever the first source). */
  truncated: boolean;
}

export interface PackedContext {
  sources: PackedSource[];
  /** Exactly what the model is sent. */
  messages: Message[];
  /** Counted tokens of `messages`, chat overhead included. */
  tokens: number;
  budget: number;
  /** Results left out because the budget was full. */
  dropped: number;
}

async function messagesTokens(messages: Message[], count: TokenCounter): Promise<number> {
  let total = PRIMING_TOKENS;
  for (const m of messages) total += PER_MESSAGE_TOKENS + (await count(typeof m.content === "string" ? m.content : ""));
  return total;
}

/**
 * Packs search results, most relevant first, into the prompt until `budget` tokens are used (the
 * OpenAI Cookbook's Search-Ask): sources are numbered from [1] in that order. A first result too
 * large on its own is cut to fit; after that, packing stops at the first result that does not fit.
 * The final prompt is counted whole and trimmed until it is within budget.
 *
 * @example
 * const packed = await packContext({ results, question, budget: 3000, countTokens: estimateTokens });
 * packed.messages; // [system, user with <source id="1" ...> blocks and the question]
 */
export async function packContext(options: {
  results: SearchResult[];
  question: string;
  budget: number;
  countTokens: TokenCounter;
  system?: string;
}): Promise<PackedContext> {
  const { results, question, budget, countTokens: count, system } = options;
  const build = (blocks: string[]) => askMessages({ question, sources: blocks, system });
  const base = await messagesTokens(build([""]), count);
  if (base > budget) {
    throw new InvalidArgumentError({
      argument: "tokenBudget",
      message: `The instructions and the question alone take ${base} tokens, more than the ${budget}-token budget. Raise the budget or shorten the question.`,
    });
  }
  const sources: PackedSource[] = [];
  const blocks: string[] = [];
  let used = base;
  for (const result of results) {
    const n = sources.length + 1;
    const block = formatSource(n, result);
    const tokens = (await count(block)) + 1; // + the blank line between blocks
    if (used + tokens <= budget) {
      sources.push({ n, result, tokens, truncated: false });
      blocks.push(block);
      used += tokens;
      continue;
    }
    if (sources.length > 0) break;
    // Cut the best passage rather than answer from nothing: the longest prefix that fits.
    let lo = 0;
    let hi = result.text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const cut = formatSource(n, { ...result, text: `${result.text.slice(0, mid)} …` });
      if (used + (await count(cut)) + 1 <= budget) lo = mid;
      else hi = mid - 1;
    }
    if (lo > 0) {
      const cutResult = { ...result, text: `${result.text.slice(0, lo)} …` };
      const cut = formatSource(n, cutResult);
      const tokens = (await count(cut)) + 1;
      sources.push({ n, result: cutResult, tokens, truncated: true });
      blocks.push(cut);
      used += tokens;
    }
    break;
  }
  // Pieces counted apart can differ from the whole by a token or two at the joins.
  let messages = build(blocks);
  let tokens = await messagesTokens(messages, count);
  while (tokens > budget && sources.length > 0) {
    sources.pop();
    blocks.pop();
    messages = build(blocks);
    tokens = await messagesTokens(messages, count);
  }
  return { sources, messages, tokens, budget, dropped: results.length - sources.length };
}
