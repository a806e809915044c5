/**
 * Conversation memory: what earlier turns an agent sees. A memory is a policy (keep a window, fold
 * old turns into a summary) over a MessageLog (in the process, or a session in the store).
 */
import { messageText } from "../../generate/prompt.js";
import { estimateTokens } from "../../programs/techniques/token-count.js";
import { InvalidArgumentError } from "../../spec/errors.js";
import type { Message } from "../../spec/language-model.js";

/** Free state a memory keeps next to the messages (e.g. the running summary). JSON-serialisable. */
export type MemoryState = Record<string, unknown>;

/** Where a conversation's messages and its memory state live. */
export interface MessageLog {
  read(): Promise<{ messages: Message[]; state: MemoryState }>;
  append(messages: Message[]): Promise<void>;
  setState(state: MemoryState): Promise<void>;
  clear(): Promise<void>;
}

export interface ConversationMemory {
  /** The earlier messages to send before the new turn: a window of the history, maybe led by a summary. */
  load(options?: { abortSignal?: AbortSignal }): Promise<Message[]>;
  /** Records the messages a turn added: the user's prompt, the assistant's replies and tool results. */
  save(messages: Message[]): Promise<void>;
  /** Forgets the conversation. */
  clear(): Promise<void>;
  /** The same policy over another log; how sessionMemory persists a memory. */
  withLog?(log: MessageLog): ConversationMemory;
}

/** Counts the tokens of a text; the default estimate is one token per 4 characters. */
export type CountTokens = (text: string) => number | Promise<number>;

/**
 * A log kept in this process only.
 *
 * @example
 * const log = messageLog();
 * await log.append([{ role: "user", content: "hi" }]);
 */
export function messageLog(initial: Message[] = []): MessageLog {
  let messages = [...initial];
  let state: MemoryState = {};
  return {
    read: async () => ({ messages: [...messages], state: { ...state } }),
    append: async (added) => {
      messages.push(...added);
    },
    setState: async (next) => {
      state = { ...next };
    },
    clear: async () => {
      messages = [];
      state = {};
    },
  };
}

// Roles, separators and the reply priming cost a few tokens per message on every chat API.
const PER_MESSAGE_TOKENS = 4;

/** Tokens one message takes in a prompt, by `count` (default: the 4-characters estimate). */
export async function messageTokens(message: Message, count: CountTokens = estimateTokens): Promise<number> {
  return PER_MESSAGE_TOKENS + (await count(messageText(message)));
}

/**
 * Splits a history into blocks that must be kept or dropped whole: an assistant message that calls
 * tools together with the tool messages answering it; every other message alone. Dropping part of
 * a block would leave tool results without their call, which providers reject.
 */
export function turnBlocks(messages: Message[]): Message[][] {
  const blocks: Message[][] = [];
  for (const message of messages) {
    const last = blocks[blocks.length - 1];
    if (message.role === "tool" && last && last[0]?.role === "assistant" && hasToolCalls(last[0])) last.push(message);
    else blocks.push([message]);
  }
  return blocks;
}

function hasToolCalls(message: Message): boolean {
  return message.role === "assistant" && typeof message.content !== "string"
    ? message.content.some((p) => p.type === "tool-call")
    : false;
}

/**
 * The most recent messages that fit in `maxTokens`, whole blocks only (see turnBlocks). System
 * messages are always kept, in place. The newest block is kept even when it alone is over budget,
 * so the model never loses the turn it is answering. Tool messages without their call are dropped.
 */
export async function windowMessages(
  messages: Message[],
  maxTokens: number,
  count: CountTokens = estimateTokens,
): Promise<Message[]> {
  const blocks = turnBlocks(messages);
  let budget = maxTokens;
  for (const m of messages) if (m.role === "system") budget -= await messageTokens(m, count);
  const keep = new Set<Message[]>();
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i] as Message[];
    if (block[0]?.role === "system" || block[0]?.role === "tool") continue;
    let tokens = 0;
    for (const m of block) tokens += await messageTokens(m, count);
    if (tokens > budget && keep.size > 0) break;
    budget -= tokens;
    keep.add(block);
  }
  return blocks.filter((b) => keep.has(b) || b[0]?.role === "system").flat();
}

/** Checks a memory's token budget option. */
export function checkMaxTokens(maxTokens: unknown, what: string): void {
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidArgumentError({
      argument: "maxTokens",
      message: `${what} needs maxTokens, a positive whole number of tokens (got ${String(maxTokens)}).`,
    });
  }
}
