import { generateText } from "../../generate/generate-text.js";
import { messageText } from "../../generate/prompt.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { LanguageModel, Message } from "../../spec/language-model.js";
import {
  type ConversationMemory,
  type CountTokens,
  checkMaxTokens,
  type MessageLog,
  messageLog,
  messageTokens,
  turnBlocks,
  windowMessages,
} from "./memory.js";

export interface SummaryMemoryOptions {
  /** The model that writes the summary (a small, cheap one is enough). */
  model: LanguageModel;
  /** Token budget of the history sent to the agent's model, summary included. */
  maxTokens: number;
  /** Messages kept word for word when older ones are folded (default 4; tool calls stay with their results). */
  keepRecent?: number;
  /** Token counter; default one token per 4 characters. */
  countTokens?: CountTokens;
  /** Where messages and the summary live; default this process (see sessionMemory for the store). */
  log?: MessageLog;
  /** Output limit of one summary call (default 512 tokens). */
  summaryMaxTokens?: number;
  /** Instructions for the summary call. */
  instructions?: string;
}

const INSTRUCTIONS =
  "You keep the memory of a conversation between a user and an assistant that uses tools. Update the summary with the new messages: keep facts, numbers, names, decisions, tool results that matter and open questions; drop chit-chat. Write plain sentences, at most 200 words, and nothing but the summary.";

// One very long message (a tool dump) must not make the summary call itself overflow.
const MAX_CHARS_PER_MESSAGE = 4000;

function transcript(messages: Message[]): string {
  return messages
    .map((m) => {
      const text = messageText(m);
      const shown = text.length > MAX_CHARS_PER_MESSAGE ? `${text.slice(0, MAX_CHARS_PER_MESSAGE)} […]` : text;
      return `${m.role}: ${shown}`;
    })
    .join("\n");
}

/**
 * Sends the recent turns word for word and, once the history outgrows `maxTokens`, folds the
 * older turns into a running summary written by `model` (one call per fold). The summary travels
 * as a system message before the recent turns, and is kept in the log's state, so a session in
 * the store keeps it too.
 *
 * @example
 * const memory = summaryMemory({ model: cheapModel, maxTokens: 2000, keepRecent: 6 });
 */
export function summaryMemory(options: SummaryMemoryOptions): ConversationMemory {
  checkMaxTokens(options.maxTokens, "summaryMemory");
  const keepRecent = options.keepRecent ?? 4;
  if (!Number.isInteger(keepRecent) || keepRecent < 0) {
    throw new InvalidArgumentError({
      argument: "keepRecent",
      message: `summaryMemory: keepRecent must be a whole number of messages, 0 or more (got ${keepRecent}).`,
    });
  }
  const log = options.log ?? messageLog();
  const count = options.countTokens;
  const tokensOf = async (messages: Message[]) => {
    let total = 0;
    for (const m of messages) total += await messageTokens(m, count);
    return total;
  };
  const summaryMessage = (summary: string): Message[] =>
    summary ? [{ role: "system", content: `Summary of the earlier conversation:\n${summary}` }] : [];

  return {
    async load(loadOptions = {}) {
      const { messages, state } = await log.read();
      let summary = typeof state.summary === "string" ? state.summary : "";
      const done = typeof state.summarized === "number" ? state.summarized : 0;
      let summarized = Math.min(Math.max(0, Math.floor(done)), messages.length);
      let rest = messages.slice(summarized);
      if ((await tokensOf([...summaryMessage(summary), ...rest])) > options.maxTokens) {
        const blocks = turnBlocks(rest);
        let cut = blocks.length;
        for (let kept = 0; cut > 0 && kept < keepRecent; ) kept += (blocks[--cut] as Message[]).length;
        const folded = blocks.slice(0, cut).flat();
        const said = folded.filter((m) => m.role !== "system");
        if (said.length > 0) {
          const result = await generateText({
            model: options.model,
            system: options.instructions ?? INSTRUCTIONS,
            prompt: `${summary ? `Summary so far:\n${summary}\n\n` : ""}New messages:\n${transcript(said)}\n\nThe updated summary:`,
            maxTokens: options.summaryMaxTokens ?? 512,
            temperature: 0,
            abortSignal: loadOptions.abortSignal,
          });
          summary = result.text.trim() || summary;
          summarized += folded.length;
          rest = rest.slice(folded.length);
          await log.setState({ ...state, summary, summarized });
        }
      }
      // System messages of folded turns stay, like the agent's own system prompt would.
      const pinned = [...messages.slice(0, summarized).filter((m) => m.role === "system"), ...summaryMessage(summary)];
      return [...pinned, ...(await windowMessages(rest, options.maxTokens - (await tokensOf(pinned)), count))];
    },
    save: (messages) => log.append(messages),
    clear: () => log.clear(),
    withLog: (other) => summaryMemory({ ...options, log: other }),
  };
}
