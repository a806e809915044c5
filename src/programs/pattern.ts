import type { RunOptions } from "../generate/call-settings.js";
import { generateText } from "../generate/generate-text.js";
import { InvalidArgumentError, WeftError } from "../spec/errors.js";
import type { LanguageModel, Message, Usage } from "../spec/language-model.js";
import { regexToGbnf } from "./regex-to-gbnf.js";
import { createUsageTotals } from "./techniques/usage.js";

export interface PatternGenOptions extends RunOptions {
  model: LanguageModel;
  /** Chat context; a trailing assistant message is the turn the output continues. */
  messages?: Message[];
  /** Raw text the output continues directly. */
  rawPrompt?: string;
  /** JavaScript RegExp source, matched against the whole output. */
  pattern: string;
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  /** Extra attempts after a mismatch when the output is validated rather than constrained (default 2). */
  maxRepairs?: number;
}

export interface PatternGenResult {
  text: string;
  /** `grammar`: decoding was constrained to the pattern; `validate-retry`: the output was checked and repaired. */
  method: "grammar" | "validate-retry";
  /** Model calls made. */
  attempts: number;
  usage: Usage;
  costUsd: number | null;
}

/**
 * Generates text that matches a regular expression in full. Models that accept grammars (local
 * GGUF models) decode under a grammar converted from the pattern, so the output cannot miss it;
 * other models are asked for matching text, and a mismatch is sent back with what was wrong for
 * up to `maxRepairs` more attempts. A pattern a grammar cannot express (lookarounds,
 * backreferences) is validated instead, and `method` says so.
 *
 * @example
 * const { text } = await generateWithPattern({
 *   model,
 *   rawPrompt: "Call me at ",
 *   pattern: "\\d{3}-\\d{4}",
 *   maxTokens: 12,
 * }); // e.g. "555-1234"
 */
export async function generateWithPattern(options: PatternGenOptions): Promise<PatternGenResult> {
  const whole = wholeMatch(options.pattern);
  if (options.messages === undefined && options.rawPrompt === undefined) {
    throw new InvalidArgumentError({
      argument: "messages",
      message: "gen needs the text it continues: pass messages (chat context) or rawPrompt (raw text).",
    });
  }
  const grammar = options.model.capabilities.grammar ? grammarFor(options.pattern) : undefined;
  return grammar === undefined ? validateAndRetry(options, whole) : constrained(options, whole, grammar);
}

function wholeMatch(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new InvalidArgumentError({
      argument: "pattern",
      message: `The pattern is not a valid JavaScript regular expression: ${(error as Error).message}.`,
    });
  }
}

/** The grammar for the pattern, or undefined when it uses constructs a grammar cannot express. */
function grammarFor(pattern: string): string | undefined {
  try {
    return regexToGbnf(pattern);
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return undefined;
    throw error;
  }
}

function settings(options: PatternGenOptions) {
  const { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts, model, maxTokens, temperature, stop } = options;
  return { maxRetries, retryDelayMs, timeoutMs, abortSignal, modelFacts, model, maxTokens, temperature, stop };
}

async function constrained(options: PatternGenOptions, whole: RegExp, grammar: string): Promise<PatternGenResult> {
  const reply = await generateText({
    ...settings(options),
    ...(options.rawPrompt !== undefined ? { rawPrompt: options.rawPrompt } : { messages: options.messages }),
    grammar,
  });
  if (!whole.test(reply.text)) {
    const why =
      reply.finishReason === "length"
        ? `it stopped at maxTokens (${options.maxTokens ?? "the model's default"}) before the pattern was complete; raise maxTokens or bound the pattern's repetitions`
        : "a stop sequence cut it short; remove stop sequences the pattern can contain";
    throw new WeftError(
      "pattern-mismatch",
      `The output ${preview(reply.text)} does not match /${options.pattern}/: ${why}.`,
    );
  }
  return { text: reply.text, method: "grammar", attempts: 1, usage: reply.usage, costUsd: reply.costUsd };
}

async function validateAndRetry(options: PatternGenOptions, whole: RegExp): Promise<PatternGenResult> {
  const maxRepairs = options.maxRepairs ?? 2;
  if (!Number.isInteger(maxRepairs) || maxRepairs < 0) {
    throw new InvalidArgumentError({
      argument: "maxRepairs",
      message: `maxRepairs must be a non-negative integer, got ${maxRepairs}.`,
    });
  }
  const raw = options.rawPrompt !== undefined && options.model.capabilities.rawCompletion;
  // A raw completion cannot be told what was wrong; it is sampled again, which changes nothing at temperature 0.
  const attempts = raw && options.temperature === 0 ? 1 : maxRepairs + 1;
  const conversation: Message[] = raw ? [] : instructionMessages(options);
  const totals = createUsageTotals();
  let last = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const reply = await generateText({
      ...settings(options),
      ...(raw ? { rawPrompt: options.rawPrompt } : { messages: conversation }),
    });
    totals.add(reply);
    last = reply.text;
    const text = whole.test(reply.text)
      ? reply.text
      : !raw && whole.test(reply.text.trim())
        ? reply.text.trim()
        : undefined;
    if (text !== undefined) {
      const { usage, costUsd } = totals.total();
      return { text, method: "validate-retry", attempts: attempt, usage, costUsd };
    }
    if (!raw) {
      conversation.push(
        { role: "assistant", content: reply.text },
        {
          role: "user",
          content: `That reply does not match the regular expression /${options.pattern}/ in full: ${explain(reply.text, options.pattern)}. Reply again with only the text, nothing before or after it.`,
        },
      );
    }
  }
  throw new WeftError(
    "pattern-mismatch",
    `The model's output did not match /${options.pattern}/ after ${attempts} attempt(s); the last was ${preview(last)}. Raise maxRepairs, simplify the pattern, or use a model that accepts grammars (a local GGUF model) so the pattern is enforced while decoding.`,
  );
}

function instructionMessages(options: PatternGenOptions): Message[] {
  const rule = `Reply with only text that matches the JavaScript regular expression /${options.pattern}/ in full, and nothing else.`;
  if (options.rawPrompt !== undefined) {
    return [{ role: "user", content: `${options.rawPrompt}\n\nContinue the text above. ${rule}` }];
  }
  const messages = options.messages ?? [];
  const lead = messages.at(-1)?.role === "assistant" ? "Continue your last message." : "";
  return [...messages, { role: "user", content: `${lead} ${rule}`.trim() }];
}

/** What is wrong with a reply, in words the model can act on. */
function explain(reply: string, pattern: string): string {
  if (reply.trim() === "") return "it is empty";
  const found = new RegExp(pattern).exec(reply);
  if (found && found[0] !== "") return `it contains the match ${JSON.stringify(found[0])} but also other text`;
  return "no part of it matches";
}

function preview(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}
