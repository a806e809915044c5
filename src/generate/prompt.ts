import { InvalidArgumentError } from "../spec/errors.js";
import type { Message } from "../spec/language-model.js";

/** The ways a caller can give the input: a prompt string, a system prompt, and/or a message list. */
export interface PromptInput {
  /** A single user turn. Appended after `messages` when both are given. */
  prompt?: string;
  /** A system prompt placed first. */
  system?: string;
  messages?: Message[];
  /** Raw text to continue with no chat template (models with `capabilities.rawCompletion`). */
  rawPrompt?: string;
}

const ROLES = new Set(["system", "user", "assistant", "tool"]);

/** Normalises the prompt input into the message list every provider receives. */
export function toMessages(input: PromptInput): Message[] {
  const messages: Message[] = [];
  if (input.system !== undefined) messages.push({ role: "system", content: input.system });
  for (const [i, m] of (input.messages ?? []).entries()) {
    if (!m || typeof m !== "object" || !ROLES.has((m as Message).role)) {
      throw new InvalidArgumentError({
        argument: "messages",
        message: `messages[${i}] has no valid role; use one of system, user, assistant, tool.`,
      });
    }
    messages.push(m);
  }
  if (input.prompt !== undefined) messages.push({ role: "user", content: input.prompt });
  if (input.rawPrompt !== undefined && messages.length === 0) messages.push({ role: "user", content: input.rawPrompt });
  if (messages.length === 0 || messages.every((m) => m.role === "system")) {
    throw new InvalidArgumentError({
      argument: "prompt",
      message: "Nothing to send: pass prompt, messages or rawPrompt with at least one user turn.",
    });
  }
  return messages;
}

/** The plain text of a message, for token counting and display. */
export function messageText(message: Message): string {
  if (typeof message.content === "string") return message.content;
  return message.content
    .map((part) => {
      if (part.type === "text") return part.text;
      if (part.type === "tool-call") return `${part.toolName}(${JSON.stringify(part.input)})`;
      return JSON.stringify(part.output);
    })
    .join("\n");
}
