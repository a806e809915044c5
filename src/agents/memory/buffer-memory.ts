import {
  type ConversationMemory,
  type CountTokens,
  checkMaxTokens,
  type MessageLog,
  messageLog,
  windowMessages,
} from "./memory.js";

export interface BufferMemoryOptions {
  /** Token budget of the history sent to the model. */
  maxTokens: number;
  /** Token counter; default one token per 4 characters (pass `model.countTokens` for exact counts). */
  countTokens?: CountTokens;
  /** Where messages live; default this process (see sessionMemory for the store). */
  log?: MessageLog;
}

/**
 * Keeps the whole conversation and sends the most recent turns that fit in `maxTokens`. A tool
 * call and its results are kept or dropped together; system messages are always kept.
 *
 * @example
 * const memory = bufferMemory({ maxTokens: 4000 });
 * await runAgent({ model, tools, prompt: "What is 2^10?", memory });
 * await runAgent({ model, tools, prompt: "And half of that?", memory }); // sees the first turn
 */
export function bufferMemory(options: BufferMemoryOptions): ConversationMemory {
  checkMaxTokens(options.maxTokens, "bufferMemory");
  const log = options.log ?? messageLog();
  return {
    async load() {
      const { messages } = await log.read();
      return windowMessages(messages, options.maxTokens, options.countTokens);
    },
    save: (messages) => log.append(messages),
    clear: () => log.clear(),
    withLog: (other) => bufferMemory({ ...options, log: other }),
  };
}
